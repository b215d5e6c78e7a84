"""The notify store: a Repository port and its SQL adapter (SQLite or PostgreSQL, through a sqlmodel Session).

One repository is one transaction: `SqlTransactions(engine)()` opens one and commits it when the block ends;
the projection hands its own session in, so the rows and the checkpoint commit together. Every method is
synchronous: async callers run a whole transaction in a thread (`in_thread`), off the event loop.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterable, Iterator
from contextlib import AbstractContextManager, contextmanager, nullcontext
from datetime import UTC, date, datetime, timedelta
from typing import Any, Protocol, TypeVar

from sqlalchemy import and_, func, or_, select
from sqlalchemy.engine import Connection, Engine, Row
from sqlmodel import Session

from schemas.deadline_rule import Correction, DueStatement, Fulfilment
from schemas.events import Due, Envelope, Reading
from schemas.refs import Ref
from services.notify.adapters import orm
from services.notify.domain.model import (
    Attempt,
    Delivery,
    DeliveryStatus,
    IndexedEvent,
    PublishedDeadline,
    Subscription,
)

T = TypeVar("T")


class Repository(Protocol):
    """What notify reads and writes, in one transaction."""

    # -- the projection: what the deadline rule and the alerts need -------------------------------------
    def event_seen(self, event_id: str) -> bool: ...
    def index_event(self, event: Envelope, sequence: int, refs: Iterable[Ref]) -> None: ...
    def indexed_events(self, types: Iterable[str]) -> list[IndexedEvent]: ...
    def add_commitment(
        self, commitment_id: str, text: str, actor: str | None, document_id: str, motions: list[str], forums: list[str]
    ) -> None: ...
    def commitment_links(self, commitment_id: str) -> tuple[list[str], list[str]]: ...
    def commitment_context(self, commitment_id: str) -> dict[str, Any]: ...
    def add_due_statement(self, statement: DueStatement, document_id: str) -> None: ...
    def load_statements(self, commitment_ids: Iterable[str] | None = None) -> list[DueStatement]: ...
    def deadline_document(self, commitment_id: str, deadline: str) -> str | None: ...
    def add_fulfilment(self, fulfilment: Fulfilment, document_id: str | None, evidence: str) -> None: ...
    def load_fulfilments(self, commitment_ids: Iterable[str] | None = None) -> list[Fulfilment]: ...
    def raise_watermark(self, source: str, up_to: date, event_id: str) -> None: ...
    def load_watermarks(self) -> dict[str, date]: ...
    def latest_watermark_event(self) -> str | None: ...
    def add_correction(self, correction: Correction) -> None: ...
    def load_corrections(self, commitment_ids: Iterable[str] | None = None) -> list[Correction]: ...
    def read_commitment_anew(
        self, commitment_id: str, text: str, actor: str | None, motions: list[str], forums: list[str]
    ) -> None: ...
    def cancel_pending(self, event_ids: Iterable[str]) -> int: ...
    def resend(self, delivery_ids: list[str], at: datetime) -> int | None: ...
    # -- notify's own records ---------------------------------------------------------------------------
    def add_published_deadline(self, published: PublishedDeadline) -> None: ...
    def published_keys(self) -> set[tuple[str, date]]: ...
    def published_deadlines(self) -> list[PublishedDeadline]: ...
    def add_subscription(self, subscription: Subscription) -> None: ...
    def subscription(self, subscription_id: str) -> Subscription | None: ...
    def subscriptions(self, include_deleted: bool = False) -> list[Subscription]: ...
    def delete_subscription(self, subscription_id: str, at: datetime) -> None: ...
    def confirm_subscription(self, subscription_id: str) -> bool: ...
    def count_subscriptions(
        self, created_since: datetime, target: str | None = None, client: str | None = None
    ) -> int: ...
    def expire_unconfirmed(self, created_before: datetime, at: datetime) -> int: ...
    def add_deliveries(self, deliveries: list[Delivery]) -> int: ...
    def delivery(self, delivery_id: str) -> Delivery: ...
    def deliveries(self, status: DeliveryStatus | None = None, limit: int = 100) -> list[Delivery]: ...
    def deliveries_of(self, subscription_id: str) -> list[Delivery]: ...
    def attempts_of(self, delivery_ids: list[str]) -> dict[str, list[Attempt]]: ...
    def delivery_counts(self) -> dict[str, int]: ...
    def claim(self, limit: int, at: datetime, lease: timedelta) -> list[str]: ...
    def finish(self, delivery_id: str, attempt: Attempt, **values: Any) -> None: ...
    def cancel_claimed(self, delivery_id: str) -> None: ...


Transactions = Callable[[], AbstractContextManager[Repository]]


async def in_thread(
    transactions: Transactions, work: Callable[[Repository], T], guard: AbstractContextManager[object] | None = None
) -> T:
    """Run `work` in one transaction in a worker thread, so the event loop never waits on the database;
    `guard` (a lock) is held around the transaction, commit included."""

    def run() -> T:
        with guard or nullcontext(), transactions() as repo:
            return work(repo)

    return await asyncio.to_thread(run)


class SqlTransactions:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    @contextmanager
    def __call__(self) -> Iterator[SqlRepository]:
        with Session(self.engine) as session:
            yield SqlRepository(session)
            session.commit()


def _subscription(row: Row[Any]) -> Subscription:
    return Subscription(**row._mapping)


def _delivery(row: Row[Any]) -> Delivery:
    return Delivery(**row._mapping)


class SqlRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    @property
    def conn(self) -> Connection:
        return self.session.connection()

    # -- the projection ------------------------------------------------------------------------------------

    def event_seen(self, event_id: str) -> bool:
        index = orm.event_index
        return self.conn.execute(select(index.c.event_id).where(index.c.event_id == event_id)).first() is not None

    def index_event(self, event: Envelope, sequence: int, refs: Iterable[Ref]) -> None:
        self.conn.execute(
            orm.event_index.insert().values(
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

    def indexed_events(self, types: Iterable[str]) -> list[IndexedEvent]:
        index = orm.event_index
        query = select(index).where(index.c.type.in_(sorted(types))).order_by(index.c.sequence)
        return [
            IndexedEvent(
                r.event_id,
                r.sequence,
                r.type,
                r.occurred_at,
                r.recorded_at,
                frozenset((kind, ref_id) for kind, ref_id in r.refs),
                r.envelope,
            )
            for r in self.conn.execute(query)
        ]

    def add_commitment(
        self, commitment_id: str, text: str, actor: str | None, document_id: str, motions: list[str], forums: list[str]
    ) -> None:
        values = dict(
            commitment_id=commitment_id, text=text, actor=actor, document_id=document_id, motions=motions, forums=forums
        )
        orm.insert_ignore(self.conn, orm.commitments, values)

    def _commitment(self, commitment_id: str) -> Row[Any] | None:
        c = orm.commitments
        return self.conn.execute(c.select().where(c.c.commitment_id == commitment_id)).first()

    def commitment_links(self, commitment_id: str) -> tuple[list[str], list[str]]:
        row = self._commitment(commitment_id)
        return (list(row.motions), list(row.forums)) if row else ([], [])

    def commitment_context(self, commitment_id: str) -> dict[str, Any]:
        """What an alert says about a commitment: its text, actor and source document."""
        row = self._commitment(commitment_id)
        context: dict[str, Any] = {"commitment_id": commitment_id}
        if row:
            context.update(text=row.text, actor=row.actor, document_id=row.document_id)
        return context

    def add_due_statement(self, statement: DueStatement, document_id: str) -> None:
        values = dict(
            event_id=statement.event_id,
            commitment_id=statement.commitment_id,
            kind=statement.kind,
            occurred_at=statement.occurred_at,
            due=statement.due.model_dump(mode="json") if statement.due else None,
            text=statement.text,
            document_id=document_id,
        )
        orm.insert_ignore(self.conn, orm.due_statements, values)

    def load_statements(self, commitment_ids: Iterable[str] | None = None) -> list[DueStatement]:
        s = orm.due_statements
        query = s.select()
        if commitment_ids is not None:
            query = query.where(s.c.commitment_id.in_(list(commitment_ids)))
        return [
            DueStatement(
                r.event_id, r.commitment_id, r.kind, r.occurred_at, Due.model_validate(r.due) if r.due else None, r.text
            )
            for r in self.conn.execute(query)
        ]

    def deadline_document(self, commitment_id: str, deadline: str) -> str | None:
        """The document whose statement set this deadline (the latest one, if several did)."""
        s = orm.due_statements
        rows = self.conn.execute(s.select().where(s.c.commitment_id == commitment_id)).all()
        setters = [r for r in rows if r.due and r.due.get("end") == deadline]
        latest = max(
            setters,
            key=lambda r: (r.occurred_at is not None, r.occurred_at or datetime.min.replace(tzinfo=UTC)),
            default=None,
        )
        return latest.document_id if latest else None

    def add_fulfilment(self, fulfilment: Fulfilment, document_id: str | None, evidence: str) -> None:
        values = dict(
            event_id=fulfilment.event_id,
            commitment_id=fulfilment.commitment_id,
            occurred_at=fulfilment.occurred_at,
            document_id=document_id,
            evidence=evidence,
        )
        orm.insert_ignore(self.conn, orm.fulfilments, values)

    def load_fulfilments(self, commitment_ids: Iterable[str] | None = None) -> list[Fulfilment]:
        f = orm.fulfilments
        query = f.select()
        if commitment_ids is not None:
            query = query.where(f.c.commitment_id.in_(list(commitment_ids)))
        return [Fulfilment(r.event_id, r.commitment_id, r.occurred_at) for r in self.conn.execute(query)]

    def raise_watermark(self, source: str, up_to: date, event_id: str) -> None:
        w = orm.watermarks
        row = self.conn.execute(w.select().where(w.c.source == source)).first()
        if row is None:
            self.conn.execute(w.insert().values(source=source, up_to=up_to, event_id=event_id))
        elif up_to > row.up_to:  # a late, older watermark never moves it back
            self.conn.execute(w.update().where(w.c.source == source).values(up_to=up_to, event_id=event_id))

    def load_watermarks(self) -> dict[str, date]:
        return {r.source: r.up_to for r in self.conn.execute(orm.watermarks.select())}

    def latest_watermark_event(self) -> str | None:
        row = self.conn.execute(orm.watermarks.select().order_by(orm.watermarks.c.up_to.desc())).first()
        return row.event_id if row else None

    def add_correction(self, correction: Correction) -> None:
        values = dict(
            event_id=correction.event_id,
            commitment_id=correction.commitment_id,
            type=correction.type,
            sequence=correction.sequence,
            target=correction.target,
            reading=correction.reading.model_dump(mode="json") if correction.reading else None,
        )
        orm.insert_ignore(self.conn, orm.corrections, values)

    def load_corrections(self, commitment_ids: Iterable[str] | None = None) -> list[Correction]:
        c = orm.corrections
        query = c.select()
        if commitment_ids is not None:
            query = query.where(c.c.commitment_id.in_(list(commitment_ids)))
        return [
            Correction(
                r.event_id,
                r.commitment_id,
                r.type,
                r.sequence,
                r.target,
                Reading.model_validate(r.reading) if r.reading else None,
            )
            for r in self.conn.execute(query)
        ]

    def read_commitment_anew(
        self, commitment_id: str, text: str, actor: str | None, motions: list[str], forums: list[str]
    ) -> None:
        """Its commitment.made reads differently now: alerts and matching use the new reading."""
        c = orm.commitments
        self.conn.execute(
            c.update()
            .where(c.c.commitment_id == commitment_id)
            .values(text=text, actor=actor, motions=motions, forums=forums)
        )

    # -- published deadlines ------------------------------------------------------------------------------

    def add_published_deadline(self, published: PublishedDeadline) -> None:
        values = dict(
            commitment_id=published.commitment_id,
            deadline=published.deadline,
            event_id=published.event_id,
            passed_at=published.passed_at,
            published_at=published.published_at,
            stream_sequence=published.stream_sequence,
        )
        orm.insert_ignore(self.conn, orm.published_deadlines, values)

    def published_keys(self) -> set[tuple[str, date]]:
        return {(r.commitment_id, r.deadline) for r in self.conn.execute(orm.published_deadlines.select())}

    def published_deadlines(self) -> list[PublishedDeadline]:
        p, c = orm.published_deadlines, orm.commitments
        query = (
            select(p, c.c.text)
            .select_from(p.outerjoin(c, c.c.commitment_id == p.c.commitment_id))
            .order_by(p.c.passed_at, p.c.commitment_id)
        )
        return [PublishedDeadline(**r._mapping) for r in self.conn.execute(query)]

    # -- subscriptions ------------------------------------------------------------------------------------

    def add_subscription(self, subscription: Subscription) -> None:
        self.conn.execute(orm.subscriptions.insert().values(**vars(subscription)))

    def subscription(self, subscription_id: str) -> Subscription | None:
        s = orm.subscriptions
        row = self.conn.execute(s.select().where(s.c.id == subscription_id)).first()
        return _subscription(row) if row else None

    def subscriptions(self, include_deleted: bool = False) -> list[Subscription]:
        s = orm.subscriptions
        query = s.select().order_by(s.c.created_at)
        if not include_deleted:
            query = query.where(s.c.active.is_(True))
        return [_subscription(r) for r in self.conn.execute(query)]

    def delete_subscription(self, subscription_id: str, at: datetime) -> None:
        """Deactivate it and cancel what it still had pending."""
        s, d = orm.subscriptions, orm.deliveries
        self.conn.execute(
            s.update().where(s.c.id == subscription_id, s.c.active.is_(True)).values(active=False, deleted_at=at)
        )
        self.conn.execute(
            d.update().where(d.c.subscription_id == subscription_id, d.c.status == "pending").values(status="cancelled")
        )

    def confirm_subscription(self, subscription_id: str) -> bool:
        """True if it was active and waiting for confirmation (so a second click does nothing)."""
        s = orm.subscriptions
        query = (
            s.update()
            .where(s.c.id == subscription_id, s.c.active.is_(True), s.c.confirmed.is_(False))
            .values(confirmed=True)
            .returning(s.c.id)
        )
        return self.conn.execute(query).first() is not None

    def count_subscriptions(self, created_since: datetime, target: str | None = None, client: str | None = None) -> int:
        """Subscriptions made since then (deleted ones too: each cost a mail), for one target and/or client."""
        s = orm.subscriptions
        query = select(func.count()).select_from(s).where(s.c.created_at >= created_since)
        if target is not None:
            query = query.where(s.c.target == target)
        if client is not None:
            query = query.where(s.c.client == client)
        return int(self.conn.execute(query).scalar_one())

    def expire_unconfirmed(self, created_before: datetime, at: datetime) -> int:
        s = orm.subscriptions
        query = (
            s.update()
            .where(s.c.active.is_(True), s.c.confirmed.is_(False), s.c.created_at < created_before)
            .values(active=False, deleted_at=at)
            .returning(s.c.id)
        )
        return len(self.conn.execute(query).all())

    # -- deliveries ---------------------------------------------------------------------------------------

    def add_deliveries(self, deliveries: list[Delivery]) -> int:
        """Never a second delivery of an event to a subscription. Returns how many were new."""
        return orm.insert_ignore(self.conn, orm.deliveries, [vars(d) for d in deliveries])

    def delivery(self, delivery_id: str) -> Delivery:
        d = orm.deliveries
        return _delivery(self.conn.execute(d.select().where(d.c.id == delivery_id)).one())

    def deliveries(self, status: DeliveryStatus | None = None, limit: int = 100) -> list[Delivery]:
        d = orm.deliveries
        query = d.select().order_by(d.c.created_at.desc()).limit(limit)
        if status:
            query = query.where(d.c.status == status)
        return [_delivery(r) for r in self.conn.execute(query)]

    def deliveries_of(self, subscription_id: str) -> list[Delivery]:
        d = orm.deliveries
        query = d.select().where(d.c.subscription_id == subscription_id).order_by(d.c.created_at)
        return [_delivery(r) for r in self.conn.execute(query)]

    def attempts_of(self, delivery_ids: list[str]) -> dict[str, list[Attempt]]:
        a = orm.delivery_attempts
        attempts: dict[str, list[Attempt]] = {}
        for r in self.conn.execute(a.select().where(a.c.delivery_id.in_(delivery_ids)).order_by(a.c.id)):
            attempts.setdefault(r.delivery_id, []).append(
                Attempt(r.number, r.started_at, r.finished_at, r.outcome, r.http_status, r.error)
            )
        return attempts

    def delivery_counts(self) -> dict[str, int]:
        d = orm.deliveries
        return {status: n for status, n in self.conn.execute(select(d.c.status, func.count()).group_by(d.c.status))}

    def claim(self, limit: int, at: datetime, lease: timedelta) -> list[str]:
        """Mark up to `limit` due deliveries as sending (and those whose claim expired). Returns their ids."""
        d = orm.deliveries
        claimable = or_(
            and_(d.c.status == "pending", d.c.next_attempt_at <= at),
            and_(d.c.status == "sending", d.c.claimed_at < at - lease),
        )
        ids = [
            r.id for r in self.conn.execute(select(d.c.id).where(claimable).order_by(d.c.next_attempt_at).limit(limit))
        ]
        claimed: list[str] = []
        for delivery_id in ids:
            # Conditional update: with several workers, exactly one wins each row.
            won = self.conn.execute(
                d.update().where(d.c.id == delivery_id, claimable).values(status="sending", claimed_at=at)
            ).rowcount
            if won:
                claimed.append(delivery_id)
        return claimed

    def finish(self, delivery_id: str, attempt: Attempt, **values: Any) -> None:
        """Log the attempt and set the claimed delivery's outcome (`values`: status and what goes with it)."""
        d = orm.deliveries
        self.conn.execute(orm.delivery_attempts.insert().values(delivery_id=delivery_id, **vars(attempt)))
        self.conn.execute(
            d.update().where(d.c.id == delivery_id, d.c.status == "sending").values(claimed_at=None, **values)
        )

    def cancel_pending(self, event_ids: Iterable[str]) -> int:
        """Cancel the not-yet-sent deliveries of these events (a corrected alert must not go out)."""
        d = orm.deliveries
        ids = list(event_ids)
        if not ids:
            return 0
        query = d.update().where(d.c.event_id.in_(ids), d.c.status == "pending").values(status="cancelled")
        return self.conn.execute(query).rowcount

    def resend(self, delivery_ids: list[str], at: datetime) -> int | None:
        """Due again at `at` with a fresh retry schedule (not while one is being sent, not for an inactive
        subscription). Returns how many; None if none of the ids exists."""
        d, s = orm.deliveries, orm.subscriptions
        if not delivery_ids:
            return 0
        if self.conn.execute(select(d.c.id).where(d.c.id.in_(delivery_ids))).first() is None:
            return None
        active = select(s.c.id).where(s.c.active.is_(True))
        query = (
            d.update()
            .where(d.c.id.in_(delivery_ids), d.c.status != "sending", d.c.subscription_id.in_(active))
            .values(status="pending", attempts=0, next_attempt_at=at, claimed_at=None)
        )
        return self.conn.execute(query).rowcount

    def cancel_claimed(self, delivery_id: str) -> None:
        d = orm.deliveries
        self.conn.execute(
            d.update().where(d.c.id == delivery_id, d.c.status == "sending").values(status="cancelled", claimed_at=None)
        )
