"""The notify service: deadline watcher, subscriptions, and email/webhook delivery.

`uvicorn services.notify.app:app` reads NotifySettings from the environment when the lifespan starts.
The wiring is in `bootstrap`, the routes and the consumer in `entrypoints`.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import structlog
from fastapi import FastAPI

from schemas.stream import NOTIFY_CONSUMER
from services.common.auth import KeyStore
from services.common.http import MAX_JSON_BODY_BYTES, install_http_basics
from services.common.service import start_broker
from services.notify.bootstrap import build
from services.notify.entrypoints import deadlines, deliveries, health, resend, subscriptions
from services.notify.entrypoints.consumer import sweep_deadlines
from services.notify.settings import NotifySettings

log = structlog.get_logger("notify")


def create_app(settings: NotifySettings | None = None) -> FastAPI:
    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        # Background tasks copy the starting context: keep request-bound log fields out of them.
        structlog.contextvars.clear_contextvars()
        notify = build(settings or NotifySettings())
        app.state.notify = notify
        await start_broker(notify.broker, notify.settings, [(notify.projection, NOTIFY_CONSUMER)])
        worker = asyncio.create_task(notify.worker.run())
        sweeper = asyncio.create_task(sweep_deadlines(notify))
        expirer = asyncio.create_task(subscriptions.expire_unconfirmed(notify))
        log.info("notify.started", nats_url=notify.settings.nats_url)
        try:
            yield
        finally:
            notify.worker.stop()
            sweeper.cancel()
            expirer.cancel()
            # Each send is bounded by its channel's timeout; the lease covers a worker that still hangs.
            drain = max(notify.settings.smtp_timeout, notify.settings.webhook_timeout) + 5
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(asyncio.shield(worker), timeout=drain)
            for task in (worker, sweeper, expirer):
                task.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await task
            await notify.broker.stop()
            await notify.http.aclose()
            notify.engine.dispose()
            log.info("notify.stopped")

    app = FastAPI(
        title="policy-timeline: notify",
        description="Alerts by email or webhook when a commitment's deadline passes unfulfilled.",
        lifespan=lifespan,
        max_body_size=MAX_JSON_BODY_BYTES,
    )
    install_http_basics(app)
    app.state.api_keys = KeyStore((settings or NotifySettings()).keys_file)
    for module in (subscriptions, deliveries, resend, deadlines, health):
        app.include_router(module.router)
    return app


app = create_app()
