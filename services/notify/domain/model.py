"""What notify keeps about subscribers and alerts: plain records, shared by the repository, the fakes and the API."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum
from typing import Any, Literal

from schemas.refs import Ref
from services.notify.domain.matching import Filter

DeliveryStatus = Literal["pending", "sending", "delivered", "failed", "cancelled"]


class Channel(StrEnum):
    """Where a subscription sends its alerts; each has one adapter in `adapters.notifications.CHANNELS`."""

    EMAIL = "email"
    WEBHOOK = "webhook"


@dataclass(frozen=True)
class Subscription:
    id: str
    channel: str
    target: str
    since: datetime
    created_at: datetime
    motion_id: str | None = None
    forum_id: str | None = None
    commitment_id: str | None = None
    event_types: list[str] | None = None  # None: the default set
    secret: str | None = None  # webhook signing secret
    active: bool = True
    deleted_at: datetime | None = None
    # An email address gets nothing, not even a backfill, until its owner followed the confirmation link.
    confirmed: bool = True
    manage_token_hash: str | None = None  # sha256 of the token that lets the subscriber read and delete it
    client: str | None = None  # the address it was created from (rate limits)

    def filter(self) -> Filter:
        types = frozenset(self.event_types) if self.event_types is not None else None
        return Filter(self.since, self.motion_id, self.forum_id, self.commitment_id, types)


@dataclass(frozen=True)
class Delivery:
    """One alert for one subscription; its id is stable per (subscription, event): the webhook-id."""

    id: str
    subscription_id: str
    event_id: str
    event_type: str
    summary: str
    context: dict[str, Any]  # what the message needs beyond the envelope (the commitment)
    envelope: str
    status: DeliveryStatus
    next_attempt_at: datetime
    created_at: datetime
    attempts: int = 0
    claimed_at: datetime | None = None
    delivered_at: datetime | None = None
    last_error: str | None = None


@dataclass(frozen=True)
class Attempt:
    number: int
    started_at: datetime
    finished_at: datetime
    outcome: str  # delivered | retry | failed
    http_status: int | None = None
    error: str | None = None


@dataclass(frozen=True)
class IndexedEvent:
    """An event as the index keeps it for backfilling new subscriptions."""

    event_id: str
    sequence: int
    type: str
    occurred_at: datetime | None
    recorded_at: datetime
    refs: frozenset[Ref]
    envelope: str


@dataclass(frozen=True)
class PublishedDeadline:
    """A commitment.deadline_passed on the stream; stream_sequence None: learned from it, not published here."""

    commitment_id: str
    deadline: date
    event_id: str
    passed_at: datetime
    published_at: datetime
    stream_sequence: int | None = None
    text: str | None = field(default=None, compare=False)  # the commitment's text, when read for the API
