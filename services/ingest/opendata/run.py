"""Wiring the feed to the world: an HTTP client, ingest's database and the broker ingest publishes through."""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import httpx
import structlog
from sqlalchemy.engine import Engine

from services.common.db import make_engine
from services.common.nats import BrokerPublisher
from services.common.service import make_broker, start_broker
from services.ingest.opendata.feed import PollReport, Publish, TkFeed, run_periodically
from services.ingest.opendata.odata import ODataClient
from services.ingest.opendata.settings import TkFeedSettings

log = structlog.get_logger("opendata.run")


@asynccontextmanager
async def open_feed(
    settings: TkFeedSettings, publish: Publish, engine: Engine, since: dt.date | None = None
) -> AsyncIterator[TkFeed]:
    async with httpx.AsyncClient(timeout=settings.tk_http_timeout, follow_redirects=True) as http:
        client = ODataClient(settings.tk_base_url, http)
        yield TkFeed(client, engine, publish, since or settings.tk_since)


async def poll_once(settings: TkFeedSettings, since: dt.date | None) -> PollReport:
    """One poll published through a broker of its own (what `ptl feed tk` runs)."""
    engine = make_engine(settings.resolved_database_url())
    broker = make_broker(settings, "ingest-tk-feed")
    await start_broker(broker, settings)
    try:
        async with open_feed(settings, BrokerPublisher(broker, settings.publish_timeout), engine, since) as feed:
            return await feed.poll()
    finally:
        await broker.stop()
        engine.dispose()


@asynccontextmanager
async def periodic_poller(settings: TkFeedSettings, publish: Publish, engine: Engine) -> AsyncIterator[None]:
    """Polls in the background while the block runs, if TK_FEED_ENABLED is set; otherwise does nothing."""
    if not settings.tk_poll_enabled or settings.tk_since is None:
        if settings.tk_poll_enabled:  # a first poll without a start would read the parliament's whole history
            log.error("opendata.poller_not_started", reason="TK_FEED_ENABLED needs TK_FEED_SINCE=YYYY-MM-DD")
        yield
        return
    stop = asyncio.Event()
    async with open_feed(settings, publish, engine) as feed:
        task = asyncio.create_task(run_periodically(feed, settings.tk_poll_interval_seconds, stop))
        try:
            yield
        finally:
            # Cancelling mid-poll is safe: cursors move only after a complete run, facts after each publish.
            stop.set()
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task
