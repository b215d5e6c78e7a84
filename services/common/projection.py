"""Running a projection over the POLICY stream: exactly-once effect, strict order, retries, dead letters.

A projection is a function that writes rows for one event inside a session. This module wraps it with the
tracking record: rows and checkpoint commit together, then the message is acked; a redelivered event at or
below the checkpoint is acked and skipped. Failures are NAKed with backoff (the consumer allows one
unacked message, so nothing overtakes a retried event) and dead-lettered after MAX_DELIVER attempts;
an event that cannot be parsed is dead-lettered at once.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Protocol

import structlog
from faststream.middlewares import AckPolicy
from faststream.nats import ConsumerConfig, DeliverPolicy, JStream, NatsBroker, PullSub
from faststream.nats.annotations import NatsMessage
from nats.js import JetStreamContext
from nats.js.errors import NotFoundError
from sqlalchemy import Table
from sqlalchemy.engine import Engine
from sqlmodel import Session

from schemas.codec import InvalidEvent, decode
from schemas.events import Envelope
from schemas.stream import (
    ACK_WAIT_SECONDS,
    DEAD_LETTER_STREAM,
    MAX_DELIVER,
    POLICY_STREAM,
    POLICY_SUBJECT_PREFIX,
    dead_letter_subject,
    retry_delay,
)
from services.common.checkpoint import read_checkpoint, write_checkpoint

log = structlog.get_logger("projection")


class Apply(Protocol):
    def __call__(self, session: Session, event: Envelope, sequence: int) -> None: ...


@dataclass
class Projection:
    """A named projection: its apply function, its database and its checkpoint table."""

    name: str
    engine: Engine
    checkpoint: Table
    apply: Apply
    # Called after the transaction committed, also when a redelivery was already applied, so a failed call is
    # retried with the message; it must be idempotent (notify publishes what the event made due).
    after_commit: Callable[[Envelope, int], Awaitable[None]] | None = None

    def applied_sequence(self) -> int:
        with self.engine.connect() as conn:
            return read_checkpoint(conn, self.checkpoint, self.name)

    def apply_once(self, event: Envelope | None, sequence: int) -> bool:
        """Apply one event and advance the checkpoint in one transaction. False when already applied.

        `event` None records a dead-lettered sequence, so live and replayed databases stay equal.
        """
        with Session(self.engine) as session:
            conn = session.connection()
            if sequence <= read_checkpoint(conn, self.checkpoint, self.name):
                return False
            if event is not None:
                self.apply(session, event, sequence)
            write_checkpoint(session.connection(), self.checkpoint, self.name, sequence)
            session.commit()
        return True


async def align_consumer(js: JetStreamContext, projection: Projection, durable: str) -> None:
    """A database behind its durable consumer (emptied, restored, replaced) must read the stream again.

    The consumer's position lives on the server; if it acknowledged more than the database holds, delete it
    so it is recreated from sequence 1 (DeliverPolicy.ALL); what the checkpoint already has is skipped.
    """
    try:
        info = await js.consumer_info(POLICY_STREAM, durable)
    except NotFoundError:
        return
    applied = projection.applied_sequence()
    if info.ack_floor and info.ack_floor.stream_seq > applied:
        log.warning("consumer.recreated", durable=durable, acked=info.ack_floor.stream_seq, applied=applied)
        await js.delete_consumer(POLICY_STREAM, durable)


def subscribe_projection(broker: NatsBroker, projection: Projection, durable: str) -> None:
    """Register the durable pull consumer that feeds `projection` from the POLICY stream."""

    @broker.subscriber(
        f"{POLICY_SUBJECT_PREFIX}.>",
        stream=JStream(POLICY_STREAM, declare=False),
        durable=durable,
        pull_sub=PullSub(batch_size=1, timeout=1.0),
        deliver_policy=DeliverPolicy.ALL,
        config=ConsumerConfig(max_deliver=MAX_DELIVER, ack_wait=ACK_WAIT_SECONDS, max_ack_pending=1),
        ack_policy=AckPolicy.MANUAL,
        title=f"{projection.name}-projection",
    )
    async def on_policy_event(msg: NatsMessage) -> None:
        await handle_message(broker, projection, msg)


async def handle_message(broker: NatsBroker, projection: Projection, msg: NatsMessage) -> None:
    raw = msg.raw_message
    meta = raw.metadata
    sequence, attempt = meta.sequence.stream, meta.num_delivered
    bound = log.bind(projection=projection.name, stream_sequence=sequence, attempt=attempt, nats_subject=raw.subject)
    try:
        event = decode(raw.data)
    except InvalidEvent as exc:
        await dead_letter(broker, projection.name, raw.subject, raw.data, sequence, str(exc))
        await asyncio.to_thread(projection.apply_once, None, sequence)
        bound.warning("event.dead_lettered", reason=str(exc))
        await msg.ack()
        return
    bound = bound.bind(event_id=event.id, event_type=event.type, aggregate=event.subject)
    try:
        # In a thread: the database work must not hold the event loop (acks, other requests).
        applied = await asyncio.to_thread(projection.apply_once, event, sequence)
        if projection.after_commit:
            await projection.after_commit(event, sequence)
    except Exception as exc:
        if attempt >= MAX_DELIVER:
            await dead_letter(broker, projection.name, raw.subject, raw.data, sequence, repr(exc))
            await asyncio.to_thread(projection.apply_once, None, sequence)
            bound.error("event.dead_lettered", reason=repr(exc), exc_info=True)
            await msg.ack()
        else:
            bound.warning("event.retry", reason=repr(exc), delay=retry_delay(attempt))
            await msg.nack(delay=retry_delay(attempt))
        return
    if applied:
        bound.info("event.applied")
    else:
        bound.debug("event.skipped", reason="at or below the checkpoint")
    await msg.ack()


async def dead_letter(broker: NatsBroker, consumer: str, subject: str, data: bytes, sequence: int, reason: str) -> None:
    await broker.publish(
        data,
        dead_letter_subject(consumer),
        headers={
            "Nats-Msg-Id": f"dlq-{consumer}-{sequence}",
            "Ptl-Dead-Letter-Reason": reason[:1000],
            "Ptl-Original-Subject": subject,
            "Ptl-Original-Sequence": str(sequence),
        },
        stream=DEAD_LETTER_STREAM,
        timeout=10.0,
    )
