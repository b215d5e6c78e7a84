"""The delivery worker: claims pending deliveries, sends each through its channel's adapter, and records the
attempt and the outcome, so a restart never sends a delivered alert again."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import structlog

from services.notify.adapters.notifications import Notifications, SendResult
from services.notify.adapters.repository import Repository, Transactions, in_thread
from services.notify.domain.model import Attempt, Delivery, Subscription
from services.notify.domain.retry import Outcome, RetrySchedule

log = structlog.get_logger("notify.delivery")

GONE = 410  # Standard Webhooks: the endpoint is disabled, its pending deliveries cancelled


@dataclass(frozen=True)
class WorkerConfig:
    retry: RetrySchedule
    lease: timedelta  # a row left 'sending' by a crashed worker is taken again after this long
    concurrency: int
    poll_seconds: float


def outcome_values(state: Outcome, finished: datetime, attempts: int, retry: RetrySchedule) -> dict[str, Any]:
    """The delivery's new status and what goes with it, after an attempt ended in `state`."""
    if state == "delivered":
        return {"status": "delivered", "delivered_at": finished}
    if state == "retry":
        return {"status": "pending", "next_attempt_at": finished + timedelta(seconds=retry.pause(attempts))}
    return {"status": "failed"}


class DeliveryWorker:
    def __init__(
        self,
        transactions: Transactions,
        channels: Mapping[str, Notifications],
        config: WorkerConfig,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        self.transactions = transactions
        self.channels = channels
        self.config = config
        self.clock = clock  # due times are persisted: a restarted worker picks up the schedule where it was
        self._wake = asyncio.Event()
        self._stopping = False

    def wake(self) -> None:
        self._wake.set()

    def stop(self) -> None:
        """Finish the deliveries being sent, then leave `run`. Cancelling instead could cut one off between the
        mail going out and its outcome being recorded: the row stays 'sending' and is sent again later."""
        self._stopping = True
        self._wake.set()

    async def run(self) -> None:
        while not self._stopping:
            try:
                sent = await self.run_once()
            except Exception:
                log.exception("delivery.loop_failed")
                sent = 0
            if sent:
                continue
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wake.wait(), timeout=self.config.poll_seconds)
            self._wake.clear()

    async def run_once(self, limit: int = 50) -> int:
        """Claim and send the deliveries that are due. Returns how many were attempted."""
        at, lease = self.clock(), self.config.lease
        claimed = await in_thread(self.transactions, lambda repo: repo.claim(limit, at, lease))
        if not claimed:
            return 0
        gate = asyncio.Semaphore(self.config.concurrency)

        async def bounded(delivery_id: str) -> None:
            async with gate:
                await self.deliver(delivery_id)

        await asyncio.gather(*(bounded(d) for d in claimed))
        return len(claimed)

    async def deliver(self, delivery_id: str) -> None:
        def load(repo: Repository) -> tuple[Delivery, Subscription | None]:
            delivery = repo.delivery(delivery_id)
            return delivery, repo.subscription(delivery.subscription_id)

        delivery, sub = await in_thread(self.transactions, load)
        assert sub is not None  # a foreign key
        bound = log.bind(
            delivery_id=delivery.id,
            subscription_id=sub.id,
            channel=sub.channel,
            event_id=delivery.event_id,
            attempt=delivery.attempts + 1,
        )
        if not sub.active:
            # The subscription was deleted after the delivery was queued: drop it without sending.
            await in_thread(self.transactions, lambda repo: repo.cancel_claimed(delivery.id))
            bound.info("delivery.cancelled")
            return
        started = self.clock()
        try:
            result = await self.channels[sub.channel].send(delivery, sub)
        except Exception as exc:  # a bug must not leave the row claimed forever
            bound.exception("delivery.send_crashed")
            result = SendResult(False, error=repr(exc))
        attempts = delivery.attempts + 1
        gone = result.http_status == GONE  # the receiver says the endpoint is no more: stop sending to it
        state = self.config.retry.outcome(result.ok, result.permanent or gone, attempts)
        finished = self.clock()
        attempt = Attempt(attempts, started, finished, state, result.http_status, result.error)
        values = {"attempts": attempts, "last_error": result.error} | outcome_values(
            state, finished, attempts, self.config.retry
        )
        await in_thread(self.transactions, lambda repo: repo.finish(delivery.id, attempt, **values))
        bound.info("delivery.attempt", outcome=state, http_status=result.http_status, error=result.error)
        if gone:
            await in_thread(self.transactions, lambda repo: repo.delete_subscription(sub.id, finished))
            bound.warning("subscription.disabled", reason="HTTP 410 Gone")
