"""Planning events from an extraction: pure, deterministic, one event per fact."""

from __future__ import annotations

import datetime as dt

from schemas.events import Source
from services.ingest.domain.linking import KnownCommitment, Link
from services.ingest.domain.model import (
    CommitmentStatement,
    Delivery,
    DocumentInfo,
    DueInterval,
    Extraction,
    Kamerstuk,
    Meeting,
    MotionMention,
)
from services.ingest.planning import DocumentFacts, plan_document, resolve_motions

SOURCE = Source(service="ingest", version="test")
Q2 = DueInterval(dt.date(2021, 4, 1), dt.date(2021, 6, 30), "quarter")
H2 = DueInterval(dt.date(2020, 7, 1), dt.date(2020, 12, 31), "half")


def facts(extraction: Extraction, sha: str = "a" * 64) -> DocumentFacts:
    return DocumentFacts(name="letter.txt", content_sha256=sha, extraction=extraction, date_supplied=False)


def letter(day: dt.date | None, **parts: object) -> Extraction:
    info = DocumentInfo(date=day, title="Brief", kind="letter", kamerstuk=Kamerstuk("33694", "63"))
    return Extraction(document=info, **parts)  # type: ignore[arg-type]


def test_a_motion_named_by_its_submitter_takes_the_known_number() -> None:
    ex = letter(dt.date(2021, 3, 22), motions=(MotionMention(None, "Koopmans", "de motie Koopmans c.s."),))
    assert resolve_motions(ex, {"koopmans": {"33694-43"}}).motions[0].id == "33694-43"
    # Two motions of the same member: no guess.
    assert resolve_motions(ex, {"koopmans": {"33694-43", "33694-50"}}).motions[0].id is None
    assert resolve_motions(ex, {}).motions[0].id is None


def test_a_numbered_mention_in_the_same_letter_resolves_the_unnumbered_one_once() -> None:
    ex = letter(
        dt.date(2021, 3, 22),
        motions=(MotionMention("33694-43", "Koopmans", "motie 33694 nr.43"), MotionMention(None, "Koopmans", "x")),
    )
    assert [m.id for m in resolve_motions(ex, {}).motions] == ["33694-43"]


def test_made_revised_and_fulfilled_become_events_of_the_right_commitment() -> None:
    made = CommitmentStatement(text="Het kabinet zal een conferentie organiseren.", actor="kabinet", due=H2)
    revised = CommitmentStatement(text="In het tweede kwartaal zal de AIV een advies publiceren.", actor="AIV", due=Q2)
    delivery = Delivery(actor="AIV", deliverable="advies", on=dt.date(2021, 12, 3), sentence="AIV-advies 119")
    known = KnownCommitment("c-old", "AIV", "advies", frozenset(), H2, dt.date(2019, 9, 20), False)
    ex = letter(
        dt.date(2021, 3, 22),
        commitments=(made, revised),
        deliveries=(delivery,),
        meetings=(Meeting("GGE LAWS", dt.date(2021, 8, 3), dt.date(2021, 8, 13), "De GGE komt bijeen", False),),
    )
    links = [
        Link("made", None, made, None, None),
        Link("revised", "c-old", revised, None, None),
        Link("fulfilled", "c-old", None, delivery, dt.date(2021, 12, 3)),
    ]
    events, changes = plan_document(facts(ex), links, {"c-old": known}, SOURCE)
    types = [e.type for e in events]
    assert types == [
        "document.ingested",
        "forum.meeting_reported",
        "commitment.made",
        "commitment.deadline_revised",
        "commitment.fulfilled",
    ]
    by_type = {e.type: e for e in events}
    assert by_type["document.ingested"].subject == "kst-33694-63"
    assert by_type["commitment.deadline_revised"].subject == "c-old"
    assert by_type["commitment.deadline_revised"].data["previous_due"]["end"] == "2020-12-31"
    assert by_type["commitment.fulfilled"].occurred_at.date() == dt.date(2021, 12, 3)
    assert by_type["forum.meeting_reported"].subject == "gge-laws"
    assert all(e.causation_id == by_type["document.ingested"].id for e in events[1:])
    assert [c.kind for c in changes] == ["made", "revised", "fulfilled"]


def test_planning_twice_gives_the_same_ids_and_an_undated_letter_has_no_event_time() -> None:
    statement = CommitmentStatement(text="Ik zal uw Kamer informeren.", actor="minister", due=None)
    ex = letter(None, commitments=(statement,))
    first, _ = plan_document(facts(ex), [Link("made", None, statement, None, None)], {}, SOURCE)
    again, _ = plan_document(facts(ex), [Link("made", None, statement, None, None)], {}, SOURCE)
    assert [e.id for e in first] == [e.id for e in again]
    assert all(e.occurred_at is None for e in first)
    other, _ = plan_document(facts(ex, sha="b" * 64), [Link("made", None, statement, None, None)], {}, SOURCE)
    assert other[0].id != first[0].id
