"""Every event type defined in schemas/ is handled or explicitly ignored by each consumer of the stream.

The consumers are the durable consumers `schemas.stream` declares; each has one table in its `handlers.py`.
ingest consumes no events (it publishes; its corrections come from its own registry, open data from the
Tweede Kamer's OData API), and a check below keeps it that way or makes whoever changes it add a table here.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from pathlib import Path

import pytest

import schemas.stream
from schemas.events import EVENT_TYPES
from services.notify import handlers as notify
from services.notify.domain.messages import SUMMARIES
from services.timeline import handlers as timeline
from tests.helpers.dispatch import assert_dispatches_every_event_type

SERVICES = Path(__file__).resolve().parents[2] / "services"


@dataclass(frozen=True)
class Dispatch:
    handled: frozenset[str]
    ignored: frozenset[str]


def notify_dispatch() -> Dispatch:
    ignored = {t for t, how in notify.HANDLERS.items() if how is notify.IGNORED}
    return Dispatch(frozenset(notify.HANDLERS.keys() - ignored), frozenset(ignored))


def timeline_dispatch() -> Dispatch:
    return Dispatch(frozenset(timeline.HANDLERS), timeline.IGNORED)


CONSUMERS = {schemas.stream.NOTIFY_CONSUMER: notify_dispatch, schemas.stream.TIMELINE_CONSUMER: timeline_dispatch}


def declared_consumers() -> set[str]:
    return {value for name, value in vars(schemas.stream).items() if name.endswith("_CONSUMER")}


def test_every_declared_consumer_has_a_table_here() -> None:
    assert declared_consumers() == set(CONSUMERS)


@pytest.mark.parametrize("consumer", sorted(CONSUMERS))
def test_each_consumer_handles_or_ignores_every_event_type(consumer: str) -> None:
    table = CONSUMERS[consumer]()
    assert_dispatches_every_event_type(consumer, table.handled, table.ignored)


def subscribing_services() -> set[str]:
    """The services whose code subscribes to the stream (a projection, or a raw JetStream subscription)."""
    calls = {"subscribe_projection", "subscribe", "pull_subscribe", "subscriber"}
    found = set()
    for path in SERVICES.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Call):
                name = getattr(node.func, "attr", getattr(node.func, "id", None))
                if name in calls:
                    found.add(path.relative_to(SERVICES).parts[0])
    return found


def test_only_the_services_with_a_table_consume_events() -> None:
    # common: the projection runner and replay, which run a consumer's table; each other one is a consumer.
    assert subscribing_services() - {"common"} == set(CONSUMERS)


def test_every_type_notify_alerts_on_has_a_summary() -> None:
    alerting = {event_type for event_type, how in notify.HANDLERS.items() if how.alerts}
    assert alerting <= set(SUMMARIES), sorted(alerting - set(SUMMARIES))


def test_the_timeline_recomputes_the_commitment_of_every_commitment_event() -> None:
    commitment_types = {t for t, cls in EVENT_TYPES.items() if cls.AGGREGATE == "commitment"}
    assert commitment_types == {t for t in EVENT_TYPES if t.startswith("commitment.")}
    assert commitment_types == {t for t, h in timeline.HANDLERS.items() if h is timeline.commitment_changed}


def test_the_check_names_what_a_table_leaves_out() -> None:
    table = notify_dispatch()
    partial = table.handled - {"forum.meeting_reported"}
    with pytest.raises(AssertionError, match=r"forum\.meeting_reported"):
        assert_dispatches_every_event_type("notify", partial, table.ignored)
    with pytest.raises(AssertionError, match=r"motion\.forgotten"):
        assert_dispatches_every_event_type("notify", table.handled | {"motion.forgotten"}, table.ignored)
    with pytest.raises(AssertionError, match=r"both handles and ignores \['motion\.referenced'\]"):
        assert_dispatches_every_event_type("timeline", timeline.HANDLERS, {"motion.referenced"})
