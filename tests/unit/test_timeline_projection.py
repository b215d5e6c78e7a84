"""The timeline projection on real SQLite and PostgreSQL databases, fed hand-built events in various orders."""

from __future__ import annotations

import itertools
import random
from collections.abc import Callable

from sqlalchemy import select as sa_select
from sqlmodel import Session

from schemas.events import Envelope
from services.timeline.app import make_projection
from services.timeline.store import Commitment, metadata
from tests.helpers.events import AIV, worked_example_aiv

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
