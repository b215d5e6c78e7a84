"""Motions (Zaak, Soort Motie) as events: submitted (from the official publication), the cabinet's appraisal,
and the decision with the vote per party (from Stemming → Besluit → Agendapunt → Zaak)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from schemas import ids
from schemas.events import Envelope
from schemas.opendata import Appraisal, Decision, MotionAppraised, MotionDecided, MotionSubmitted, PartyVote
from services.ingest.opendata.publication import MotionPublication
from services.ingest.opendata.records import SkipRecord, open_data_event, record_day, record_time, skipped

APPRAISALS: dict[str, Appraisal] = {
    "ontraden": "advised_against",
    "oordeel kamer": "left_to_house",
    "ontijdig": "premature",
    "overbodig": "superfluous",
    "niet beschikbaar bij gewijzigde moties en/of amendementen": "not_available",
    "geen (expliciete) appreciatie": "no_appraisal",
    "verzocht motie aan te houden": "asked_to_hold",
    "nog niet bekend": "not_yet_known",
}

# BesluitSoort values that decide a motion. Other Besluiten on an Agendapunt ("Behandelen", "Leveren inbreng")
# are procedure, not a decision on the motion.
DECISIONS: dict[str, Decision] = {
    "stemmen - aangenomen": "adopted",
    "stemmen - zonder stemming aannemen": "adopted",
    "stemmen - verworpen": "rejected",
    "stemmen - niet aangenomen": "rejected",  # a tied vote
    "stemmen - aangehouden": "held",
    "stemmen - ingetrokken": "withdrawn",
    "stemmen - ingetrokken (al tijdens debat)": "withdrawn",
}

VOTES = {"voor": "for", "tegen": "against", "niet deelgenomen": "not_participating"}


def xml_publication_id(zaak: dict[str, Any]) -> str | None:
    """The DocumentPublicatie (DocumentType Xml) of the motion's current document version, if expanded."""
    for document in zaak.get("Document") or []:
        version = (document or {}).get("HuidigeDocumentVersie") or {}
        for publication in version.get("DocumentPublicatie") or []:
            if publication.get("DocumentType") == "Xml" and publication.get("Id"):
                return str(publication["Id"])
    return None


def motion_id_of(zaak: dict[str, Any]) -> str | None:
    """33694-43 from the current version's ExterneIdentifier kst-33694-43."""
    for document in zaak.get("Document") or []:
        identifier = ((document or {}).get("HuidigeDocumentVersie") or {}).get("ExterneIdentifier") or ""
        if identifier.startswith("kst-"):
            return ids.token(identifier.removeprefix("kst-"))
    return None


def _parties(zaak: dict[str, Any]) -> list[str]:
    actors = [
        a for a in zaak.get("ZaakActor") or [] if (a.get("Relatie") or "").lower() in ("indiener", "medeindiener")
    ]
    return list(dict.fromkeys(p for a in actors if (p := a.get("ActorFractie"))))


def submitted(zaak: dict[str, Any], publication: MotionPublication) -> Envelope:
    modified = record_time(zaak)
    data = MotionSubmitted(
        record_id=zaak["Id"],
        source_modified=modified,
        motion_id=publication.motion_id,
        document_id=publication.document_id,
        title=zaak.get("Onderwerp") or publication.title,
        text="\n".join(publication.operative),
        submitters=list(publication.submitters),
        parties=_parties(zaak),
        submitted_on=publication.submitted_on,
        zaak_number=zaak.get("Nummer"),
    )
    return open_data_event(data, record_id=zaak["Id"], occurred_on=publication.submitted_on, modified=modified)


def appraised(zaak: dict[str, Any], motion_id: str) -> Envelope | None:
    """None when the Zaak carries no appraisal yet; SkipRecord on a value this code does not know."""
    text = (zaak.get("Kabinetsappreciatie") or "").strip()
    if not text:
        return None
    appraisal = APPRAISALS.get(text.lower())
    if appraisal is None:
        raise SkipRecord(f"unknown Kabinetsappreciatie {text!r}")
    modified = record_time(zaak)
    data = MotionAppraised(
        record_id=zaak["Id"], source_modified=modified, motion_id=motion_id, appraisal=appraisal, appraisal_text=text
    )
    return open_data_event(data, record_id=zaak["Id"], occurred_on=None, modified=modified)


def party_votes(rows: Iterable[dict[str, Any]]) -> list[PartyVote]:
    votes = []
    for row in rows:
        if row.get("Verwijderd"):
            continue  # a vote withdrawn upstream no longer counts
        vote = VOTES.get((row.get("Soort") or "").lower())
        if vote is None:
            raise SkipRecord(f"Stemming {row.get('Id')}: unknown vote {row.get('Soort')!r}")
        roll_call = bool(row.get("Persoon_Id"))
        votes.append(
            PartyVote(
                party=row.get("ActorFractie") or row.get("ActorNaam") or "?",
                vote=vote,
                seats=None if roll_call else row.get("FractieGrootte"),
                member=row.get("ActorNaam") if roll_call else None,
                mistaken=bool(row.get("Vergissing")),
            )
        )
    return sorted(votes, key=lambda v: (v.party, v.member or ""))


def decided_zaak(besluit: dict[str, Any]) -> dict[str, Any] | None:
    """The one motion a Besluit decides: `Besluit.Zaak` when expanded, else the Agendapunt's only motion.
    On an Agendapunt holding several motions nothing says which Besluit is whose: SkipRecord, never a guess."""
    direct = besluit.get("Zaak")
    zaken = direct if direct is not None else ((besluit.get("Agendapunt") or {}).get("Zaak") or [])
    motions = [z for z in zaken if z.get("Soort") == "Motie"]
    if len(motions) > 1:
        raise SkipRecord(f"Besluit on {len(motions)} motions: which one it decides is not recorded")
    return motions[0] if motions else None


def decided(besluit: dict[str, Any], stemmingen: list[dict[str, Any]], motion_ids: dict[str, str]) -> Envelope | None:
    """The decision on a motion; None for a procedural Besluit. `motion_ids` maps Zaak GUID → motion id."""
    kind = (besluit.get("BesluitSoort") or "").strip()
    decision = DECISIONS.get(kind.lower())
    if decision is None:
        if kind.lower().startswith("stemmen"):
            raise SkipRecord(f"unknown BesluitSoort {kind!r}")
        return None
    zaak = decided_zaak(besluit)
    if zaak is None:
        return None
    motion = motion_ids.get(zaak.get("Id", ""))
    if motion is None:
        raise SkipRecord(f"Zaak {zaak.get('Id')} ({zaak.get('Nummer')}) is not a motion read from the feed")
    # A corrected vote changes a Stemming, not the Besluit: the decision is as new as its newest part.
    modified = max([record_time(besluit), *(record_time(row) for row in stemmingen)])
    day = record_day(besluit, "GewijzigdOp")
    data = MotionDecided(
        record_id=besluit["Id"],
        source_modified=modified,
        motion_id=motion,
        decision=decision,
        decision_text=" ".join(p for p in (kind, besluit.get("BesluitTekst") or "") if p),
        decided_on=day,
        votes=party_votes(stemmingen),
    )
    return open_data_event(data, record_id=besluit["Id"], occurred_on=day, modified=modified)


def besluiten_with_votes(stemmingen: Iterable[dict[str, Any]]) -> list[tuple[dict[str, Any], list[dict[str, Any]]]]:
    """Stemming rows (with Besluit expanded) grouped under their Besluit, in first-seen order."""
    grouped: dict[str, tuple[dict[str, Any], list[dict[str, Any]]]] = {}
    for row in stemmingen:
        besluit = row.get("Besluit")
        if isinstance(besluit, dict) and besluit.get("Id"):
            grouped.setdefault(besluit["Id"], (besluit, []))[1].append(row)
        else:
            skipped("Stemming", row, "no Besluit expanded")
    return list(grouped.values())
