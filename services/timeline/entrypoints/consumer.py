"""The event consumer: the timeline's projection on its durable consumer of POLICY."""

from __future__ import annotations

from faststream.nats import NatsBroker

from schemas.stream import TIMELINE_CONSUMER
from services.common.projection import Projection, subscribe_projection


def subscribe_consumer(broker: NatsBroker, projection: Projection) -> None:
    subscribe_projection(broker, projection, durable=TIMELINE_CONSUMER)
