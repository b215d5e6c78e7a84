"""In-memory fakes of notify's ports, for unit tests of the handlers, the watcher and the worker.

`FakeTransactions` keeps one `FakeRepository` and restores its state when a unit of work raises, like a
rolled-back transaction. The repository contract tests run it beside the SQL repository, so the two agree.
"""

from __future__ import annotations

import copy
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, timedelta
from typing import Any

from schemas.deadline_rule import Correction, DueStatement, Fulfilment
from schemas.events import Envelope
from schemas.refs import Ref
from services.notify.adapters.notifications import SendResult
from services.notify.domain.model import (
    Attempt,
    Delivery,
    DeliveryStatus,
    IndexedEvent,
    PublishedDeadline,
    Subscription,
)


@dataclass
class _State:
    index: dict[str, IndexedEvent] = field(default_factory=dict)
    commitments: dict[str, dict[str, Any]] = field(default_factory=dict)
    statements: dict[str, tuple[DueStatement, str]] = field(default_factory=dict)  # event id -> (.., document)
    fulfilments: dict[str, Fulfilment] = field(default_factory=dict)
    watermarks: dict[str, tuple[date, str]] = field(default_factory=dict)  # source -> (up to, event id)
    corrections: dict[str, Correction] = field(default_factory=dict)
    published: dict[tuple[str, date], PublishedDeadline] = field(default_factory=dict)
    subscriptions: dict[str, Subscription] = field(default_factory=dict)
    deliveries: dict[str, Delivery] = field(default_factory=dict)
    attempts: list[tuple[str, Attempt]] = field(default_factory=list)


def _when(moment: datetime | None) -> tuple[bool, datetime]:
    return (moment is not None, moment or datetime.min.replace(tzinfo=UTC))


class FakeRepository:
    def __init__(self) -> None:
        self.state = _State()

    # -- the projection ------------------------------------------------------------------------------------

    def event_seen(self, event_id: str) -> bool:
        return event_id in self.state.index

    def index_event(self, event: Envelope, sequence: int, refs: Iterable[Ref]) -> None:
        indexed = IndexedEvent(
            event.id,
            sequence,
            event.type,
            event.occurred_at,
            event.recorded_at,
            frozenset(refs),
            event.model_dump_json(),
        )
        self.state.index[event.id] = indexed

    def indexed_events(self, types: Iterable[str]) -> list[IndexedEvent]:
        wanted = set(types)
        return sorted((e for e in self.state.index.values() if e.type in wanted), key=lambda e: e.sequence)

    def add_commitment(
        self, commitment_id: str, text: str, actor: str | None, document_id: str, motions: list[str], forums: list[str]
    ) -> None:
        row = dict(text=text, actor=actor, document_id=document_id, motions=list(motions), forums=list(forums))
        self.state.commitments.setdefault(commitment_id, row)

    def commitment_links(self, commitment_id: str) -> tuple[list[str], list[str]]:
        row = self.state.commitments.get(commitment_id)
        return (list(row["motions"]), list(row["forums"])) if row else ([], [])

    def commitment_context(self, commitment_id: str) -> dict[str, Any]:
        row = self.state.commitments.get(commitment_id)
        context: dict[str, Any] = {"commitment_id": commitment_id}
        if row:
            context.update(text=row["text"], actor=row["actor"], document_id=row["document_id"])
        return context

    def add_due_statement(self, statement: DueStatement, document_id: str) -> None:
        self.state.statements.setdefault(statement.event_id, (statement, document_id))

    def load_statements(self, commitment_ids: Iterable[str] | None = None) -> list[DueStatement]:
        ids = None if commitment_ids is None else set(commitment_ids)
        return [s for s, _ in self.state.statements.values() if ids is None or s.commitment_id in ids]

    def deadline_document(self, commitment_id: str, deadline: str) -> str | None:
        setters = [
            (s, doc)
            for s, doc in self.state.statements.values()
            if s.commitment_id == commitment_id and s.due and s.due.end.isoformat() == deadline
        ]
        latest = max(setters, key=lambda pair: _when(pair[0].occurred_at), default=None)
        return latest[1] if latest else None

    def add_fulfilment(self, fulfilment: Fulfilment, document_id: str | None, evidence: str) -> None:
        self.state.fulfilments.setdefault(fulfilment.event_id, fulfilment)

    def load_fulfilments(self, commitment_ids: Iterable[str] | None = None) -> list[Fulfilment]:
        ids = None if commitment_ids is None else set(commitment_ids)
        return [f for f in self.state.fulfilments.values() if ids is None or f.commitment_id in ids]

    def raise_watermark(self, source: str, up_to: date, event_id: str) -> None:
        current = self.state.watermarks.get(source)
        if current is None or up_to > current[0]:
            self.state.watermarks[source] = (up_to, event_id)

    def load_watermarks(self) -> dict[str, date]:
        return {source: up_to for source, (up_to, _) in self.state.watermarks.items()}

    def latest_watermark_event(self) -> str | None:
        latest = max(self.state.watermarks.values(), default=None)
        return latest[1] if latest else None

    def add_correction(self, correction: Correction) -> None:
        self.state.corrections.setdefault(correction.event_id, correction)

    def load_corrections(self, commitment_ids: Iterable[str] | None = None) -> list[Correction]:
        ids = None if commitment_ids is None else set(commitment_ids)
        return [c for c in self.state.corrections.values() if ids is None or c.commitment_id in ids]

    def read_commitment_anew(
        self, commitment_id: str, text: str, actor: str | None, motions: list[str], forums: list[str]
    ) -> None:
        if commitment_id in self.state.commitments:
            self.state.commitments[commitment_id].update(text=text, actor=actor, motions=motions, forums=forums)

    # -- published deadlines ------------------------------------------------------------------------------

    def add_published_deadline(self, published: PublishedDeadline) -> None:
        self.state.published.setdefault((published.commitment_id, published.deadline), replace(published, text=None))

    def published_keys(self) -> set[tuple[str, date]]:
        return set(self.state.published)

    def published_deadlines(self) -> list[PublishedDeadline]:
        rows = sorted(self.state.published.values(), key=lambda p: (p.passed_at, p.commitment_id))
        return [replace(p, text=self.state.commitments.get(p.commitment_id, {}).get("text")) for p in rows]

    # -- subscriptions ------------------------------------------------------------------------------------

    def add_subscription(self, subscription: Subscription) -> None:
        if subscription.id in self.state.subscriptions:
            raise KeyError(f"subscription {subscription.id} exists")
        self.state.subscriptions[subscription.id] = subscription

    def subscription(self, subscription_id: str) -> Subscription | None:
        return self.state.subscriptions.get(subscription_id)

    def subscriptions(self, include_deleted: bool = False) -> list[Subscription]:
        subs = sorted(self.state.subscriptions.values(), key=lambda s: s.created_at)
        return [s for s in subs if include_deleted or s.active]

    def delete_subscription(self, subscription_id: str, at: datetime) -> None:
        sub = self.state.subscriptions.get(subscription_id)
        if sub and sub.active:
            self.state.subscriptions[subscription_id] = replace(sub, active=False, deleted_at=at)
        for d in self._deliveries(subscription_id=subscription_id, status="pending"):
            self._update(d.id, status="cancelled")

    def confirm_subscription(self, subscription_id: str) -> bool:
        sub = self.state.subscriptions.get(subscription_id)
        if sub is None or not sub.active or sub.confirmed:
            return False
        self.state.subscriptions[subscription_id] = replace(sub, confirmed=True)
        return True

    def count_subscriptions(self, created_since: datetime, target: str | None = None, client: str | None = None) -> int:
        return sum(
            s.created_at >= created_since
            and (target is None or s.target == target)
            and (client is None or s.client == client)
            for s in self.state.subscriptions.values()
        )

    def expire_unconfirmed(self, created_before: datetime, at: datetime) -> int:
        subs = self.state.subscriptions.values()
        stale = [s for s in subs if s.active and not s.confirmed and s.created_at < created_before]
        for s in stale:
            self.state.subscriptions[s.id] = replace(s, active=False, deleted_at=at)
        return len(stale)

    # -- deliveries ---------------------------------------------------------------------------------------

    def _deliveries(self, **equal: Any) -> list[Delivery]:
        return [d for d in self.state.deliveries.values() if all(getattr(d, k) == v for k, v in equal.items())]

    def _update(self, delivery_id: str, **values: Any) -> None:
        self.state.deliveries[delivery_id] = replace(self.state.deliveries[delivery_id], **values)

    def add_deliveries(self, deliveries: list[Delivery]) -> int:
        added = 0
        for d in deliveries:
            if d.id in self.state.deliveries or self._deliveries(
                subscription_id=d.subscription_id, event_id=d.event_id
            ):
                continue
            self.state.deliveries[d.id] = d
            added += 1
        return added

    def delivery(self, delivery_id: str) -> Delivery:
        return self.state.deliveries[delivery_id]

    def deliveries(self, status: DeliveryStatus | None = None, limit: int = 100) -> list[Delivery]:
        rows = self._deliveries(status=status) if status else list(self.state.deliveries.values())
        return sorted(rows, key=lambda d: d.created_at, reverse=True)[:limit]

    def deliveries_of(self, subscription_id: str) -> list[Delivery]:
        return sorted(self._deliveries(subscription_id=subscription_id), key=lambda d: d.created_at)

    def attempts_of(self, delivery_ids: list[str]) -> dict[str, list[Attempt]]:
        attempts: dict[str, list[Attempt]] = {}
        for delivery_id, attempt in self.state.attempts:
            if delivery_id in delivery_ids:
                attempts.setdefault(delivery_id, []).append(attempt)
        return attempts

    def delivery_counts(self) -> dict[str, int]:
        counts: dict[str, int] = {}
        for d in self.state.deliveries.values():
            counts[d.status] = counts.get(d.status, 0) + 1
        return counts

    def claim(self, limit: int, at: datetime, lease: timedelta) -> list[str]:
        def claimable(d: Delivery) -> bool:
            if d.status == "pending":
                return d.next_attempt_at <= at
            return d.status == "sending" and d.claimed_at is not None and d.claimed_at < at - lease

        due = sorted((d for d in self.state.deliveries.values() if claimable(d)), key=lambda d: d.next_attempt_at)
        for d in due[:limit]:
            self._update(d.id, status="sending", claimed_at=at)
        return [d.id for d in due[:limit]]

    def finish(self, delivery_id: str, attempt: Attempt, **values: Any) -> None:
        self.state.attempts.append((delivery_id, attempt))
        if self.state.deliveries[delivery_id].status == "sending":
            self._update(delivery_id, claimed_at=None, **values)

    def cancel_pending(self, event_ids: Iterable[str]) -> int:
        ids = set(event_ids)
        pending = [d for d in self.state.deliveries.values() if d.event_id in ids and d.status == "pending"]
        for d in pending:
            self._update(d.id, status="cancelled")
        return len(pending)

    def resend(self, delivery_ids: list[str], at: datetime) -> int | None:
        found = [self.state.deliveries[i] for i in delivery_ids if i in self.state.deliveries]
        if delivery_ids and not found:
            return None
        due = [d for d in found if d.status != "sending" and self.state.subscriptions[d.subscription_id].active]
        for d in due:
            self._update(d.id, status="pending", attempts=0, next_attempt_at=at, claimed_at=None)
        return len(due)

    def cancel_claimed(self, delivery_id: str) -> None:
        if self.state.deliveries[delivery_id].status == "sending":
            self._update(delivery_id, status="cancelled", claimed_at=None)


class FakeTransactions:
    def __init__(self) -> None:
        self.repo = FakeRepository()

    @contextmanager
    def __call__(self) -> Iterator[FakeRepository]:
        before = copy.deepcopy(self.repo.state)
        try:
            yield self.repo
        except BaseException:
            self.repo.state = before  # rolled back
            raise


class FakePublisher:
    """A stream of its own: publishing appends; an id published twice is stored once (Nats-Msg-Id)."""

    def __init__(self) -> None:
        self.events: list[Envelope] = []

    async def publish(self, event: Envelope) -> int:
        if event.id not in {e.id for e in self.events}:
            self.events.append(event)
        return next(n for n, e in enumerate(self.events, start=1) if e.id == event.id)

    async def last_sequence(self) -> int:
        return len(self.events)


class FakeNotifications:
    """Records what it was asked to send and answers from a script (default: success)."""

    def __init__(self, *results: SendResult) -> None:
        self.results = list(results)
        self.sent: list[tuple[Delivery, Subscription]] = []

    async def send(self, delivery: Delivery, subscription: Subscription) -> SendResult:
        self.sent.append((delivery, subscription))
        return self.results.pop(0) if self.results else SendResult(True, 200)
