"""One deadline rule: notify (what it publishes and takes back) and the timeline (what it shows) agree on every
commitment's current due and status, whatever order its events arrive in; the answer depends on event time only."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from datetime import date, timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlmodel import Session

from schemas.deadline_rule import commitment_state, passed_deadlines
from schemas.events import (
    CommitmentDeadlineRevised,
    CommitmentFulfilled,
    CommitmentMade,
    CommitmentWithdrawn,
    Envelope,
    IngestWatermark,
)
from services.notify.handlers import commitment_now
from services.timeline.adapters.orm import Commitment
from services.timeline.bootstrap import make_projection
from tests.helpers.events import due, ev
from tests.unit.test_notify_corrections import Notify

C = "c-1"
START = date(2020, 1, 1)
days = st.integers(0, 3 * 365).map(lambda n: START + timedelta(days=n))
dates = st.none() | days


@st.composite
def histories(draw: st.DrawFn) -> list[Envelope]:
    def a_due() -> object:
        end = draw(st.none() | days)
        return None if end is None else due(end - timedelta(days=draw(st.integers(0, 90))), end, "day")

    events = [
        ev(CommitmentMade(commitment_id=C, text="t", actor=None, due=a_due(), document_id="d-0"), draw(days), "m")
    ]
    for n in range(draw(st.integers(0, 3))):
        revised = CommitmentDeadlineRevised(
            commitment_id=C, due=a_due(), previous_due=None, text=f"r{n}", document_id=f"d-{n + 1}"
        )
        events.append(ev(revised, draw(dates), "r", n))
    for n in range(draw(st.sampled_from([0, 0, 0, 1, 2]))):
        events.append(ev(CommitmentFulfilled(commitment_id=C, evidence="e", document_id=f"f-{n}"), draw(dates), n))
    for n in range(draw(st.integers(1, 2))):
        up_to = draw(days) + timedelta(days=365)  # mostly after the deadlines: they pass
        events.append(ev(IngestWatermark(source=f"s{n}", up_to=up_to), up_to, "w", n))
    if draw(st.sampled_from([False, False, False, False, True])):
        events.append(ev(CommitmentWithdrawn(commitment_id=C, document_id="d-0", reason="gone"), None, "x"))
    return events


def notify_and_timeline(events: list[Envelope], new_database: Callable[[], str]) -> tuple[object, object, object]:
    notify = Notify()
    for event in events:
        asyncio.run(notify.feed(event))
    with notify.uow() as repo:
        now = commitment_now(repo, C)
        alerted = {p.deadline for p in repo.published_deadlines() if p.event_id not in now.retracted}
        watermark = max(repo.load_watermarks().values())
    rule = [] if now.closed else passed_deadlines(C, now.statements, now.fulfilments, watermark)
    state = commitment_state(now, alerted)
    projection = make_projection(new_database())
    for sequence, event in enumerate(notify.stream.events, start=1):
        projection.apply_once(event, sequence)
    with Session(projection.engine) as session:
        row = session.get(Commitment, C)
        assert row is not None
        shown = (row.due_end, "closed" if row.status == "withdrawn" else row.status)
    projection.engine.dispose()
    # what notify published and did not take back is what the rule gives now
    assert alerted == {p.deadline for p in rule}
    return (state.due.end if state.due else None, state.status), shown, alerted


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(events=histories(), random=st.randoms(use_true_random=False))
def test_notify_and_the_timeline_agree_in_any_arrival_order(
    events: list[Envelope], random: object, new_database: Callable[[], str]
) -> None:
    shuffled = list(events)
    random.shuffle(shuffled)  # type: ignore[attr-defined]
    in_order = notify_and_timeline(events, new_database)
    any_order = notify_and_timeline(shuffled, new_database)
    assert in_order[0] == in_order[1]  # notify's state is the timeline's
    assert any_order[0] == any_order[1]
    assert in_order == any_order  # and neither depends on arrival order
