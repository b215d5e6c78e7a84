"""The timeline projection on real SQLite and PostgreSQL databases, fed hand-built events in various orders."""

from __future__ import annotations

import itertools
import random
from collections.abc import Callable

import pytest
from sqlalchemy import select as sa_select
from sqlmodel import Session

from schemas import ids
from schemas.events import (
    CommitmentMade,
    CommitmentMerged,
    CommitmentReadingChanged,
    CommitmentStatementRetracted,
    Envelope,
    Reading,
)
from services.timeline import handlers
from services.timeline.adapters.orm import Commitment, TimelineEntry, metadata
from services.timeline.bootstrap import make_projection
from services.timeline.entrypoints import commitments, motions
from tests.helpers.events import AIV, Q2_2021, D, ev, worked_example_aiv

NewDatabase = Callable[[], str]


def project(new_database: NewDatabase, events: list[Envelope]) -> str:
    url = new_database()
    projection = make_projection(url)
    for sequence, event in enumerate(events, start=1):
        projection.apply_once(event, sequence)
    projection.engine.dispose()
    return url


def dump(url: str, *, drop_sequence: bool = False) -> dict[str, list[tuple]]:
    projection = make_projection(url)
    out = {}
    with projection.engine.connect() as conn:
        for table in metadata.sorted_tables:
            columns = [c for c in table.columns if not (drop_sequence and c.name in ("sequence", "last_sequence"))]
            out[table.name] = sorted(tuple(row) for row in conn.execute(sa_select(*columns)))
    projection.engine.dispose()
    return out


def test_worked_example_commitment_state(new_database: NewDatabase) -> None:
    projection = make_projection(project(new_database, worked_example_aiv()))
    with Session(projection.engine) as session:
        state = session.get(Commitment, AIV)
        assert state is not None
        assert state.status == "fulfilled"
        assert str(state.made_on) == "2019-09-20"
        assert (str(state.due_start), str(state.due_end), state.due_precision) == (
            "2021-04-01",
            "2021-06-30",
            "quarter",
        )
        assert str(state.fulfilled_on) == "2021-12-03"
        assert state.revisions == 1


def test_arrival_order_does_not_change_the_rows(new_database: NewDatabase) -> None:
    events = worked_example_aiv()
    reference = dump(project(new_database, events), drop_sequence=True)
    shuffles = [list(reversed(events))] + [random.Random(seed).sample(events, len(events)) for seed in range(3)]
    for shuffled in shuffles:
        assert dump(project(new_database, shuffled), drop_sequence=True) == reference


def test_redelivered_and_duplicated_events_are_applied_once(new_database: NewDatabase) -> None:
    events = worked_example_aiv()
    once = dump(project(new_database, events))
    db = new_database()
    projection = make_projection(db)
    for sequence, event in enumerate(events, start=1):
        assert projection.apply_once(event, sequence) is True
        assert projection.apply_once(event, sequence) is False  # redelivery at the checkpoint
    # The same event stored again under a later sequence (a publish retried after the dedup window).
    projection.apply_once(events[2], len(events) + 1)
    projection.engine.dispose()
    twice = dump(db)
    twice["projection_checkpoint"] = once["projection_checkpoint"]
    assert twice == once


def test_open_then_overdue_then_revised(new_database: NewDatabase) -> None:
    made, passed, revised = (worked_example_aiv()[i] for i in (2, 4, 5))
    statuses = []
    projection = make_projection(new_database())
    for sequence, event in enumerate([made, passed, revised], start=1):
        projection.apply_once(event, sequence)
        with Session(projection.engine) as session:
            statuses.append(session.get(Commitment, AIV).status)  # type: ignore[union-attr]
    assert statuses == ["open", "overdue", "open"]


def test_every_permutation_of_the_commitment_history_agrees(new_database: NewDatabase) -> None:
    history = [e for e in worked_example_aiv() if e.type.startswith("commitment.")][:5]
    results = set()
    for index, order in enumerate(itertools.permutations(history)):
        if index % 12:  # 10 of the 120 orders keep this quick
            continue
        rows = dump(project(new_database, list(order)), drop_sequence=True)
        results.add(repr(rows["commitment"]))
    assert len(results) == 1


def corrected_example() -> list[Envelope]:
    """The worked example, then: its made statement read anew, a second commitment merged into it, and the
    fulfilment of seed 004 retracted."""
    events = worked_example_aiv()
    made, fulfilled_004 = events[2], events[8]
    old = Reading.of(made.type, made.data)
    new = old.model_copy(update={"actor": "AIV", "motions": ["33694-43", "35848-8"]})
    other = ids.commitment_id("doc-002", "In het tweede kwartaal zal de AIV een nieuw advies publiceren")
    reason = "re-linked in document-date order"
    return [
        *events,
        ev(CommitmentReadingChanged(commitment_id=AIV, corrects=made.id, statement=made.type, document_id="doc-000",
                                    old=old, new=new, reason="re-extracted with extractor 2"), None, "reading"),
        ev(CommitmentMade(commitment_id=other, text="nieuw advies", actor="AIV/CAVV", due=Q2_2021,
                          deliverable="advies", document_id="doc-002", motions=["33694-43"]), D(2021, 3, 22), "other"),
        ev(CommitmentMerged(commitment_id=other, into=AIV, reason=reason), None, "merged"),
        ev(CommitmentStatementRetracted(commitment_id=AIV, retracts=fulfilled_004.id, statement=fulfilled_004.type,
                                        document_id="doc-004", reason=reason), None, "retracted"),
    ]  # fmt: skip


def test_corrections_apply_in_any_arrival_order(new_database: NewDatabase) -> None:
    events = corrected_example()
    reference = dump(project(new_database, events), drop_sequence=True)
    for seed in range(3):
        shuffled = random.Random(seed).sample(events, len(events))
        assert dump(project(new_database, shuffled), drop_sequence=True) == reference
    aiv = next(row for row in reference["commitment"] if row[0] == AIV)
    merged = next(row for row in reference["commitment"] if row[0] != AIV)
    columns = [c.name for c in metadata.tables["commitment"].columns]
    state, closed = dict(zip(columns, aiv, strict=True)), dict(zip(columns, merged, strict=True))
    assert (state["actor"], state["status"], state["fulfilled_on"]) == ("AIV", "fulfilled", None)
    assert (closed["status"], closed["merged_into"]) == ("merged", AIV)
    motions = sorted(r[2] for r in reference["commitmentref"] if r[0] == AIV and r[1] == "motion")
    assert motions == ["33694-43", "35848-8"]
    assert not [r for r in reference["commitmentref"] if r[0] == closed["id"]]
    # The merged commitment's lines are on its own history only; the retracted fulfilment leaves the others.
    retracted = events[8].id
    assert {(r[1], r[2]) for r in reference["entryref"] if r[0] == retracted} == {("commitment", AIV)}
    merged_lines = {e.id for e in events if e.subject == closed["id"]}
    assert {(r[1], r[2]) for r in reference["entryref"] if r[0] in merged_lines} == {("commitment", closed["id"])}


def test_a_changed_reading_shows_on_the_line_it_corrects(new_database: NewDatabase) -> None:
    projection = make_projection(project(new_database, corrected_example()))
    with Session(projection.engine) as session:
        history = commitments.get_commitment(AIV, session)["history"]
        motion = motions.get_motion("35848-8", session)
    made = next(h for h in history if h["type"] == "commitment.made")
    assert made["data"]["actor"] == "AIV" and made["data"]["motions"] == ["33694-43", "35848-8"]
    changed = next(h for h in history if h["type"] == "commitment.reading_changed")
    assert changed["summary"].startswith("Reading changed (re-extracted with extractor 2): actor AIV/CAVV -> AIV")
    assert [c["id"] for c in motion["commitments"]] == [AIV]
    assert {e["type"] for e in motion["timeline"]} >= {"commitment.made", "commitment.deadline_passed"}


def test_an_event_type_without_a_handler_is_an_error_not_skipped(
    new_database: NewDatabase, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delitem(handlers.HANDLERS, "motion.referenced")
    event = next(e for e in worked_example_aiv() if e.type == "motion.referenced")
    projection = make_projection(new_database())
    # Nothing commits and the checkpoint stays: the consumer retries the event, then dead-letters it.
    with pytest.raises(handlers.UnhandledEvent, match=r"no handler for event type 'motion\.referenced'"):
        projection.apply_once(event, 1)
    assert projection.applied_sequence() == 0
    with Session(projection.engine) as session:
        assert session.get(TimelineEntry, event.id) is None
    projection.engine.dispose()
