"""The timeline service: a durable consumer projecting POLICY into SQL, and the API over it."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI

from schemas.stream import TIMELINE_CONSUMER
from services.common.db import create_tables, make_engine
from services.common.http import MAX_JSON_BODY_BYTES, install_http_basics
from services.common.projection import Projection, subscribe_projection
from services.common.service import make_broker, start_broker
from services.timeline import store
from services.timeline.api import router
from services.timeline.handlers import apply_event
from services.timeline.health import router as health_router
from services.timeline.settings import TimelineSettings


def make_projection(database_url: str) -> Projection:
    engine = make_engine(database_url)
    create_tables(engine, store.metadata)
    return Projection(name="timeline", engine=engine, checkpoint=store.checkpoint, apply=apply_event)


def create_app(settings: TimelineSettings | None = None) -> FastAPI:
    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        resolved = settings or TimelineSettings()
        projection = make_projection(resolved.resolved_database_url())
        broker = make_broker(resolved, "timeline")
        subscribe_projection(broker, projection, durable=TIMELINE_CONSUMER)
        app.state.engine = projection.engine
        app.state.projection = projection
        app.state.broker = broker
        await start_broker(broker, resolved, [(projection, TIMELINE_CONSUMER)])
        try:
            yield
        finally:
            await broker.stop()
            projection.engine.dispose()

    app = FastAPI(
        title="policy-timeline: timeline",
        description="What was promised to parliament, when it was due, and whether it was delivered.",
        lifespan=lifespan,
        max_body_size=MAX_JSON_BODY_BYTES,
    )
    install_http_basics(app)
    app.include_router(router)
    app.include_router(health_router)

    return app


app = create_app()
