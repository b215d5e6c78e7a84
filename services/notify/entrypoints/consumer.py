"""The event consumer: notify's projection on its durable consumer, then the watcher and the worker."""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING

import structlog

from schemas.events import Envelope
from schemas.stream import NOTIFY_CONSUMER
from services.common.projection import subscribe_projection

if TYPE_CHECKING:
    from services.notify.bootstrap import Notify

log = structlog.get_logger("notify")


def subscribe_consumer(notify: Notify) -> None:
    async def after_commit(event: Envelope, sequence: int) -> None:
        notify.worker.wake()  # the event may have queued deliveries
        await notify.watcher.after_commit(event, sequence)

    notify.projection.after_commit = after_commit
    subscribe_projection(notify.broker, notify.projection, durable=NOTIFY_CONSUMER)


async def sweep_deadlines(notify: Notify) -> None:
    """Periodically re-evaluate every deadline: the safety net for a crash between commit and publish."""
    while True:
        try:
            applied = await asyncio.to_thread(notify.projection.applied_sequence)
            if await notify.watcher.sweep(applied):
                notify.worker.wake()
        except Exception:
            log.exception("deadline.sweep_failed")
        await asyncio.sleep(notify.settings.deadline_sweep_seconds)
