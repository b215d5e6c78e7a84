"""Upcasters turn a stored event of an old schema version into the current one, on read.

Events are never rewritten on the stream; every reader goes through `upcast`. Register a function per
(type, from_version); it returns the data of version from_version + 1.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

Upcaster = Callable[[dict[str, Any]], dict[str, Any]]

_UPCASTERS: dict[tuple[str, int], Upcaster] = {}


def upcaster(event_type: str, from_version: int) -> Callable[[Upcaster], Upcaster]:
    def register(fn: Upcaster) -> Upcaster:
        key = (event_type, from_version)
        if key in _UPCASTERS:
            raise ValueError(f"an upcaster for {event_type} v{from_version} is already registered")
        _UPCASTERS[key] = fn
        return fn

    return register


def upcast(event_type: str, version: int, data: dict[str, Any], current: int) -> tuple[int, dict[str, Any]]:
    """Apply upcasters until `current`. Raises when a step is missing or the version is from the future."""
    if version > current:
        raise ValueError(f"{event_type} v{version} is newer than this reader understands (v{current})")
    while version < current:
        step = _UPCASTERS.get((event_type, version))
        if step is None:
            raise ValueError(f"no upcaster for {event_type} from v{version} to v{version + 1}")
        data = step(dict(data))
        version += 1
    return version, data
