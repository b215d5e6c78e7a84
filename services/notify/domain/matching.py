"""Which events a subscription alerts on: pure, so live delivery, backfill and replay agree."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime

from schemas.codec import AMSTERDAM
from schemas.events import EVENT_TYPES
from schemas.refs import Ref

# Watermarks are bookkeeping, not news: only sent to a subscription that names the type.
DEFAULT_EVENT_TYPES = frozenset(t for t in EVENT_TYPES if t != "ingest.watermark")


def aware(moment: datetime) -> datetime:
    """Naive moments are Dutch time (documents are dated in it)."""
    return moment.replace(tzinfo=AMSTERDAM) if moment.tzinfo is None else moment


@dataclass(frozen=True)
class Filter:
    """All given criteria must hold (motion AND forum AND commitment AND type)."""

    since: datetime
    motion_id: str | None = None
    forum_id: str | None = None
    commitment_id: str | None = None
    event_types: frozenset[str] | None = None  # None: DEFAULT_EVENT_TYPES

    def types(self) -> frozenset[str]:
        return self.event_types if self.event_types is not None else DEFAULT_EVENT_TYPES


def matches(
    flt: Filter,
    event_type: str,
    occurred_at: datetime | None,
    recorded_at: datetime,
    refs: Collection[Ref],
) -> bool:
    if event_type not in flt.types():
        return False
    # An undated event cannot be placed after `since`; alert if we learned it after `since`.
    if aware(occurred_at if occurred_at is not None else recorded_at) < aware(flt.since):
        return False
    wanted: list[Ref] = []
    if flt.motion_id:
        wanted.append(("motion", flt.motion_id))
    if flt.forum_id:
        wanted.append(("forum", flt.forum_id))
    if flt.commitment_id:
        wanted.append(("commitment", flt.commitment_id))
    return all(ref in refs for ref in wanted)
