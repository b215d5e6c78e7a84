"""The notify projection and the deadline watcher.

`apply_event` runs inside the projection's transaction: it records what the deadline rule needs, indexes the
event (for backfilling new subscriptions) and queues one delivery per matching subscription.
`DeadlineWatcher` runs after the commit: it evaluates the rule and publishes each newly passed deadline as
`commitment.deadline_passed` into POLICY, which notify then consumes like any other event.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Iterable
from datetime import UTC, datetime
from typing import Any

import structlog
from sqlalchemy import select
from sqlalchemy.engine import Connection, Engine, Row
from sqlmodel import Session

from schemas.codec import make_event
from schemas.events import (
    CommitmentDeadlinePassed,
    CommitmentDeadlineRevised,
    CommitmentFulfilled,
    CommitmentMade,
    Envelope,
    IngestWatermark,
    Source,
)
from schemas.ids import digest, forum_id
from schemas.refs import Ref, event_refs
from services.notify import store
from services.notify.delivery import summarize
from services.notify.domain.deadlines import (
    PassedDeadline,
    current_statement,
    effective_watermark,
    passed_deadlines,
)
from services.notify.domain.matching import Filter, matches

log = structlog.get_logger("notify")

SOURCE = Source(service="notify", version="1")
TRIGGERS = frozenset(
    {CommitmentMade.TYPE, CommitmentDeadlineRevised.TYPE, CommitmentFulfilled.TYPE, IngestWatermark.TYPE}
)

Publish = Callable[[Envelope], Awaitable[int]]  # returns the stream sequence
LastSequence = Callable[[], Awaitable[int]]


def now() -> datetime:
    return datetime.now(UTC)


def delivery_id(subscription_id: str, event_id: str) -> str:
    """Stable per (subscription, event): the webhook-id receivers dedupe retries by."""
    return f"dlv-{digest(subscription_id, event_id, length=24)}"


# --- the projection ---------------------------------------------------------------------------------------


def apply_event(session: Session, event: Envelope, sequence: int) -> None:
    conn = session.connection()
    seen = conn.execute(select(store.event_index.c.event_id).where(store.event_index.c.event_id == event.id))
    if seen.first() is not None:
        return  # the same event stored twice (a publish retried after the duplicate window)
    _record_facts(conn, event)
    refs = event_refs(event, lambda cid: store.commitment_links(conn, cid))
    conn.execute(
        store.event_index.insert().values(
            event_id=event.id,
            sequence=sequence,
            type=event.type,
            subject=event.subject,
            occurred_at=event.occurred_at,
            recorded_at=event.recorded_at,
            refs=sorted([list(r) for r in refs]),
            envelope=event.model_dump_json(),
        )
    )
    queued = queue_deliveries(conn, event, refs, active_subscriptions(conn))
    if queued:
        log.info("deliveries.queued", event_id=event.id, event_type=event.type, count=queued)


def _record_facts(conn: Connection, event: Envelope) -> None:
    data = event.payload()
    if isinstance(data, CommitmentMade):
        store.insert_ignore(
            conn,
            store.commitments,
            dict(
                commitment_id=data.commitment_id,
                text=data.text,
                actor=data.actor,
                document_id=data.document_id,
                motions=list(data.motions),
                forums=[forum_id(f) for f in data.forums],
            ),
        )
    if isinstance(data, CommitmentMade | CommitmentDeadlineRevised):
        store.insert_ignore(
            conn,
            store.due_statements,
            dict(
                event_id=event.id,
                commitment_id=data.commitment_id,
                kind="made" if isinstance(data, CommitmentMade) else "revised",
                occurred_at=event.occurred_at,
                due=data.due.model_dump(mode="json") if data.due else None,
                text=data.text,
                document_id=data.document_id,
            ),
        )
    elif isinstance(data, CommitmentFulfilled):
        store.insert_ignore(
            conn,
            store.fulfilments,
            dict(
                event_id=event.id,
                commitment_id=data.commitment_id,
                occurred_at=event.occurred_at,
                document_id=data.document_id,
                evidence=data.evidence,
            ),
        )
    elif isinstance(data, IngestWatermark):
        row = conn.execute(store.watermarks.select().where(store.watermarks.c.source == data.source)).first()
        if row is None:
            conn.execute(store.watermarks.insert().values(source=data.source, up_to=data.up_to, event_id=event.id))
        elif data.up_to > row.up_to:  # a late, older watermark never moves it back
            conn.execute(
                store.watermarks.update()
                .where(store.watermarks.c.source == data.source)
                .values(up_to=data.up_to, event_id=event.id)
            )
    elif isinstance(data, CommitmentDeadlinePassed):
        # Published by this or an earlier incarnation of notify: never publish it again.
        store.insert_ignore(
            conn,
            store.published_deadlines,
            dict(
                commitment_id=data.commitment_id,
                deadline=data.deadline,
                event_id=event.id,
                passed_at=event.occurred_at or event.recorded_at,
                published_at=event.recorded_at,
                stream_sequence=None,
            ),
        )


# --- deliveries ---------------------------------------------------------------------------------------------


def active_subscriptions(conn: Connection) -> list[Row[Any]]:
    return list(conn.execute(store.subscriptions.select().where(store.subscriptions.c.active.is_(True))))


def subscription_filter(sub: Row[Any]) -> Filter:
    types = frozenset(sub.event_types) if sub.event_types is not None else None
    return Filter(sub.since, sub.motion_id, sub.forum_id, sub.commitment_id, types)


def event_context(conn: Connection, event: Envelope) -> dict[str, Any]:
    """What an alert needs beyond the envelope: the commitment's text and current due interval."""
    if not event.type.startswith("commitment."):
        return {}
    context = store.commitment_context(conn, event.subject)
    current = current_statement(store.load_statements(conn, [event.subject]))
    context["due"] = current.due.model_dump(mode="json") if current and current.due else None
    if event.type == CommitmentDeadlinePassed.TYPE:
        context["deadline_document_id"] = store.deadline_document(conn, event.subject, event.data["deadline"])
    return context


def queue_deliveries(conn: Connection, event: Envelope, refs: Iterable[Ref], subs: Iterable[Row[Any]]) -> int:
    """Insert a pending delivery for every subscription the event matches; never a second one."""
    refs = set(refs)
    wanted = [
        s for s in subs if matches(subscription_filter(s), event.type, event.occurred_at, event.recorded_at, refs)
    ]
    if not wanted:
        return 0
    context = event_context(conn, event)
    summary = summarize(event, context)
    envelope = event.model_dump_json()
    at = now()
    rows = [
        dict(
            id=delivery_id(s.id, event.id),
            subscription_id=s.id,
            event_id=event.id,
            event_type=event.type,
            summary=summary,
            context=context,
            envelope=envelope,
            status="pending",
            attempts=0,
            next_attempt_at=at,
            created_at=at,
        )
        for s in wanted
    ]
    return store.insert_ignore(conn, store.deliveries, rows)


def backfill(conn: Connection, sub: Row[Any]) -> int:
    """Queue deliveries for already-indexed events a new subscription matches (occurred_at >= since)."""
    flt = subscription_filter(sub)
    index = store.event_index
    query = select(index).where(index.c.type.in_(sorted(flt.types()))).order_by(index.c.sequence)
    queued = 0
    for row in conn.execute(query):
        refs = {(kind, ref_id) for kind, ref_id in row.refs}
        if matches(flt, row.type, row.occurred_at, row.recorded_at, refs):
            queued += queue_deliveries(conn, Envelope.model_validate_json(row.envelope), refs, [sub])
    return queued


# --- the deadline watcher -----------------------------------------------------------------------------------


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


def due_deadlines(conn: Connection, commitment_ids: Iterable[str] | None) -> list[PassedDeadline]:
    """Passed deadlines not yet published, for the given commitments (None: all)."""
    ids = None if commitment_ids is None else sorted(set(commitment_ids))
    statements = store.load_statements(conn, ids)
    fulfilments = store.load_fulfilments(conn, ids)
    watermark = effective_watermark(store.load_watermarks(conn))
    done = store.published_keys(conn)
    result: list[PassedDeadline] = []
    for cid in sorted({s.commitment_id for s in statements}):
        mine = [s for s in statements if s.commitment_id == cid]
        theirs = [f for f in fulfilments if f.commitment_id == cid]
        result += [p for p in passed_deadlines(cid, mine, theirs, watermark) if (cid, p.deadline) not in done]
    return result


class DeadlineWatcher:
    """Publishes passed deadlines once the projection has caught up with the stream.

    Waiting until caught up means every deadline_passed already on the stream (from an earlier database)
    has been recorded before anything is published, so nothing is published twice.
    """

    def __init__(self, engine: Engine, publish: Publish, last_sequence: LastSequence) -> None:
        self.engine = engine
        self.publish = publish
        self.last_sequence = last_sequence
        self._lock = asyncio.Lock()
        self._known_last = 0
        self._dirty = True  # evaluate everything at the first chance after start

    async def after_commit(self, event: Envelope, sequence: int) -> None:
        trigger = event.type in TRIGGERS
        if not trigger and not self._dirty:
            return
        if sequence < self._known_last or sequence < await self._refresh_last():
            self._dirty = self._dirty or trigger  # catching up: evaluate once the last event is in
            return
        everything = self._dirty or event.type == IngestWatermark.TYPE
        await self.evaluate(None if everything else [event.subject], causation_id=event.id)

    async def sweep(self, applied_sequence: int) -> list[Envelope]:
        """Evaluate every commitment if the projection is caught up (periodic safety net)."""
        if applied_sequence < await self._refresh_last():
            return []
        with self.engine.connect() as conn:
            cause = store.latest_watermark_event(conn)
        return await self.evaluate(None, causation_id=cause)

    async def evaluate(self, commitment_ids: Iterable[str] | None, causation_id: str | None) -> list[Envelope]:
        async with self._lock:
            # A failed publish NAKs the event, and a redelivery is skipped by the checkpoint without calling
            # after_commit again: stay dirty so the next event (or the sweep) evaluates everything.
            was_dirty, self._dirty = self._dirty, True
            with self.engine.connect() as conn:
                due = due_deadlines(conn, commitment_ids)
                texts = {p.commitment_id: store.commitment_context(conn, p.commitment_id).get("text") for p in due}
            published = [await self._publish_one(p, texts[p.commitment_id] or p.text, causation_id) for p in due]
            self._dirty = was_dirty and commitment_ids is not None
            return published

    async def _publish_one(self, passed: PassedDeadline, text: str, causation_id: str | None) -> Envelope:
        event = deadline_event(passed, text, causation_id)
        sequence = await self.publish(event)
        # Recorded only after the PubAck: a crash in between republishes the same id, which is harmless.
        with self.engine.begin() as conn:
            store.insert_ignore(
                conn,
                store.published_deadlines,
                dict(
                    commitment_id=passed.commitment_id,
                    deadline=passed.deadline,
                    event_id=event.id,
                    passed_at=passed.passed_at,
                    published_at=now(),
                    stream_sequence=sequence,
                ),
            )
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
        self._known_last = await self.last_sequence()
        return self._known_last
