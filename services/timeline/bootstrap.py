"""Wiring: settings -> engine, the projection over it (handlers.apply_event), the broker and its consumer."""

from __future__ import annotations

from dataclasses import dataclass

from faststream.nats import NatsBroker

from services.common.db import create_tables, make_engine
from services.common.projection import Projection
from services.common.service import make_broker
from services.timeline.adapters import orm
from services.timeline.entrypoints.consumer import subscribe_consumer
from services.timeline.handlers import apply_event
from services.timeline.settings import TimelineSettings


@dataclass
class Timeline:
    settings: TimelineSettings
    projection: Projection
    broker: NatsBroker


def make_projection(database_url: str) -> Projection:
    engine = make_engine(database_url)
    create_tables(engine, orm.metadata)
    return Projection(name="timeline", engine=engine, checkpoint=orm.checkpoint, apply=apply_event)


def build(settings: TimelineSettings) -> Timeline:
    projection = make_projection(settings.resolved_database_url())
    broker = make_broker(settings, "timeline")
    subscribe_consumer(broker, projection)
    return Timeline(settings, projection, broker)
