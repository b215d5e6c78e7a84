"""The deadline watcher: evaluates the deadline rule after events commit and publishes each newly passed
deadline as `commitment.deadline_passed` into POLICY, which notify then consumes like any other event."""

from __future__ import annotations

import asyncio
from collections.abc import Iterable
from typing import Protocol

import structlog

from schemas.codec import make_event
from schemas.events import CommitmentDeadlinePassed, Envelope, Source
from services.notify.adapters.repository import Repository, Transactions, in_thread
from services.notify.domain.deadlines import PassedDeadline, effective_watermark, passed_deadlines
from services.notify.domain.model import PublishedDeadline
from services.notify.handlers import APPLYING, Deadlines, handling, now

log = structlog.get_logger("notify")

SOURCE = Source(service="notify", version="1")


class Publisher(Protocol):
    """The port to the event stream."""

    async def publish(self, event: Envelope) -> int:
        """Publish durably; returns the stream sequence."""
        ...

    async def last_sequence(self) -> int: ...


def deadline_event(passed: PassedDeadline, text: str, causation_id: str | None) -> Envelope:
    data = CommitmentDeadlinePassed(
        commitment_id=passed.commitment_id, deadline=passed.deadline, due=passed.due, text=text
    )
    return make_event(
        data,
        occurred_at=passed.passed_at,
        source=SOURCE,
        unique=(passed.commitment_id, passed.deadline),
        causation_id=causation_id,
    )


def due_deadlines(repo: Repository, commitment_ids: Iterable[str] | None) -> list[PassedDeadline]:
    """Passed deadlines not yet published, for the given commitments (None: all)."""
    ids = None if commitment_ids is None else sorted(set(commitment_ids))
    statements = repo.load_statements(ids)
    fulfilments = repo.load_fulfilments(ids)
    watermark = effective_watermark(repo.load_watermarks())
    done = repo.published_keys()
    result: list[PassedDeadline] = []
    for cid in sorted({s.commitment_id for s in statements}):
        mine = [s for s in statements if s.commitment_id == cid]
        theirs = [f for f in fulfilments if f.commitment_id == cid]
        result += [p for p in passed_deadlines(cid, mine, theirs, watermark) if (cid, p.deadline) not in done]
    return result


def due_with_texts(repo: Repository, commitment_ids: Iterable[str] | None) -> list[tuple[PassedDeadline, str]]:
    """Each passed deadline with the text its event carries: the commitment's, else the statement's."""
    due = due_deadlines(repo, commitment_ids)
    return [(p, repo.commitment_context(p.commitment_id).get("text") or p.text) for p in due]


class DeadlineWatcher:
    """Publishes passed deadlines once the projection has caught up with the stream.

    Waiting until caught up means every deadline_passed already on the stream (from an earlier database)
    has been recorded before anything is published, so nothing is published twice.
    """

    def __init__(self, transactions: Transactions, publisher: Publisher) -> None:
        self.transactions = transactions
        self.publisher = publisher
        self._lock = asyncio.Lock()
        self._known_last = 0
        self._dirty = True  # evaluate everything at the first chance after start

    async def after_commit(self, event: Envelope, sequence: int) -> None:
        scope = handling(event.type).deadlines
        trigger = scope is not Deadlines.NOTHING
        if not trigger and not self._dirty:
            return
        if sequence < self._known_last or sequence < await self._refresh_last():
            self._dirty = self._dirty or trigger  # catching up: evaluate once the last event is in
            return
        everything = self._dirty or scope is Deadlines.EVERYTHING
        await self.evaluate(None if everything else [event.subject], causation_id=event.id)

    async def sweep(self, applied_sequence: int) -> list[Envelope]:
        """Evaluate every commitment if the projection is caught up (periodic safety net)."""
        if applied_sequence < await self._refresh_last():
            return []
        cause = await in_thread(self.transactions, lambda repo: repo.latest_watermark_event())
        return await self.evaluate(None, causation_id=cause)

    async def evaluate(self, commitment_ids: Iterable[str] | None, causation_id: str | None) -> list[Envelope]:
        async with self._lock:
            # A failed publish NAKs the event, and a redelivery is skipped by the checkpoint without calling
            # after_commit again: stay dirty so the next event (or the sweep) evaluates everything.
            was_dirty, self._dirty = self._dirty, True
            due = await in_thread(self.transactions, lambda repo: due_with_texts(repo, commitment_ids), APPLYING)
            published = [await self._publish_one(p, text, causation_id) for p, text in due]
            self._dirty = was_dirty and commitment_ids is not None
            return published

    async def _publish_one(self, passed: PassedDeadline, text: str, causation_id: str | None) -> Envelope:
        event = deadline_event(passed, text, causation_id)
        sequence = await self.publisher.publish(event)
        # Recorded only after the PubAck: a crash in between republishes the same id, which is harmless.
        record = PublishedDeadline(passed.commitment_id, passed.deadline, event.id, passed.passed_at, now(), sequence)
        await in_thread(self.transactions, lambda repo: repo.add_published_deadline(record))
        log.info(
            "deadline.passed",
            commitment_id=passed.commitment_id,
            deadline=passed.deadline.isoformat(),
            event_id=event.id,
            stream_sequence=sequence,
            causation_id=causation_id,
        )
        return event

    async def _refresh_last(self) -> int:
        self._known_last = await self.publisher.last_sequence()
        return self._known_last
