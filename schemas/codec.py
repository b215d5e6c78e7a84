"""Encoding events to bytes and back; the only way readers turn a message into an Envelope."""

from __future__ import annotations

import json
from datetime import UTC, datetime, time
from zoneinfo import ZoneInfo

from pydantic import ValidationError

from schemas import ids
from schemas.events import EVENT_TYPES, Envelope, EventData, Source
from schemas.stream import subject_for
from schemas.upcasting import upcast

AMSTERDAM = ZoneInfo("Europe/Amsterdam")


class InvalidEvent(ValueError):
    """A message that is not a valid event of a known type: dead-letter it, do not retry."""


def day_start(day: datetime | object) -> datetime:
    """The moment a calendar day begins in Europe/Amsterdam (documents are dated in Dutch time)."""
    return datetime.combine(day, time(0), tzinfo=AMSTERDAM)  # type: ignore[arg-type]


def make_event(
    data: EventData,
    *,
    occurred_at: datetime | None,
    source: Source,
    unique: tuple[object, ...],
    correlation_id: str | None = None,
    causation_id: str | None = None,
    recorded_at: datetime | None = None,
) -> Envelope:
    """Build an envelope whose id is derived from the type, the aggregate and `unique`."""
    aggregate_id = data.aggregate_id()
    return Envelope(
        id=ids.event_id(data.TYPE, aggregate_id, *unique),
        type=data.TYPE,
        version=data.VERSION,
        subject=aggregate_id,
        occurred_at=occurred_at,
        recorded_at=recorded_at or datetime.now(UTC),
        source=source,
        correlation_id=correlation_id,
        causation_id=causation_id,
        data=data.model_dump(mode="json"),
    )


def nats_subject(event: Envelope) -> str:
    return subject_for(EVENT_TYPES[event.type].AGGREGATE, event.subject)


def publish_headers(event: Envelope) -> dict[str, str]:
    """Headers of every event publish: the event id as Nats-Msg-Id makes a retried publish a no-op."""
    return {"Nats-Msg-Id": event.id, "Content-Type": "application/json", "Ptl-Event-Type": event.type}


def encode(event: Envelope) -> bytes:
    return event.model_dump_json().encode()


def decode(raw: bytes) -> Envelope:
    """Parse, upcast and validate a message body. Raises InvalidEvent naming what is wrong."""
    try:
        obj = json.loads(raw)
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise InvalidEvent(f"not JSON: {exc}") from exc
    if not isinstance(obj, dict):
        raise InvalidEvent("not a JSON object")
    event_type = obj.get("type")
    if not isinstance(event_type, str) or (cls := EVENT_TYPES.get(event_type)) is None:
        raise InvalidEvent(f"unknown event type {event_type!r}")
    try:
        version, data = upcast(event_type, int(obj.get("version", 0)), obj.get("data") or {}, cls.VERSION)
        envelope = Envelope.model_validate({**obj, "version": version, "data": data})
        envelope.payload()
    except (ValueError, TypeError, ValidationError) as exc:
        raise InvalidEvent(f"invalid {event_type}: {exc}") from exc
    return envelope
