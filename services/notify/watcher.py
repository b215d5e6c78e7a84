"""The deadline watcher: evaluates the deadline rule after events commit and publishes each newly passed
deadline as `commitment.deadline_passed` into POLICY, which notify then consumes like any other event."""

from __future__ import annotations

import asyncio
from collections.abc import Iterable
from typing import Protocol

import structlog

from schemas.codec import make_event
from schemas.deadline_rule import (
    RETRACTED,
    Correction,
    PassedDeadline,
    corrected,
    effective_watermark,
    passed_deadlines,
    today_in_nl,
)
from schemas.events import CommitmentDeadlinePassed, CommitmentStatementRetracted, Envelope, Source
from services.notify.adapters.repository import Repository, Transactions, in_thread
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


def retraction_event(published: PublishedDeadline, reason: str, causation_id: str | None) -> Envelope:
    """Takes back a deadline_passed the rule no longer yields; the same id whoever publishes it, and when."""
    data = CommitmentStatementRetracted(
        commitment_id=published.commitment_id,
        retracts=published.event_id,
        statement=CommitmentDeadlinePassed.TYPE,
        reason=reason,
    )
    return make_event(data, occurred_at=None, source=SOURCE, unique=(published.event_id,), causation_id=causation_id)


Stale = tuple[PublishedDeadline, str]  # a published deadline the rule no longer yields, and why


def rule_changes(repo: Repository, commitment_ids: Iterable[str] | None) -> tuple[list[PassedDeadline], list[Stale]]:
    """For the given commitments (None: all): passed deadlines not yet published, and published deadlines the
    rule no longer yields (a correction closed the commitment, or moved, fulfilled or retracted the statement)
    that are not yet retracted."""
    ids = None if commitment_ids is None else sorted(set(commitment_ids))
    statements = repo.load_statements(ids)
    fulfilments = repo.load_fulfilments(ids)
    corrections = repo.load_corrections(ids)
    watermark = effective_watermark(repo.load_watermarks(), today_in_nl(now()))
    published = [p for p in repo.published_deadlines() if ids is None or p.commitment_id in ids]
    done = repo.published_keys()
    new: list[PassedDeadline] = []
    stale: list[Stale] = []
    for cid in sorted({s.commitment_id for s in statements} | {p.commitment_id for p in published}):
        state = corrected(
            [s for s in statements if s.commitment_id == cid],
            [f for f in fulfilments if f.commitment_id == cid],
            [c for c in corrections if c.commitment_id == cid],
        )
        passed = [] if state.closed else passed_deadlines(cid, state.statements, state.fulfilments, watermark)
        new += [p for p in passed if (cid, p.deadline) not in done]
        yielded = {p.deadline for p in passed}
        why = "the commitment was merged or withdrawn" if state.closed else "corrected: the deadline no longer passed"
        stale += [
            (p, why)
            for p in published
            if p.commitment_id == cid and p.deadline not in yielded and p.event_id not in state.retracted
        ]
    return new, stale


def due_with_texts(
    repo: Repository, commitment_ids: Iterable[str] | None
) -> tuple[list[tuple[PassedDeadline, str]], list[Stale]]:
    """Each passed deadline with the text its event carries (the commitment's, else the statement's), and
    the published deadlines to retract."""
    due, stale = rule_changes(repo, commitment_ids)
    return [(p, repo.commitment_context(p.commitment_id).get("text") or p.text) for p in due], stale


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
            due, stale = await in_thread(self.transactions, lambda repo: due_with_texts(repo, commitment_ids), APPLYING)
            published = [await self._publish_one(p, text, causation_id) for p, text in due]
            published += [await self._retract_one(p, why, causation_id) for p, why in stale]
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

    async def _retract_one(self, published: PublishedDeadline, why: str, causation_id: str | None) -> Envelope:
        event = retraction_event(published, why, causation_id)
        sequence = await self.publisher.publish(event)
        # Recorded after the PubAck, as a deadline_passed is; consuming it cancels the alert's pending deliveries.
        fact = Correction(event.id, published.commitment_id, RETRACTED, sequence, published.event_id)
        await in_thread(self.transactions, lambda repo: repo.add_correction(fact))
        log.info(
            "deadline.retracted",
            commitment_id=published.commitment_id,
            deadline=published.deadline.isoformat(),
            retracts=published.event_id,
            event_id=event.id,
            reason=why,
        )
        return event

    async def _refresh_last(self) -> int:
        self._known_last = await self.publisher.last_sequence()
        return self._known_last
