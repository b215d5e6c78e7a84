"""`ptl replay notify`: rebuild the projection from the first event, then evaluate deadlines once.

Only the projection tables are dropped. Subscriptions, deliveries, their attempts and the published deadlines
are notify's own records: kept, so a replay queues no second copy of an alert (deliveries are unique per
subscription and event) and publishes no deadline twice.
"""

from __future__ import annotations

from schemas.stream import NOTIFY_CONSUMER
from services.common.db import make_engine
from services.common.replay import Progress, ReplayReport, check_source, connect_once, replay_stream
from services.notify.adapters import orm
from services.notify.adapters.publisher import JetStreamPublisher
from services.notify.adapters.repository import SqlTransactions, in_thread
from services.notify.bootstrap import make_projection
from services.notify.settings import NotifySettings
from services.notify.watcher import DeadlineWatcher


async def replay_notify(settings: NotifySettings, database_url: str | None, progress: Progress | None) -> ReplayReport:
    """Stop the notify service first: it shares these tables."""
    nc = await connect_once(settings.nats_connect_url, "ptl-replay-notify")
    engine = make_engine(database_url or settings.resolved_database_url())
    try:
        await check_source(nc.jetstream(), NOTIFY_CONSUMER if database_url is None else None)
        orm.drop_projection(engine)
        orm.create_all(engine)
        js = nc.jetstream()
        report = await replay_stream(js, make_projection(engine), progress)
        transactions = SqlTransactions(engine)
        watcher = DeadlineWatcher(transactions, JetStreamPublisher(js, settings.publish_timeout))
        cause = await in_thread(transactions, lambda repo: repo.latest_watermark_event())
        await watcher.evaluate(None, causation_id=cause)
        return report
    finally:
        await nc.close()
        engine.dispose()
