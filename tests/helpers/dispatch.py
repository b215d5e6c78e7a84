"""Does a service's event table name every event type of schemas/? For notify's HANDLERS, and any other
service's table of the same form (event type -> handler, with ignored types listed explicitly)."""

from __future__ import annotations

from collections.abc import Mapping

from schemas.events import EVENT_TYPES


def assert_dispatches_every_event_type(service: str, table: Mapping[str, object]) -> None:
    """Fail naming each event type the table leaves out, and each entry that is no event type."""
    missing = sorted(set(EVENT_TYPES) - set(table))
    unknown = sorted(set(table) - set(EVENT_TYPES))
    assert not missing, f"{service} neither handles nor ignores {missing}: add a handler or list it as ignored"
    assert not unknown, f"{service} has handlers for {unknown}, which schemas/ does not define"
