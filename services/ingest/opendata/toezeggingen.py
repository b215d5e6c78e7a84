"""The register of commitments (Toezegging) as commitments with a deadline (DatumNakoming) and a status.

Built from the shape in the real `$metadata` and the SyncFeed XSD (tkData-v1-0-toezegging.xsd): no real
Toezegging record was available. The XSD's status enum is Openstaand / Voldaan / Deels Voldaan / Vervallen;
the live register is reported (OpenDataPortaal issue #179) to use Afgedaan / Deels Afgedaan instead, so both
spellings are read.
"""

from __future__ import annotations

from typing import Any

from schemas import ids
from schemas.events import CommitmentFulfilled, CommitmentMade, Due, Envelope
from schemas.opendata import CommitmentStatusReported, RegisterStatus
from services.ingest.opendata.records import SkipRecord, open_data_event, record_day, record_time

STATUSES: dict[str, RegisterStatus] = {
    "openstaand": "open",
    "voldaan": "fulfilled",
    "afgedaan": "fulfilled",
    "deels voldaan": "partly_fulfilled",
    "deels afgedaan": "partly_fulfilled",
    "vervallen": "lapsed",
}


def commitment_id(number: str) -> str:
    """TZ202412-116 -> c-tk-TZ202412-116: the register's own number names the commitment."""
    return f"c-tk-{ids.token(number)}"


def _actor(record: dict[str, Any]) -> str | None:
    name = " ".join(p for p in (record.get("Titulatuur"), record.get("Initialen"), record.get("Tussenvoegsel"),
                                record.get("Achternaam")) if p)  # fmt: skip
    function = record.get("Functie")
    return ", ".join(p for p in (function, name) if p) or record.get("Naam") or None


def commitment_events(record: dict[str, Any]) -> list[Envelope]:
    """commitment.made, commitment.status_reported and, once the register says fulfilled, commitment.fulfilled."""
    number = record.get("Nummer")
    text = " ".join((record.get("Tekst") or "").split())
    due_day = record_day(record, "DatumNakoming")
    if not number or not text or due_day is None:
        raise SkipRecord("no Nummer, Tekst or DatumNakoming")
    status_text = (record.get("Status") or "").strip()
    status = STATUSES.get(status_text.lower())
    if status is None:
        raise SkipRecord(f"unknown Status {status_text!r}")
    commitment = commitment_id(number)
    modified = record_time(record)
    made_on = record_day(record, "Aanmaakdatum")
    document_id = f"tk-toezegging-{ids.token(number)}"
    letter = record.get("KamerbriefNakoming") or None

    def event(data: Any, on: Any) -> Envelope:
        return open_data_event(data, record_id=record["Id"], occurred_on=on, modified=modified)

    made = CommitmentMade(
        commitment_id=commitment,
        text=text,
        actor=_actor(record),
        due=Due(start=due_day, end=due_day, precision="day", phrase="DatumNakoming"),
        document_id=document_id,
        topic=[],
    )
    reported = CommitmentStatusReported(
        record_id=record["Id"],
        source_modified=modified,
        commitment_id=commitment,
        register_number=number,
        status=status,
        status_text=status_text,
        fulfilled_by=letter,
    )
    events = [event(made, made_on), event(reported, modified.date())]
    if status == "fulfilled":
        evidence = f"The register of commitments marks {number} {status_text}" + (f" ({letter})" if letter else "")
        fulfilled = CommitmentFulfilled(
            commitment_id=commitment, evidence=evidence, document_id=document_id, by="open_data"
        )
        events.append(event(fulfilled, None))
    return events
