"""What each event does to notify: ONE table from event type to handler, and the projection that runs it.

`apply_event` runs inside the projection's transaction: the event's handler records what the deadline rule
needs, then the event is indexed (for backfilling new subscriptions) and one delivery is queued per matching
subscription. Every event type of `schemas.events` is in `HANDLERS`, either with a handler or as `IGNORED`;
an event of a type missing here raises `UnhandledEvent`, so the projection retries it and then dead-letters
it, instead of dropping it without a word. After the commit, `Handling.deadlines` tells the deadline watcher
what to evaluate again.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import Enum
from typing import Any

import structlog
from sqlmodel import Session

from schemas.deadline_rule import (
    Corrected,
    DueStatement,
    Fulfilment,
    corrected,
    correction_from_event,
    current_statement,
)
from schemas.events import (
    CORRECTION_TYPES,
    CommitmentDeadlinePassed,
    CommitmentDeadlineRevised,
    CommitmentFulfilled,
    CommitmentMade,
    CommitmentMerged,
    CommitmentReadingChanged,
    CommitmentStatementRetracted,
    CommitmentWithdrawn,
    DocumentIngested,
    DocumentReadingChanged,
    Envelope,
    ForumMeetingReported,
    IngestWatermark,
    MotionReferenced,
)
from schemas.ids import digest, forum_id
from schemas.opendata import OPEN_DATA_EVENTS
from schemas.refs import Ref, event_refs
from services.common.projection import Projection
from services.notify.adapters.repository import Repository, SqlRepository
from services.notify.domain.matching import matches
from services.notify.domain.messages import summarize
from services.notify.domain.model import Delivery, PublishedDeadline, Subscription

log = structlog.get_logger("notify")


class UnhandledEvent(LookupError):
    """An event type notify's table does not name: an error, never silently skipped."""


class Deadlines(Enum):
    """What the deadline watcher evaluates again after an event committed."""

    NOTHING = "nothing"
    COMMITMENT = "commitment"  # the event's commitment
    EVERYTHING = "everything"  # every commitment (a watermark moves time forward)


@dataclass(frozen=True)
class Handling:
    record: Callable[[Repository, Envelope, int], None]  # the facts the deadline rule and the alerts need
    deadlines: Deadlines = Deadlines.NOTHING
    alerts: bool = True  # indexed, and delivered to matching subscriptions


def only_alert(repo: Repository, event: Envelope, sequence: int) -> None:
    """Nothing to record: the event is only indexed and delivered."""


def commitment_made(repo: Repository, event: Envelope, sequence: int) -> None:
    data = event.payload()
    assert isinstance(data, CommitmentMade)
    forums = [forum_id(f) for f in data.forums]
    repo.add_commitment(data.commitment_id, data.text, data.actor, data.document_id, list(data.motions), forums)
    statement = DueStatement(event.id, data.commitment_id, "made", event.occurred_at, data.due, data.text)
    repo.add_due_statement(statement, data.document_id)


def deadline_revised(repo: Repository, event: Envelope, sequence: int) -> None:
    data = event.payload()
    assert isinstance(data, CommitmentDeadlineRevised)
    statement = DueStatement(event.id, data.commitment_id, "revised", event.occurred_at, data.due, data.text)
    repo.add_due_statement(statement, data.document_id)


def commitment_fulfilled(repo: Repository, event: Envelope, sequence: int) -> None:
    data = event.payload()
    assert isinstance(data, CommitmentFulfilled)
    repo.add_fulfilment(Fulfilment(event.id, data.commitment_id, event.occurred_at), data.document_id, data.evidence)


def watermark(repo: Repository, event: Envelope, sequence: int) -> None:
    data = event.payload()
    assert isinstance(data, IngestWatermark)
    repo.raise_watermark(data.source, data.up_to, event.id)


def deadline_passed(repo: Repository, event: Envelope, sequence: int) -> None:
    """Published by this or an earlier incarnation of notify: never publish it again."""
    data = event.payload()
    assert isinstance(data, CommitmentDeadlinePassed)
    passed_at = event.occurred_at or event.recorded_at
    repo.add_published_deadline(
        PublishedDeadline(data.commitment_id, data.deadline, event.id, passed_at, event.recorded_at, None)
    )


def commitment_now(repo: Repository, commitment_id: str) -> Corrected:
    """The commitment's statements and fulfilments as its corrections leave them."""
    ids = [commitment_id]
    return corrected(repo.load_statements(ids), repo.load_fulfilments(ids), repo.load_corrections(ids))


def withdrawn_alert(repo: Repository, event: Envelope) -> bool:
    """A deadline_passed of a commitment since closed, or retracted: it must not (or no longer) go out."""
    if event.type != CommitmentDeadlinePassed.TYPE:
        return False
    now = commitment_now(repo, event.subject)
    return now.closed or event.id in now.retracted


def correction(repo: Repository, event: Envelope, sequence: int) -> None:
    """Record the correction; cancel the pending deliveries of deadline alerts it makes false."""
    fact = correction_from_event(event, sequence)
    assert fact is not None
    repo.add_correction(fact)
    data = event.payload()
    if isinstance(data, CommitmentReadingChanged) and data.statement == CommitmentMade.TYPE:
        new = data.new
        repo.read_commitment_anew(
            data.commitment_id, new.text, new.actor, list(new.motions), [forum_id(f) for f in new.forums]
        )
    now = commitment_now(repo, fact.commitment_id)
    published = [p for p in repo.published_deadlines() if p.commitment_id == fact.commitment_id]
    stale = [p.event_id for p in published if now.closed or p.event_id in now.retracted]
    cancelled = repo.cancel_pending(stale)
    if cancelled:
        log.info("deliveries.cancelled", commitment_id=fact.commitment_id, cause=event.id, count=cancelled)


def ignore(repo: Repository, event: Envelope, sequence: int) -> None:
    """A type notify does not care about: not recorded, not indexed, not delivered."""


IGNORED = Handling(ignore, alerts=False)

HANDLERS: dict[str, Handling] = {
    DocumentIngested.TYPE: Handling(only_alert),
    MotionReferenced.TYPE: Handling(only_alert),
    ForumMeetingReported.TYPE: Handling(only_alert),
    CommitmentMade.TYPE: Handling(commitment_made, Deadlines.COMMITMENT),
    CommitmentDeadlineRevised.TYPE: Handling(deadline_revised, Deadlines.COMMITMENT),
    CommitmentFulfilled.TYPE: Handling(commitment_fulfilled, Deadlines.COMMITMENT),
    IngestWatermark.TYPE: Handling(watermark, Deadlines.EVERYTHING),
    CommitmentDeadlinePassed.TYPE: Handling(deadline_passed),
    # Corrections (services.ingest.relinking) change what the deadline rule sees. A subscriber following a
    # commitment hears that it was withdrawn or merged, or that a statement (a revision, a fulfilment, a
    # deadline alert) was taken back; a statement read anew is recorded without an alert (a new extractor
    # rewords many statements; a deadline it moves shows in the alerts that follow).
    CommitmentMerged.TYPE: Handling(correction, Deadlines.COMMITMENT),
    CommitmentWithdrawn.TYPE: Handling(correction, Deadlines.COMMITMENT),
    CommitmentStatementRetracted.TYPE: Handling(correction, Deadlines.COMMITMENT),
    CommitmentReadingChanged.TYPE: Handling(correction, Deadlines.COMMITMENT, alerts=False),
    DocumentReadingChanged.TYPE: IGNORED,  # a document's title and kind set no deadline
    **dict.fromkeys((cls.TYPE for cls in OPEN_DATA_EVENTS), IGNORED),  # Tweede Kamer open data: timeline only
}
assert set(CORRECTION_TYPES) <= set(HANDLERS)


def handling(event_type: str) -> Handling:
    try:
        return HANDLERS[event_type]
    except KeyError:
        raise UnhandledEvent(f"notify has no handler for event type {event_type!r}; add it to HANDLERS") from None


def now() -> datetime:
    return datetime.now(UTC)


def delivery_id(subscription_id: str, event_id: str) -> str:
    """Stable per (subscription, event): the webhook-id receivers dedupe retries by."""
    return f"dlv-{digest(subscription_id, event_id, length=24)}"


# --- the projection ---------------------------------------------------------------------------------------

# The projection applies each event under this lock, commit included, so whoever takes it sees the projection
# between two events: a new subscription's backfill (else it and a concurrently applied event would miss each
# other's rows, and the subscription the event) and the deadline watcher's reads (else it could see a watermark
# without the revision applied before it). All of them run in threads, off the event loop.
APPLYING = threading.Lock()


class NotifyProjection(Projection):
    def apply_once(self, event: Envelope | None, sequence: int) -> bool:
        with APPLYING:
            return super().apply_once(event, sequence)


def apply_event(session: Session, event: Envelope, sequence: int) -> None:
    """The projection's apply function (services.common.projection.Apply)."""
    handle(SqlRepository(session), event, sequence)


def handle(repo: Repository, event: Envelope, sequence: int) -> None:
    how = handling(event.type)
    if repo.event_seen(event.id):
        return  # the same event stored twice (a publish retried after the duplicate window)
    how.record(repo, event, sequence)  # idempotent: events that do not alert are not indexed
    if not how.alerts:
        return
    refs = event_refs(event, repo.commitment_links)
    repo.index_event(event, sequence, refs)
    if withdrawn_alert(repo, event):
        return
    queued = queue_deliveries(repo, event, refs, [s for s in repo.subscriptions() if s.confirmed])
    if queued:
        log.info("deliveries.queued", event_id=event.id, event_type=event.type, count=queued)


# --- deliveries ---------------------------------------------------------------------------------------------


def event_context(repo: Repository, event: Envelope) -> dict[str, Any]:
    """What an alert needs beyond the envelope: the commitment's text and current due interval."""
    if not event.type.startswith("commitment."):
        return {}
    context = repo.commitment_context(event.subject)
    current = current_statement(commitment_now(repo, event.subject).statements)
    context["due"] = current.due.model_dump(mode="json") if current and current.due else None
    if event.type == CommitmentDeadlinePassed.TYPE:
        context["deadline_document_id"] = repo.deadline_document(event.subject, event.data["deadline"])
    return context


def queue_deliveries(repo: Repository, event: Envelope, refs: Iterable[Ref], subs: Iterable[Subscription]) -> int:
    """Insert a pending delivery for every subscription the event matches; never a second one."""
    refs = set(refs)
    wanted = [s for s in subs if matches(s.filter(), event.type, event.occurred_at, event.recorded_at, refs)]
    if not wanted:
        return 0
    context = event_context(repo, event)
    summary = summarize(event, context)
    envelope = event.model_dump_json()
    at = now()
    deliveries = [
        Delivery(delivery_id(s.id, event.id), s.id, event.id, event.type, summary, context, envelope, "pending", at, at)
        for s in wanted
    ]
    return repo.add_deliveries(deliveries)


def backfill(repo: Repository, sub: Subscription) -> int:
    """Queue deliveries for already-indexed events a new subscription matches (occurred_at >= since)."""
    if not sub.confirmed:
        return 0  # nothing reaches an address before its owner confirmed it
    flt = sub.filter()
    queued = 0
    for indexed in repo.indexed_events(flt.types()):
        if matches(flt, indexed.type, indexed.occurred_at, indexed.recorded_at, indexed.refs):
            event = Envelope.model_validate_json(indexed.envelope)
            if not withdrawn_alert(repo, event):
                queued += queue_deliveries(repo, event, indexed.refs, [sub])
    return queued
