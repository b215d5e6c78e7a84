"""`ptl replay timeline`: rebuild the projection from the first event into an empty database."""

from __future__ import annotations

from schemas.stream import TIMELINE_CONSUMER
from services.common.db import make_engine
from services.common.nats import connect
from services.common.replay import Progress, ensure_not_consuming, replay_stream
from services.timeline import store
from services.timeline.app import make_projection
from services.timeline.settings import TimelineSettings


async def replay_timeline(settings: TimelineSettings, database_url: str | None, progress: Progress | None) -> int:
    url = database_url or settings.resolved_database_url()
    nc = await connect(settings.nats_connect_url, "ptl-replay-timeline")
    if database_url is None:
        await ensure_not_consuming(nc.jetstream(), TIMELINE_CONSUMER)
    engine = make_engine(url)
    store.metadata.drop_all(engine)  # disposable: the log is the truth
    engine.dispose()
    projection = make_projection(url)
    try:
        return await replay_stream(nc.jetstream(), projection, progress)
    finally:
        await nc.close()
        projection.engine.dispose()
