"""Service start-up shared by the three apps: logging, broker, streams, in the FastAPI lifespan.

faststream's FastAPI integration is deprecated, so each app starts its own NatsBroker here.
"""

from __future__ import annotations

from collections.abc import Sequence

from faststream.nats import NatsBroker

from services.common.logging import configure_logging
from services.common.nats import ensure_streams
from services.common.projection import Projection, align_consumer
from services.common.settings import CommonSettings


def make_broker(settings: CommonSettings, name: str) -> NatsBroker:
    configure_logging(settings.log_level, settings.log_format)
    return NatsBroker(
        settings.nats_servers,
        name=name,
        max_reconnect_attempts=-1,
        reconnect_time_wait=1,
        logger=None,  # our structlog lines replace faststream's per-message INFO logs
    )


async def start_broker(
    broker: NatsBroker, settings: CommonSettings, consumers: Sequence[tuple[Projection, str]] = ()
) -> None:
    """Connect, declare the streams, realign durable consumers with their databases, then subscribe."""
    await broker.connect()
    js = broker.config.connection_state.stream
    await ensure_streams(js, settings.stream_replicas)
    for projection, durable in consumers:
        await align_consumer(js, projection, durable)
    await broker.start()
