"""Shared pieces of turning OData records into events: the event source, ids and times."""

from __future__ import annotations

import datetime as dt
from typing import Any

import structlog

from schemas.codec import AMSTERDAM, day_start, make_event
from schemas.events import Envelope, EventData, Source
from services.ingest.opendata.odata import parse_time

log = structlog.get_logger("opendata")

SOURCE = Source(service="ingest.opendata", version="1")


class SkipRecord(ValueError):
    """A record that cannot become an event (unknown enum value, missing link): logged with its id, skipped."""


def record_time(record: dict[str, Any], field: str = "ApiGewijzigdOp") -> dt.datetime:
    moment = parse_time(record.get(field))
    if moment is None:
        raise SkipRecord(f"no {field}")
    return moment


def record_day(record: dict[str, Any], field: str) -> dt.date | None:
    """An OData DateTimeOffset as the Dutch calendar day it names."""
    moment = parse_time(record.get(field))
    return moment.astimezone(AMSTERDAM).date() if moment else None


def open_data_event(data: EventData, *, record_id: str, occurred_on: dt.date | None, modified: dt.datetime) -> Envelope:
    """The event of one upstream record as of one change: re-reading the same change yields the same id, a new
    ApiGewijzigdOp a new event."""
    return make_event(
        data,
        occurred_at=day_start(occurred_on) if occurred_on else modified,
        source=SOURCE,
        unique=(record_id, modified.isoformat()),
    )


def skipped(entity: str, record: object, reason: str) -> None:
    record_id = record.get("Id") if isinstance(record, dict) else None
    log.warning("opendata.record_skipped", entity=entity, record_id=record_id, reason=reason)
