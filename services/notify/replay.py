"""`ptl replay notify`: rebuild the projection from the first event, then evaluate deadlines once.

Only the projection tables are dropped. Subscriptions, deliveries, their attempts and the published deadlines
are notify's own records: kept, so a replay queues no second copy of an alert (deliveries are unique per
subscription and event) and publishes no deadline twice.
"""

from __future__ import annotations

from schemas.events import Envelope
from schemas.stream import NOTIFY_CONSUMER, POLICY_STREAM
from services.common.db import make_engine
from services.common.nats import connect, publish_event
from services.common.replay import Progress, ensure_not_consuming, replay_stream
from services.notify import store
from services.notify.app import make_projection
from services.notify.handlers import DeadlineWatcher
from services.notify.settings import NotifySettings


async def replay_notify(settings: NotifySettings, database_url: str | None, progress: Progress | None) -> int:
    """Returns the number of events read. Stop the notify service first: it shares these tables."""
    engine = make_engine(database_url or settings.resolved_database_url())
    nc = await connect(settings.nats_url, "ptl-replay-notify")
    try:
        if database_url is None:
            await ensure_not_consuming(nc.jetstream(), NOTIFY_CONSUMER)
        store.drop_projection(engine)
        store.create_all(engine)
        js = nc.jetstream()
        read = await replay_stream(js, make_projection(engine), progress)

        async def publish(event: Envelope) -> int:
            return (await publish_event(js, event, settings.publish_timeout)).sequence

        async def last_sequence() -> int:
            return int((await js.stream_info(POLICY_STREAM)).state.last_seq)

        watcher = DeadlineWatcher(engine, publish, last_sequence)
        with engine.connect() as conn:
            cause = store.latest_watermark_event(conn)
        await watcher.evaluate(None, causation_id=cause)
        return read
    finally:
        await nc.close()
        engine.dispose()
