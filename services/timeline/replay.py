"""`ptl replay timeline`: rebuild the projection from the first event into an empty database."""

from __future__ import annotations

from schemas.stream import TIMELINE_CONSUMER
from services.common.db import make_engine
from services.common.replay import Progress, ReplayReport, check_source, connect_once, replay_stream
from services.timeline.adapters import orm
from services.timeline.bootstrap import make_projection
from services.timeline.settings import TimelineSettings


async def replay_timeline(
    settings: TimelineSettings, database_url: str | None, progress: Progress | None
) -> ReplayReport:
    url = database_url or settings.resolved_database_url()
    nc = await connect_once(settings.nats_connect_url, "ptl-replay-timeline")
    try:
        await check_source(nc.jetstream(), TIMELINE_CONSUMER if database_url is None else None)
        engine = make_engine(url)
        orm.metadata.drop_all(engine)  # disposable: the log is the truth
        engine.dispose()
        projection = make_projection(url)
        try:
            return await replay_stream(nc.jetstream(), projection, progress)
        finally:
            projection.engine.dispose()
    finally:
        await nc.close()
