"""Does a consumer's event table name every event type of schemas/? For any service whose table maps event type
to handler, with the types it ignores listed explicitly (in the table, or in a set of their own)."""

from __future__ import annotations

from collections.abc import Collection

from schemas.events import EVENT_TYPES


def assert_dispatches_every_event_type(service: str, handled: Collection[str], ignored: Collection[str] = ()) -> None:
    """Fail naming each event type neither handled nor ignored, each type both, and each entry that is no event
    type."""
    missing = sorted(set(EVENT_TYPES) - set(handled) - set(ignored))
    both = sorted(set(handled) & set(ignored))
    unknown = sorted((set(handled) | set(ignored)) - set(EVENT_TYPES))
    assert not missing, f"{service} neither handles nor ignores {missing}: add a handler or list it as ignored"
    assert not both, f"{service} both handles and ignores {both}"
    assert not unknown, f"{service} has handlers for {unknown}, which schemas/ does not define"
