"""Records of the Tweede Kamer's open data as events: motions, appraisals, decisions, committee debates and
(synthetic, see below) Toezeggingen."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest

from schemas.opendata import MotionAppraised, MotionDecided, MotionSubmitted
from services.ingest.opendata import activities, motions, toezeggingen
from services.ingest.opendata.publication import MotionPublication, read_motion_publication
from services.ingest.opendata.records import SkipRecord
from tests.helpers.tk_odata import FIXTURES, load, recorded_zaken

ADOPTED = "a9f7d35c-6672-4276-979b-a16d1960a1ad"  # kst-21501-08-943, Oordeel Kamer, aangenomen
REJECTED = "d9658e92-a4cc-477e-bac6-5497dbc77ce5"  # kst-25657-370, Ontraden, verworpen


def zaak(zaak_id: str) -> dict[str, Any]:
    return next(z for z in recorded_zaken() if z["Id"] == zaak_id)


def publication(record: dict[str, Any]) -> MotionPublication:
    xml_id = motions.xml_publication_id(record)
    return read_motion_publication((FIXTURES / "publicatie" / f"{xml_id}.xml").read_bytes())


def test_a_submitted_motion_carries_text_submitters_and_the_project_s_motion_id() -> None:
    record = zaak(ADOPTED)
    event = motions.submitted(record, publication(record))
    data = event.payload()
    assert isinstance(data, MotionSubmitted)
    assert (data.motion_id, data.document_id) == ("21501-08-943", "kst-21501-08-943")
    assert motions.motion_id_of(record) == data.motion_id  # the Zaak's own ExterneIdentifier agrees
    assert data.submitters == ["Grinwis", "Bromet", "Tjeerd de Groot"]
    assert data.text.startswith("verzoekt de regering") and data.record_id == ADOPTED
    assert data.submitted_on == dt.date(2024, 3, 28) and data.zaak_number == record["Nummer"]
    assert event.subject == "21501-08-943" and event.occurred_at.date() == dt.date(2024, 3, 28)


def test_parties_come_from_the_zaak_actors_when_expanded() -> None:
    record = zaak(ADOPTED)
    assert motions.submitted(record, publication(record)).payload().parties == []  # not expanded in the record
    actors = [  # COMPOSED in the $metadata shape of ZaakActor (no expanded ZaakActor was recorded)
        {"ActorNaam": "H.J. Grinwis", "ActorFractie": "ChristenUnie", "Relatie": "Indiener"},
        {"ActorNaam": "L. Bromet", "ActorFractie": "GroenLinks-PvdA", "Relatie": "Medeindiener"},
        {"ActorNaam": "minister", "ActorFractie": None, "Relatie": "Gericht aan"},
    ]
    data = motions.submitted({**record, "ZaakActor": actors}, publication(record)).payload()
    assert data.parties == ["ChristenUnie", "GroenLinks-PvdA"]


def test_event_ids_are_stable_and_a_change_upstream_is_a_new_event() -> None:
    record = zaak(ADOPTED)
    first = motions.submitted(record, publication(record))
    assert motions.submitted(record, publication(record)).id == first.id
    changed = {**record, "ApiGewijzigdOp": "2025-11-01T10:00:00.1234567Z"}
    assert motions.submitted(changed, publication(record)).id != first.id


@pytest.mark.parametrize(("zaak_id", "code"), [(ADOPTED, "left_to_house"), (REJECTED, "advised_against")])
def test_the_cabinet_s_appraisal(zaak_id: str, code: str) -> None:
    record = zaak(zaak_id)
    data = motions.appraised(record, "m-1").payload()
    assert isinstance(data, MotionAppraised)
    assert (data.appraisal, data.appraisal_text) == (code, record["Kabinetsappreciatie"])


def test_an_unknown_appraisal_is_skipped_and_none_is_no_event() -> None:
    record = zaak(ADOPTED)
    with pytest.raises(SkipRecord, match="Kabinetsappreciatie"):
        motions.appraised({**record, "Kabinetsappreciatie": "Omarmd"}, "m-1")
    assert motions.appraised({**record, "Kabinetsappreciatie": None}, "m-1") is None


def decisions() -> dict[str, tuple[dict[str, Any], list[dict[str, Any]]]]:
    return {b["Id"]: (b, rows) for b, rows in motions.besluiten_with_votes(load("stemming_subset.json"))}


def test_the_decision_with_the_vote_of_every_party() -> None:
    known = {ADOPTED: "21501-08-943", REJECTED: "25657-370"}
    besluit, rows = decisions()["a161b714-409c-4428-b77f-3ad95b9b3b74"]
    data = motions.decided(besluit, rows, known).payload()
    assert isinstance(data, MotionDecided)
    assert (data.motion_id, data.decision) == ("21501-08-943", "adopted")
    assert len(data.votes) == len(rows) == 15
    assert {v.party: v.vote for v in data.votes}["VVD"] in ("for", "against")
    seats_for = sum(v.seats or 0 for v in data.votes if v.vote == "for")
    seats_against = sum(v.seats or 0 for v in data.votes if v.vote == "against")
    assert seats_for > seats_against  # adopted: the recorded votes carry it
    besluit, rows = decisions()["97809b80-c57d-4718-a098-637a0a80ebde"]
    rejected = motions.decided(besluit, rows, known).payload()
    assert isinstance(rejected, MotionDecided) and rejected.decision == "rejected"
    assert sum(v.seats or 0 for v in rejected.votes if v.vote == "for") < 75


def test_a_besluit_on_several_motions_is_skipped_not_guessed() -> None:
    besluit, rows = decisions()["e6a3c9e8-26b5-48a0-8769-4e203c2fce61"]
    with pytest.raises(SkipRecord, match="which one"):
        motions.decided(besluit, rows, {})


def test_a_decision_on_a_motion_not_read_from_the_feed_is_skipped() -> None:
    besluit, rows = decisions()["a161b714-409c-4428-b77f-3ad95b9b3b74"]
    with pytest.raises(SkipRecord, match="not a motion read"):
        motions.decided(besluit, rows, {})


@pytest.mark.parametrize(
    ("kind", "decision"),
    [
        ("Stemmen - aangehouden", "held"),
        ("Stemmen - ingetrokken", "withdrawn"),
        ("Stemmen - niet aangenomen", "rejected"),
    ],
)
def test_held_withdrawn_and_tied(kind: str, decision: str) -> None:
    besluit, _ = decisions()["a161b714-409c-4428-b77f-3ad95b9b3b74"]
    data = motions.decided({**besluit, "BesluitSoort": kind}, [], {ADOPTED: "21501-08-943"}).payload()
    assert isinstance(data, MotionDecided) and data.decision == decision and data.votes == []


def test_unknown_decision_kinds_and_votes_are_skipped_procedure_is_no_event() -> None:
    besluit, rows = decisions()["a161b714-409c-4428-b77f-3ad95b9b3b74"]
    known = {ADOPTED: "21501-08-943"}
    with pytest.raises(SkipRecord, match="BesluitSoort"):
        motions.decided({**besluit, "BesluitSoort": "Stemmen - uitgesteld"}, rows, known)
    with pytest.raises(SkipRecord, match="unknown vote"):
        motions.decided(besluit, [{**rows[0], "Soort": "Misschien"}], known)
    assert motions.decided({**besluit, "BesluitSoort": "Behandelen [en afdoen]"}, rows, known) is None


def activity(status: str | None, dated: bool = True) -> dict[str, Any]:
    return next(
        a for a in load("activiteit_subset.json")
        if a["Status"] == status and a["Soort"] in ("Commissiedebat", None) and bool(a["Datum"]) == dated
    )  # fmt: skip


def test_committee_debates_become_meetings_of_the_committee() -> None:
    planned = activities.debate_event(activity("Gepland")).payload()
    held = activities.debate_event(activity("Uitgevoerd")).payload()
    assert planned.TYPE == held.TYPE == "forum.meeting_reported"
    assert (planned.held, held.held) == (False, True)
    assert planned.forum_id.startswith("tk-") and planned.forum == activity("Gepland")["Voortouwnaam"]
    assert planned.start == dt.date.fromisoformat(activity("Gepland")["Datum"][:10])
    assert planned.document_id == f"tk-activiteit-{activity('Gepland')['Nummer']}"


@pytest.mark.parametrize(
    ("subject", "old", "new"),
    [  # subjects of recorded Activiteit records
        ("Hersteloperatie kinderopvangtoeslag (Verplaatst naar 23 september 2025)", "2025-09-24", "2025-09-23"),
        ("Zoönosen en dierziekten - VERPLAATST naar 27 november", "2025-11-20", "2025-11-27"),
        ("Rijksvastgoed en renovatie Binnenhof (Verplaatst naar 4 maart )", "2025-06-25", "2026-03-04"),
        ("Verzameldebat CAS (verplaatst naar nader te bepalen datum)", "2024-11-07", None),
        ("Kapitaalmarktunie (Tot nader order uitgesteld)", "2025-09-23", None),
    ],
)
def test_the_new_day_of_a_moved_debate_comes_from_its_subject(subject: str, old: str, new: str | None) -> None:
    expected = dt.date.fromisoformat(new) if new else None
    assert activities.moved_to(subject, dt.date.fromisoformat(old)) == expected


def test_moves_and_cancellations_are_events_and_undated_or_other_activities_are_not() -> None:
    moved = activities.debate_event(activity("Verplaatst"))
    cancelled = activities.debate_event(activity("Geannuleerd"))
    assert (moved.type, cancelled.type) == ("forum.meeting_moved", "forum.meeting_cancelled")
    assert moved.payload().activity_number == activity("Verplaatst")["Nummer"]
    assert (moved.payload().scheduled_for, moved.payload().moved_to) == (dt.date(2024, 9, 5), dt.date(2024, 9, 4))
    assert activities.debate_event(activity("Gepland", dated=False)) is None
    other = next(a for a in load("activiteit_subset.json") if a["Soort"] == "Procedurevergadering")
    assert activities.debate_event(other) is None
    with pytest.raises(SkipRecord, match="Status"):
        activities.debate_event({**activity("Gepland"), "Status": "Onbekend"})


# --- Toezegging: NO REAL RECORD EXISTS in any source available here. The record below is SYNTHETIC, built
# field by field from the real $metadata (EntityType Toezegging) and the SyncFeed XSD; the test checks that
# it has exactly the metadata's properties and the XSD's status values, nothing more.
def metadata_properties(entity: str) -> set[str]:
    xml = (FIXTURES / "api_metadata.xml").read_text()
    block = re.search(rf'<EntityType Name="{entity}".*?</EntityType>', xml, re.S)
    assert block is not None
    return set(re.findall(r'<Property Name="(\w+)"', block.group(0)))


def xsd_statuses() -> list[str]:
    xsd = (FIXTURES / "tkData-v1-0-toezegging.xsd").read_text()
    return re.findall(r'<xs:enumeration value="([^"]+)"', xsd)


SYNTHETIC_TOEZEGGING = {  # SYNTHETIC: not real data (see above)
    "Id": "00000000-0000-4000-8000-00000000t001",
    "Aanmaakdatum": "2025-03-12T00:00:00+01:00",
    "Nummer": "TZ202503-999",
    "ActiviteitNummer": "2025A00001",
    "Naam": "SYNTHETISCH",
    "Achternaam": "Voorbeeld",
    "Initialen": "A.B.",
    "Voornaam": "Anna",
    "Achtervoegsel": None,
    "Titulatuur": None,
    "Functie": "minister van Voorbeeldzaken",
    "Status": "Openstaand",
    "DatumNakoming": "2025-06-30T00:00:00+02:00",
    "KamerbriefNakoming": None,
    "Ministerie": "Voorbeeldzaken",
    "Tekst": "SYNTHETISCH: de minister stuurt de Kamer voor de zomer een brief over het voorbeeld.",
    "Verwijderd": False,
    "GewijzigdOp": "2025-03-12T10:00:00+01:00",
    "ApiGewijzigdOp": "2025-03-12T09:00:01.1234567Z",
    "Tussenvoegsel": None,
}


def test_the_synthetic_toezegging_has_the_shape_of_the_real_metadata_and_xsd() -> None:
    assert set(SYNTHETIC_TOEZEGGING) == metadata_properties("Toezegging")
    assert xsd_statuses() == ["Openstaand", "Voldaan", "Deels Voldaan", "Vervallen"]


def test_a_toezegging_is_a_commitment_due_on_its_datum_nakoming() -> None:
    made, status = toezeggingen.commitment_events(SYNTHETIC_TOEZEGGING)
    data = made.payload()
    assert made.type == "commitment.made" and data.commitment_id == "c-tk-TZ202503-999"
    assert data.due.start == data.due.end == dt.date(2025, 6, 30)
    assert data.actor == "minister van Voorbeeldzaken, A.B. Voorbeeld"
    assert status.type == "commitment.status_reported" and status.payload().status == "open"


@pytest.mark.parametrize(
    ("status", "code"),
    [
        ("Voldaan", "fulfilled"),
        ("Deels Voldaan", "partly_fulfilled"),
        ("Vervallen", "lapsed"),
        ("Afgedaan", "fulfilled"),
        ("Deels Afgedaan", "partly_fulfilled"),
    ],  # fmt: skip  (live values, issue #179)
)
def test_register_statuses(status: str, code: str) -> None:
    record = {**SYNTHETIC_TOEZEGGING, "Status": status, "KamerbriefNakoming": "SYNTHETISCH-2025Z00001"}
    events = toezeggingen.commitment_events(record)
    assert events[1].payload().status == code
    fulfilled = [e for e in events if e.type == "commitment.fulfilled"]
    assert len(fulfilled) == (code == "fulfilled")
    if fulfilled:
        assert fulfilled[0].payload().by == "open_data" and "SYNTHETISCH-2025Z00001" in fulfilled[0].payload().evidence


@pytest.mark.parametrize("change", [{"Status": ""}, {"Status": "Misschien"}, {"DatumNakoming": None}, {"Tekst": " "}])
def test_a_toezegging_with_an_unknown_status_or_missing_fields_is_skipped(change: dict[str, Any]) -> None:
    with pytest.raises(SkipRecord):
        toezeggingen.commitment_events({**SYNTHETIC_TOEZEGGING, **change})
