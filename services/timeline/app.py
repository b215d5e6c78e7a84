"""The timeline service: a durable consumer projecting POLICY into SQL, and the API over it.

`uvicorn services.timeline.app:app` reads TimelineSettings from the environment when the lifespan starts.
The wiring is in `bootstrap`, the routes and the consumer in `entrypoints`.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI

from schemas.stream import TIMELINE_CONSUMER
from services.common.http import MAX_JSON_BODY_BYTES, install_http_basics
from services.common.service import start_broker
from services.timeline.bootstrap import build
from services.timeline.entrypoints import commitments, documents, forums, health, motions
from services.timeline.settings import TimelineSettings


def create_app(settings: TimelineSettings | None = None) -> FastAPI:
    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        timeline = build(settings or TimelineSettings())
        app.state.engine = timeline.projection.engine  # the routes' sessions
        app.state.projection = timeline.projection
        app.state.broker = timeline.broker
        await start_broker(timeline.broker, timeline.settings, [(timeline.projection, TIMELINE_CONSUMER)])
        try:
            yield
        finally:
            await timeline.broker.stop()
            timeline.projection.engine.dispose()

    app = FastAPI(
        title="policy-timeline: timeline",
        description="What was promised to parliament, when it was due, and whether it was delivered.",
        lifespan=lifespan,
        max_body_size=MAX_JSON_BODY_BYTES,
    )
    install_http_basics(app)
    for module in (motions, forums, commitments, documents, health):  # the order of the OpenAPI document
        app.include_router(module.router)
    return app


app = create_app()
