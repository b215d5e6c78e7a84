"""A poll of the Tweede Kamer open data end to end, against recorded records served with real nextLinks:
durable cursor, re-polls that publish nothing, changes upstream as new events, bad input skipped."""

from __future__ import annotations

import asyncio
import copy
import datetime as dt
from collections import Counter
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlmodel import Session

from schemas.events import Envelope
from services.common.db import make_engine
from services.common.nats import Published
from services.ingest.opendata import registry
from services.ingest.opendata.feed import PollReport, TkFeed
from services.ingest.opendata.odata import ODataClient, RetryPolicy
from tests.helpers.tk_odata import FakeGegevensmagazijn, load, recorded_zaken
from tests.unit.test_opendata_events import ADOPTED, SYNTHETIC_TOEZEGGING


class Stream:
    """Stands in for the broker: keeps every published event, in order."""

    def __init__(self) -> None:
        self.events: list[Envelope] = []
        self.fail = False

    async def __call__(self, event: Envelope) -> Published:
        if self.fail:
            raise ConnectionError("NATS is down")
        self.events.append(event)
        return Published(event.id, len(self.events), False)

    def types(self) -> Counter[str]:
        return Counter(e.type for e in self.events)


def recorded() -> dict[str, list[dict[str, Any]]]:
    return {
        "Zaak": recorded_zaken(),
        "Stemming": load("stemming_subset.json"),
        "Activiteit": load("activiteit_subset.json"),
        "Besluit": [],  # no Besluit with its Zaak expanded was recorded: see the composed ones below
        "Toezegging": [copy.deepcopy(SYNTHETIC_TOEZEGGING)],  # SYNTHETIC: no real Toezegging record exists
    }


def composed_besluit(besluit_id: str, **changes: Any) -> dict[str, Any]:
    """COMPOSED: a recorded Besluit with `Zaak` and `Stemming` expanded as the live service would, built from
    the recorded Stemming rows (Besluit → Agendapunt → Zaak); `changes` edit it and say so in the test."""
    rows = [r for r in load("stemming_subset.json") if r["Besluit_Id"] == besluit_id]
    besluit = {k: v for k, v in rows[0]["Besluit"].items() if k != "Agendapunt"}
    return {**besluit, "Zaak": rows[0]["Besluit"]["Agendapunt"]["Zaak"], "Stemming": rows, **changes}


class Rig:
    def __init__(self, tmp_path: Path) -> None:
        self.fake = FakeGegevensmagazijn(entities=recorded(), page_size=4)
        self.stream = Stream()
        self.engine = make_engine(f"sqlite:///{tmp_path / 'ingest.db'}")

    def poll(self, since: dt.date | None = dt.date(2020, 1, 1)) -> PollReport:
        async def run() -> PollReport:
            async with httpx.AsyncClient(transport=self.fake.transport()) as http:
                client = ODataClient(self.fake.base_url, http, RetryPolicy(attempts=2, first_delay=0))
                return await TkFeed(client, self.engine, self.stream, since).poll()

        return asyncio.run(run())


@pytest.fixture
def rig(tmp_path: Path) -> Rig:
    return Rig(tmp_path)


def test_a_first_poll_publishes_motions_votes_debates_and_commitments(rig: Rig) -> None:
    report = rig.poll()
    assert report.complete
    assert rig.stream.types() == {
        "motion.submitted": 3,
        "motion.appraised": 3,
        "motion.decided": 3,  # the fourth Besluit sits on an Agendapunt of several motions: skipped
        "forum.meeting_reported": 2,
        "forum.meeting_moved": 1,
        "forum.meeting_cancelled": 1,
        "opendata.record_deleted": 1,
        "commitment.made": 1,
        "commitment.status_reported": 1,
    }
    assert report.entities["Stemming"].skipped == 1
    decided = {e.payload().motion_id: e.payload().decision for e in rig.stream.events if e.type == "motion.decided"}
    assert decided == {"21501-08-943": "adopted", "22343-423": "adopted", "25657-370": "rejected"}
    assert len({e.id for e in rig.stream.events}) == len(rig.stream.events)


def test_the_cursor_is_durable_and_a_second_poll_publishes_nothing(rig: Rig) -> None:
    rig.poll()
    first = len(rig.stream.events)
    with Session(rig.engine) as session:
        cursors = {e: registry.cursor(session, e) for e in ("Zaak", "Stemming", "Activiteit", "Toezegging")}
    assert all(cursors.values())  # (Besluit has no records here, so no cursor)
    requests = len(rig.fake.requests)
    report = rig.poll()
    assert len(rig.stream.events) == first and report.published == 0
    filters = [httpx.URL(r).params.get("$filter", "") for r in rig.fake.requests[requests:]]
    assert len(filters) == 5 and all("ApiGewijzigdOp gt" in f for f in filters)


def test_a_re_read_of_everything_publishes_nothing_again(rig: Rig) -> None:
    rig.poll()
    first = len(rig.stream.events)
    with Session(rig.engine) as session:  # lose the cursors: every record is read again
        for row in session.exec(registry.select(registry.OpenDataCursor)).all():
            session.delete(row)
        session.commit()
    report = rig.poll()
    assert len(rig.stream.events) == first
    assert report.published == 0 and sum(e.unchanged for e in report.entities.values()) == first


def test_a_record_changed_upstream_becomes_a_new_event_and_the_old_one_stays(rig: Rig) -> None:
    rig.poll()
    before = list(rig.stream.events)
    zaak = next(z for z in rig.fake.entities["Zaak"] if z["Id"] == ADOPTED)
    zaak["Kabinetsappreciatie"] = "Ontraden"
    zaak["ApiGewijzigdOp"] = "2026-01-05T09:00:00.1234567Z"
    rig.poll()
    new = rig.stream.events[len(before) :]
    assert [e.type for e in new] == ["motion.appraised"]  # the text did not change: no second submission
    assert new[0].payload().appraisal == "advised_against" and new[0].id not in {e.id for e in before}
    assert rig.stream.events[: len(before)] == before


def test_a_corrected_vote_re_reads_every_vote_of_its_besluit(rig: Rig) -> None:
    rig.poll()
    before = len(rig.stream.events)
    rows = [r for r in rig.fake.entities["Stemming"] if r["Besluit_Id"] == "a161b714-409c-4428-b77f-3ad95b9b3b74"]
    already = {r["ActorFractie"] for r in rows if r["Vergissing"]}  # the record has one: SGP
    row = next(r for r in rows if not r["Vergissing"])
    row["Vergissing"] = True
    row["ApiGewijzigdOp"] = "2026-01-05T09:00:00.1234567Z"
    rig.poll()
    new = rig.stream.events[before:]
    assert [e.type for e in new] == ["motion.decided"]
    votes = new[0].payload().votes
    assert len(votes) == 15 and {v.party for v in votes if v.mistaken} == already | {row["ActorFractie"]}


def test_the_besluit_feed_agrees_with_the_votes_and_finds_decisions_without_votes(rig: Rig) -> None:
    adopted = composed_besluit("a161b714-409c-4428-b77f-3ad95b9b3b74")
    held = composed_besluit(  # EDITED: the recorded Besluit of 25657-370 made an aangehouden one without votes
        "97809b80-c57d-4718-a098-637a0a80ebde",
        Id="11111111-2222-4333-8444-555555555555",
        BesluitSoort="Stemmen - aangehouden",
        Stemming=[],
        ApiGewijzigdOp="2026-01-05T09:00:00.1234567Z",
    )
    rig.fake.entities["Besluit"] = [adopted, held]
    assert rig.poll().complete
    decided = [e.payload() for e in rig.stream.events if e.type == "motion.decided"]
    assert len(decided) == 4  # the adopted one once, though both feeds read it
    assert [(d.motion_id, d.votes) for d in decided if d.decision == "held"] == [("25657-370", [])]


def test_a_motion_deleted_upstream_is_a_tombstone_naming_the_motion(rig: Rig) -> None:
    rig.poll()
    zaak = next(z for z in rig.fake.entities["Zaak"] if z["Id"] == ADOPTED)
    # EDITED into the shape of the recorded tombstones (every field null but Id, GewijzigdOp and Verwijderd)
    tombstone = {**dict.fromkeys(zaak, None), "Id": zaak["Id"], "Verwijderd": True,
                 "ApiGewijzigdOp": "2026-01-05T09:00:00.1234567Z"}  # fmt: skip
    rig.fake.entities["Zaak"] = [tombstone if z is zaak else z for z in rig.fake.entities["Zaak"]]
    before = list(rig.stream.events)
    rig.poll()
    new = rig.stream.events[len(before) :]
    assert [(e.type, e.payload().motion_id) for e in new] == [("opendata.record_deleted", "21501-08-943")]
    assert rig.stream.events[: len(before)] == before  # what was published stays


def test_bad_records_are_skipped_and_the_poll_goes_on(rig: Rig) -> None:
    zaak = next(z for z in rig.fake.entities["Zaak"] if z["Id"] == ADOPTED)
    zaak["Kabinetsappreciatie"] = "Een nieuwe categorie"
    for document in zaak["Document"]:  # the publication link is missing: no text, no submission
        document["HuidigeDocumentVersie"]["DocumentPublicatie"] = []
    rig.fake.entities["Activiteit"][1]["Status"] = "Onbekende status"
    report = rig.poll()
    assert report.complete
    assert rig.stream.types()["motion.submitted"] == 2 and rig.stream.types()["motion.appraised"] == 2
    # its motion id still comes from the Zaak's ExterneIdentifier, so its decision is published
    assert rig.stream.types()["motion.decided"] == 3
    assert report.entities["Activiteit"].skipped == 1 and rig.stream.types()["forum.meeting_reported"] == 2


def test_a_malformed_page_ends_that_entity_s_run_without_moving_its_cursor(rig: Rig) -> None:
    rig.fake.broken_pages[("Activiteit", 1)] = b"<html>Service Unavailable</html>"
    report = rig.poll()
    assert not report.entities["Activiteit"].complete and report.entities["Toezegging"].complete
    with Session(rig.engine) as session:
        assert registry.cursor(session, "Activiteit") is None and registry.cursor(session, "Toezegging")
    partial = rig.stream.types()
    assert 0 < sum(partial[t] for t in partial if t.startswith(("forum.", "opendata."))) < 5  # the first page's
    del rig.fake.broken_pages[("Activiteit", 1)]
    assert rig.poll().complete
    assert sum(rig.stream.types()[t] for t in rig.stream.types() if t.startswith(("forum.", "opendata."))) == 5


def test_a_publish_failure_loses_nothing(rig: Rig) -> None:
    rig.stream.fail = True
    with pytest.raises(ConnectionError):
        rig.poll()
    with Session(rig.engine) as session:
        assert registry.cursor(session, "Zaak") is None
    rig.stream.fail = False
    assert rig.poll().complete and rig.stream.types()["motion.submitted"] == 3
