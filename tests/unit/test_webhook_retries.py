"""Webhook deliveries on the Standard Webhooks retry schedule, with an injected clock: a receiver down for a day
gets each alert exactly once when it is back, across a restart of notify; 410 Gone disables the endpoint;
resend puts a delivery on a fresh schedule."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from itertools import pairwise

from services.notify.adapters.fakes import FakeTransactions
from services.notify.adapters.notifications import SendResult
from services.notify.domain.model import Delivery, Subscription
from services.notify.domain.retry import STANDARD_WEBHOOKS, RetrySchedule
from services.notify.worker import DeliveryWorker, WorkerConfig
from tests.unit.test_notify_handlers import subscription
from tests.unit.test_notify_repository import delivery

T0 = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)


class Clock:
    def __init__(self) -> None:
        self.now = T0

    def __call__(self) -> datetime:
        return self.now


class Receiver:
    """Answers 503 until `back_at` (or `answer` for ever), then 200; remembers what it got, by webhook-id."""

    def __init__(self, clock: Clock, back_at: datetime, answer: int = 503) -> None:
        self.clock, self.back_at, self.answer = clock, back_at, answer
        self.received: list[str] = []
        self.calls: list[datetime] = []

    async def send(self, delivery: Delivery, subscription: Subscription) -> SendResult:
        self.calls.append(self.clock())
        if self.clock() < self.back_at:
            return SendResult(False, self.answer, f"HTTP {self.answer}")
        self.received.append(delivery.id)
        return SendResult(True, 200)


def worker(uow: FakeTransactions, receiver: Receiver, clock: Clock) -> DeliveryWorker:
    config = WorkerConfig(RetrySchedule.fixed(STANDARD_WEBHOOKS), timedelta(seconds=40), 4, 0.01)
    return DeliveryWorker(uow, {"webhook": receiver}, config, clock=clock)


def queue(uow: FakeTransactions, n: int) -> list[str]:
    with uow() as repo:
        repo.add_subscription(subscription(1))
        repo.add_deliveries([delivery(i, at=T0) for i in range(1, n + 1)])
    return [f"dlv-{i}" for i in range(1, n + 1)]


async def run_until(uow: FakeTransactions, make: object, clock: Clock, end: datetime) -> None:
    """Run the worker at every moment something is due, until `end`; a new worker (a restart) every 6 hours."""
    restarts = T0
    current = make()  # type: ignore[operator]
    while clock.now <= end:
        if clock.now - restarts >= timedelta(hours=6):
            current, restarts = make(), clock.now  # type: ignore[operator]
        await current.run_once()
        with uow() as repo:
            due = [d.next_attempt_at for d in repo.deliveries("pending", 1000)]
        if not due:
            return
        clock.now = max(min(due), clock.now + timedelta(seconds=1))


def test_the_standard_webhooks_schedule() -> None:
    schedule = RetrySchedule.fixed(STANDARD_WEBHOOKS)
    assert schedule.max_attempts == 8
    assert schedule.pauses() == [5, 300, 1800, 7200, 18000, 36000, 36000]


async def test_a_receiver_down_for_24_hours_gets_each_alert_exactly_once_when_back() -> None:
    uow, clock = FakeTransactions(), Clock()
    ids = queue(uow, 3)
    receiver = Receiver(clock, back_at=T0 + timedelta(hours=24))
    await run_until(uow, lambda: worker(uow, receiver, clock), clock, T0 + timedelta(hours=48))
    assert sorted(receiver.received) == ids  # each exactly once
    with uow() as repo:
        assert {d.status for d in repo.deliveries_of("sub-1")} == {"delivered"}
        log = repo.attempts_of(ids)
    for delivery_id in ids:
        starts = [a.started_at for a in log[delivery_id]]
        assert [a.outcome for a in log[delivery_id]] == ["retry"] * 7 + ["delivered"]
        assert [(b - a).total_seconds() for a, b in pairwise(starts)] == list(STANDARD_WEBHOOKS)
    assert starts[-1] - T0 == timedelta(seconds=sum(STANDARD_WEBHOOKS))  # 27.6 hours after the first


async def test_410_gone_disables_the_endpoint_and_cancels_what_it_had_pending() -> None:
    uow, clock = FakeTransactions(), Clock()
    queue(uow, 2)
    receiver = Receiver(clock, back_at=T0 + timedelta(days=365), answer=410)
    w = worker(uow, receiver, clock)
    with uow() as repo:
        repo.add_deliveries([delivery(9, at=T0 + timedelta(hours=1))])  # not yet due
    await w.run_once()
    with uow() as repo:
        assert not repo.subscription("sub-1").active  # type: ignore[union-attr]
        assert sorted(d.status for d in repo.deliveries_of("sub-1")) == ["cancelled", "failed", "failed"]
    assert len(receiver.calls) == 2  # one attempt each, no retries


async def test_resend_puts_a_failed_delivery_on_a_fresh_schedule() -> None:
    uow, clock = FakeTransactions(), Clock()
    [only] = queue(uow, 1)
    receiver = Receiver(clock, back_at=T0 + timedelta(days=3))
    await run_until(uow, lambda: worker(uow, receiver, clock), clock, T0 + timedelta(days=2))
    with uow() as repo:
        assert repo.delivery(only).status == "failed" and receiver.received == []
        clock.now = T0 + timedelta(days=3)
        assert repo.resend([only], clock.now) == 1
        assert repo.resend(["dlv-unknown"], clock.now) is None
    await worker(uow, receiver, clock).run_once()
    assert receiver.received == [only]
