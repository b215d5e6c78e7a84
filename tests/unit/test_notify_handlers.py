"""notify's handlers, deadline watcher and delivery worker on the in-memory fakes of its ports."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from schemas.codec import AMSTERDAM, day_start
from schemas.events import Envelope
from schemas.ids import event_id
from services.common.db import make_engine
from services.notify.adapters import orm
from services.notify.adapters.fakes import FakeNotifications, FakePublisher, FakeTransactions
from services.notify.adapters.notifications import CHANNELS, SendResult
from services.notify.bootstrap import make_projection
from services.notify.domain.model import Channel, Subscription
from services.notify.domain.retry import RetrySchedule
from services.notify.handlers import APPLYING, HANDLERS, IGNORED, NotifyProjection, UnhandledEvent, backfill, handle
from services.notify.watcher import DeadlineWatcher
from services.notify.worker import DeliveryWorker, WorkerConfig
from tests.helpers.events import AIV, worked_example_aiv

PASSED = "commitment.deadline_passed"
T0 = datetime(2024, 5, 1, tzinfo=UTC)


def ingested() -> list[Envelope]:
    """The AIV example as ingest publishes it: without the deadline_passed events notify adds."""
    return [e for e in worked_example_aiv() if e.type != PASSED]


def subscription(n: int, channel: str = "webhook", **fields: object) -> Subscription:
    values: dict[str, object] = dict(
        id=f"sub-{n}", channel=channel, target=f"http://hooks.test/{n}", since=day_start(date(2019, 1, 1)),
        created_at=T0 + timedelta(seconds=n), secret="whsec_c2VjcmV0",
    ) | fields  # fmt: skip
    return Subscription(**values)  # type: ignore[arg-type]


def project(transactions: FakeTransactions, events: list[Envelope], first: int = 1) -> None:
    for sequence, event in enumerate(events, start=first):
        with transactions() as repo:
            handle(repo, event, sequence)


def test_each_matching_subscription_gets_one_delivery_per_event() -> None:
    uow = FakeTransactions()
    with uow() as repo:
        repo.add_subscription(subscription(1, motion_id="33694-43", event_types=["commitment.made"]))
        repo.add_subscription(subscription(2, forum_id="reaim"))
        repo.add_subscription(subscription(3, commitment_id=AIV, event_types=["commitment.fulfilled"]))
    events = ingested()
    project(uow, events)
    project(uow, events, first=100)  # the same events stored again: applied once
    with uow() as repo:
        by_sub = {s: [(d.event_type, d.summary) for d in repo.deliveries_of(s)] for s in ("sub-1", "sub-2", "sub-3")}
        assert len(repo.indexed_events(HANDLERS)) == len(events)
    assert by_sub["sub-1"] == [("commitment.made", "New commitment (due 2020-07-01 to 2020-12-31 (half)): "
                                                   "advies geactualiseerd")]  # fmt: skip
    assert by_sub["sub-2"] == []
    assert by_sub["sub-3"] == [("commitment.fulfilled", "Commitment fulfilled: advies geactualiseerd")] * 2


def test_a_new_subscription_is_backfilled_from_since_once() -> None:
    uow = FakeTransactions()
    project(uow, ingested())
    late = subscription(1, commitment_id=AIV, since=day_start(date(2021, 1, 1)))
    with uow() as repo:
        repo.add_subscription(late)
        # the revision of 2021-03-22 and both fulfilments (one undated: learned after `since`)
        assert backfill(repo, late) == 3
        assert backfill(repo, late) == 0
        assert sorted(d.event_type for d in repo.deliveries_of("sub-1")) == [
            "commitment.deadline_revised", "commitment.fulfilled", "commitment.fulfilled",
        ]  # fmt: skip


def test_an_event_type_without_an_entry_is_an_error(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delitem(HANDLERS, "motion.referenced")
    event = next(e for e in ingested() if e.type == "motion.referenced")
    uow = FakeTransactions()
    with pytest.raises(UnhandledEvent, match=r"motion\.referenced"), uow() as repo:
        handle(repo, event, 1)
    with uow() as repo:
        assert not repo.event_seen(event.id)
    # Through the projection: nothing commits, the checkpoint stays, so the consumer retries and dead-letters it.
    engine = make_engine(f"sqlite:///{tmp_path / 'notify.db'}")
    orm.create_all(engine)
    projection = make_projection(engine)
    with pytest.raises(UnhandledEvent):
        projection.apply_once(event, 1)
    assert projection.applied_sequence() == 0
    engine.dispose()


def test_applying_an_event_holds_the_lock_subscription_backfills_take(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'notify.db'}")
    orm.create_all(engine)
    held: list[bool] = []
    projection = NotifyProjection(
        "probe", engine, orm.checkpoint, lambda session, event, seq: held.append(APPLYING.locked())
    )
    assert projection.apply_once(ingested()[0], 1)
    assert held == [True] and not APPLYING.locked()
    engine.dispose()


def test_an_ignored_type_is_neither_indexed_nor_delivered(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(HANDLERS, "motion.referenced", IGNORED)
    uow = FakeTransactions()
    with uow() as repo:
        repo.add_subscription(subscription(1, motion_id="33694-43"))
    project(uow, ingested())
    with uow() as repo:
        assert [e.type for e in repo.indexed_events(["motion.referenced"])] == []
        assert "motion.referenced" not in {d.event_type for d in repo.deliveries()}
        assert "document.ingested" in {d.event_type for d in repo.deliveries()}


async def test_the_watcher_publishes_each_passed_deadline_once_when_caught_up() -> None:
    uow, stream = FakeTransactions(), FakePublisher()
    for event in ingested():
        await stream.publish(event)
    watcher = DeadlineWatcher(uow, stream)
    events = ingested()
    project(uow, events[:-1])
    await watcher.after_commit(events[-2], len(events) - 1)  # behind the stream: waits for the rest
    assert await stream.last_sequence() == len(events)
    project(uow, events[-1:], first=len(events))
    await watcher.after_commit(events[-1], len(events))
    passed = stream.events[len(events) :]
    assert [(e.subject, e.data["deadline"], e.occurred_at) for e in passed] == [
        (AIV, "2020-12-31", datetime(2021, 1, 1, tzinfo=AMSTERDAM)),
        (AIV, "2021-06-30", datetime(2021, 7, 1, tzinfo=AMSTERDAM)),
    ]
    assert all(e.id == event_id(PASSED, AIV, AIV, e.data["deadline"]) for e in passed)
    assert {e.causation_id for e in passed} == {events[-1].id}
    assert {e.data["text"] for e in passed} == {"advies geactualiseerd"}
    # consumed back from the stream, and evaluated again: nothing new
    project(uow, passed, first=len(events) + 1)
    assert await watcher.sweep(len(stream.events)) == []
    with uow() as repo:
        assert [(p.deadline, p.stream_sequence) for p in repo.published_deadlines()] == [
            (date(2020, 12, 31), len(events) + 1),
            (date(2021, 6, 30), len(events) + 2),
        ]


def worker_for(uow: FakeTransactions, notifications: FakeNotifications, max_attempts: int = 3) -> DeliveryWorker:
    # base 0: a failed delivery is due again at once, so run_once goes through the whole schedule
    config = WorkerConfig(RetrySchedule(max_attempts, 0.0, 0.0), timedelta(seconds=40), 4, 0.01)
    return DeliveryWorker(uow, {"webhook": notifications}, config)


def queued(uow: FakeTransactions, sub: Subscription) -> str:
    with uow() as repo:
        repo.add_subscription(sub)
    project(uow, ingested()[2:3])  # the commitment.made
    with uow() as repo:
        [delivery] = repo.deliveries_of(sub.id)
    return delivery.id


async def test_the_worker_retries_with_the_same_delivery_then_records_success() -> None:
    uow, hook = FakeTransactions(), FakeNotifications(SendResult(False, 500, "HTTP 500"), SendResult(False, 503, "x"))
    delivery_id = queued(uow, subscription(1, commitment_id=AIV))
    worker = worker_for(uow, hook)
    assert [await worker.run_once() for _ in range(4)] == [1, 1, 1, 0]
    assert [d.id for d, _ in hook.sent] == [delivery_id] * 3
    with uow() as repo:
        delivery = repo.delivery(delivery_id)
        log = repo.attempts_of([delivery_id])[delivery_id]
    assert (delivery.status, delivery.attempts, delivery.last_error) == ("delivered", 3, None)
    assert [(a.number, a.outcome, a.http_status) for a in log] == [(1, "retry", 500), (2, "retry", 503),
                                                                    (3, "delivered", 200)]  # fmt: skip


@pytest.mark.parametrize(
    ("results", "statuses"),
    [
        ((SendResult(False, error="SMTP 550: no such mailbox", permanent=True),), ["failed"]),
        ((SendResult(False, error="refused"),) * 5, ["retry", "retry", "failed"]),
    ],
)
async def test_the_worker_gives_up_on_permanent_errors_and_after_max_attempts(
    results: tuple[SendResult, ...], statuses: list[str]
) -> None:
    uow, hook = FakeTransactions(), FakeNotifications(*results)
    delivery_id = queued(uow, subscription(1, commitment_id=AIV))
    worker = worker_for(uow, hook)
    while await worker.run_once():
        pass
    with uow() as repo:
        assert repo.delivery(delivery_id).status == "failed"
        assert [a.outcome for a in repo.attempts_of([delivery_id])[delivery_id]] == statuses


async def test_the_worker_cancels_for_a_deleted_subscription_and_never_guesses_a_channel() -> None:
    uow, hook = FakeTransactions(), FakeNotifications()
    with uow() as repo:
        repo.add_subscription(subscription(2, "pigeon", commitment_id=AIV))
    deleted = queued(uow, subscription(1, commitment_id=AIV))
    with uow() as repo:
        [unknown_channel] = repo.deliveries_of("sub-2")
        # deactivated, as if deleted between queueing and sending (deleting cancels what is pending)
        repo.state.subscriptions["sub-1"] = subscription(1, commitment_id=AIV, active=False)
    await worker_for(uow, hook, max_attempts=1).run_once()
    assert hook.sent == []
    with uow() as repo:
        assert repo.delivery(deleted).status == "cancelled"
        assert repo.delivery(unknown_channel.id).status == "failed"
        assert "pigeon" in (repo.delivery(unknown_channel.id).last_error or "")


def test_the_retry_schedule() -> None:
    schedule = RetrySchedule(max_attempts=6, base=1.0, cap=10.0)
    assert schedule.pauses() == [1.0, 2.0, 4.0, 8.0, 10.0]
    assert schedule.outcome(True, False, 6) == "delivered"
    assert schedule.outcome(False, False, 5) == "retry"
    assert schedule.outcome(False, False, 6) == "failed"
    assert schedule.outcome(False, True, 1) == "failed"


def test_every_channel_has_an_adapter_that_checks_its_targets() -> None:
    assert set(CHANNELS) == set(Channel)
    assert CHANNELS[Channel.EMAIL].check_target("griffie@tweedekamer.test") == "griffie@tweedekamer.test"
    assert CHANNELS[Channel.WEBHOOK].check_target("https://example.org/hook") == "https://example.org/hook"
    for channel, bad in [(Channel.EMAIL, "not-an-address"), (Channel.WEBHOOK, "ftp://example.org/hook")]:
        with pytest.raises(ValueError):
            CHANNELS[channel].check_target(bad)
    assert [c for c, spec in CHANNELS.items() if spec.signed] == [Channel.WEBHOOK]
