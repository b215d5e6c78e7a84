"""notify applies ingest's corrections: a merged or withdrawn commitment never comes due, a statement read
anew or retracted changes the deadline rule, and an alert the rule no longer yields is taken back."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime

import pytest

from schemas.deadline_rule import Correction
from schemas.events import (
    CommitmentFulfilled,
    CommitmentMade,
    CommitmentMerged,
    CommitmentReadingChanged,
    CommitmentStatementRetracted,
    CommitmentWithdrawn,
    Envelope,
    IngestWatermark,
    Reading,
)
from schemas.ids import event_id
from services.common.db import make_engine
from services.notify import watcher
from services.notify.adapters import orm
from services.notify.adapters.fakes import FakePublisher, FakeTransactions
from services.notify.adapters.repository import SqlTransactions, Transactions
from services.notify.domain.messages import SUMMARIES
from services.notify.handlers import HANDLERS, handle
from services.notify.watcher import DeadlineWatcher
from tests.helpers.events import AIV, H2_2020, due, ev, worked_example_aiv
from tests.unit.test_notify_handlers import subscription
from tests.unit.test_notify_repository import delivery

PASSED, RETRACTED = "commitment.deadline_passed", "commitment.statement_retracted"


def ingested() -> list[Envelope]:
    return [e for e in worked_example_aiv() if e.type != PASSED]


class Notify:
    """notify on its fakes, with a stream it consumes back from: what the watcher publishes is projected too."""

    def __init__(self) -> None:
        self.uow, self.stream = FakeTransactions(), FakePublisher()
        self.watcher = DeadlineWatcher(self.uow, self.stream)
        self.applied = 0

    async def feed(self, *events: Envelope) -> list[Envelope]:
        """Publish, project and evaluate until the stream is quiet; returns what notify published."""
        for event in events:
            await self.stream.publish(event)
        start = len(self.stream.events)
        while self.applied < len(self.stream.events):
            self.applied += 1
            event = self.stream.events[self.applied - 1]
            with self.uow() as repo:
                handle(repo, event, self.applied)
            await self.watcher.after_commit(event, self.applied)
        return self.stream.events[start:]

    def deliveries(self, sub_id: str = "sub-1") -> list[tuple[str, str]]:
        with self.uow() as repo:
            return [(d.event_type, d.status) for d in repo.deliveries_of(sub_id)]


def follows_aiv(notify: Notify) -> None:
    with notify.uow() as repo:
        repo.add_subscription(subscription(1, commitment_id=AIV))


def withdrawn() -> Envelope:
    return ev(CommitmentWithdrawn(commitment_id=AIV, document_id="doc-000", reason="no longer read"), None, "w")


async def test_a_withdrawn_commitment_never_comes_due_and_its_followers_hear_it() -> None:
    notify = Notify()
    follows_aiv(notify)
    events = ingested()
    published = await notify.feed(*events[:2], withdrawn(), *events[2:])  # the withdrawal even before the made
    assert [e.type for e in published] == []
    assert ("commitment.withdrawn", "pending") in notify.deliveries()
    assert PASSED not in {t for t, _ in notify.deliveries()}


async def test_a_merge_after_the_alerts_cancels_their_pending_deliveries_and_retracts_them_once() -> None:
    notify = Notify()
    follows_aiv(notify)
    alerts = await notify.feed(*ingested())
    assert [e.data["deadline"] for e in alerts] == ["2020-12-31", "2021-06-30"]
    assert notify.deliveries().count((PASSED, "pending")) == 2
    merged = ev(CommitmentMerged(commitment_id=AIV, into="c-older", reason="a later statement of c-older"), None, "m")
    retractions = await notify.feed(merged)
    assert [(e.type, e.data["retracts"]) for e in retractions] == [(RETRACTED, a.id) for a in alerts]
    assert [e.id for e in retractions] == [event_id(RETRACTED, AIV, a.id) for a in alerts]
    assert notify.deliveries().count((PASSED, "cancelled")) == 2
    assert ("commitment.merged", "pending") in notify.deliveries()
    assert await notify.watcher.sweep(notify.applied) == []  # taken back once, never again


async def test_a_statement_read_anew_moves_the_due_and_a_retracted_revision_drops_out() -> None:
    notify = Notify()
    events = ingested()
    made, revised = (next(e for e in events if e.type == t) for t in ("commitment.made", "commitment.deadline_revised"))
    old = Reading.of(made.type, made.data)
    later = old.model_copy(update={"due": due(date(2025, 7, 1), date(2025, 12, 31), "half"), "motions": ["36000-1"]})
    read_anew = ev(
        CommitmentReadingChanged(
            commitment_id=AIV, corrects=made.id, statement=made.type, document_id="doc-000", old=old, new=later,
            reason="new extractor",
        ),
        None,
        "r",
    )  # fmt: skip
    retract = ev(
        CommitmentStatementRetracted(
            commitment_id=AIV, retracts=revised.id, statement=revised.type, document_id="doc-002", reason="relinked"
        ),
        None,
        "x",
    )
    with notify.uow() as repo:
        repo.add_subscription(subscription(1, motion_id="36000-1"))
    alerts = await notify.feed(*events)
    assert [e.data["deadline"] for e in alerts] == ["2020-12-31", "2021-06-30"]
    # due 2025 now, and the revision is gone: a 2023 watermark passes neither deadline
    assert [e.data["retracts"] for e in await notify.feed(read_anew, retract)] == [a.id for a in alerts]
    # matched through the motion the new reading names
    assert notify.deliveries() == [(RETRACTED, "pending")] * 3
    with notify.uow() as repo:
        assert repo.indexed_events([read_anew.type]) == []  # recorded, not alerted


async def test_a_retracted_fulfilment_lets_the_deadline_pass() -> None:
    made = ev(
        CommitmentMade(commitment_id="c-1", text="zal rapporteren", actor=None, due=H2_2020, document_id="d-1"),
        date(2020, 1, 10),
        "made",
    )
    done = ev(CommitmentFulfilled(commitment_id="c-1", evidence="gerapporteerd", document_id="d-2"), date(2020, 9, 1))
    mark = ev(IngestWatermark(source="files", up_to=date(2021, 3, 1)), date(2021, 3, 1), "files")
    notify = Notify()
    assert await notify.feed(made, done, mark) == []
    retract = ev(
        CommitmentStatementRetracted(
            commitment_id="c-1", retracts=done.id, statement=done.type, document_id="d-2", reason="another commitment"
        ),
        None,
        "x",
    )
    assert [(e.type, e.data["deadline"]) for e in await notify.feed(retract)] == [(PASSED, "2020-12-31")]


def test_every_correction_is_handled_and_the_alerted_ones_have_a_summary() -> None:
    alerted = {t for t in (CommitmentMerged.TYPE, CommitmentWithdrawn.TYPE, RETRACTED) if HANDLERS[t].alerts}
    assert alerted == {CommitmentMerged.TYPE, CommitmentWithdrawn.TYPE, RETRACTED}
    assert alerted <= set(SUMMARIES)
    assert not HANDLERS[CommitmentReadingChanged.TYPE].alerts


@pytest.fixture(params=["sql", "memory"])
def transactions(request: pytest.FixtureRequest, new_database: Callable[[], str]) -> Iterator[Transactions]:
    if request.param == "memory":
        yield FakeTransactions()
        return
    engine = make_engine(new_database())
    orm.create_all(engine)
    try:
        yield SqlTransactions(engine)
    finally:
        engine.dispose()


def test_the_store_keeps_corrections_and_cancels_only_pending_deliveries(transactions: Transactions) -> None:
    reading = Reading(text="anders gelezen", due=H2_2020)
    facts = [
        Correction("ev-r", "c-1", CommitmentReadingChanged.TYPE, 7, "ev-made", reading),
        Correction("ev-w", "c-1", CommitmentWithdrawn.TYPE, 9),
        Correction("ev-o", "c-2", CommitmentWithdrawn.TYPE, 3),
    ]
    with transactions() as repo:
        for fact in facts + facts[:1]:
            repo.add_correction(fact)
        assert sorted(repo.load_corrections(["c-1"]), key=lambda c: c.sequence) == facts[:2]
        repo.add_subscription(subscription(1))
        repo.add_deliveries([delivery(1), delivery(2, status="delivered"), delivery(3)])
        assert repo.cancel_pending(["ev-1", "ev-2"]) == 1
        assert [d.status for d in repo.deliveries_of("sub-1")] == ["cancelled", "delivered", "pending"]


async def test_a_watermark_dated_2099_reports_nothing_before_its_time(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(watcher, "now", lambda: datetime(2026, 12, 4, 12, tzinfo=UTC))
    made = ev(
        CommitmentMade(commitment_id="c-1", text="evaluatie", actor=None, document_id="d-1",
                       due=due(date(2027, 1, 1), date(2027, 7, 1), "day")),
        date(2026, 6, 1),
        "made",
    )  # fmt: skip
    typo = ev(IngestWatermark(source="files", up_to=date(2099, 1, 1)), date(2099, 1, 1), "files")
    notify = Notify()
    assert await notify.feed(made, typo) == []
    monkeypatch.setattr(watcher, "now", lambda: datetime(2027, 7, 2, 12, tzinfo=UTC))
    assert [e.data["deadline"] for e in await notify.watcher.sweep(notify.applied)] == ["2027-07-01"]
