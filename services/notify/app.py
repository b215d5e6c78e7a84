"""The notify service: deadline watcher, subscriptions, and email/webhook delivery.

`uvicorn services.notify.app:app` reads NotifySettings from the environment when the lifespan starts.
"""

from __future__ import annotations

import asyncio
import contextlib
import re
import secrets
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Annotated, Any, Literal

import httpx
import structlog
from fastapi import FastAPI, HTTPException, Query, Request, Response
from faststream.nats import NatsBroker
from pydantic import BaseModel, ConfigDict, ValidationInfo, field_validator
from sqlalchemy import func, select
from sqlalchemy.engine import Engine, Row

from schemas.codec import day_start
from schemas.events import EVENT_TYPES, Envelope
from schemas.ids import subscription_id
from schemas.stream import NOTIFY_CONSUMER, POLICY_STREAM
from services.common.db import make_engine
from services.common.http import install_http_basics
from services.common.nats import BrokerPublisher
from services.common.projection import Projection, subscribe_projection
from services.common.service import make_broker, start_broker
from services.notify import store
from services.notify.delivery import DeliveryWorker
from services.notify.domain.matching import aware
from services.notify.handlers import DeadlineWatcher, LastSequence, Publish, apply_event, backfill
from services.notify.settings import NotifySettings
from services.notify.signing import new_secret

log = structlog.get_logger("notify")

EMAIL = re.compile(r"^[^@\s<>,;\"]+@[^@\s<>,;\"]+\.[^@\s<>,;\"]+$")
DeliveryStatus = Literal["pending", "sending", "delivered", "failed", "cancelled"]


# --- wiring -------------------------------------------------------------------------------------------------


@dataclass
class Notify:
    settings: NotifySettings
    engine: Engine
    broker: NatsBroker
    projection: Projection
    watcher: DeadlineWatcher
    worker: DeliveryWorker


def make_projection(engine: Engine) -> Projection:
    return Projection(name="notify", engine=engine, checkpoint=store.checkpoint, apply=apply_event)


def broker_publisher(broker: NatsBroker, timeout: float) -> tuple[Publish, LastSequence]:
    """Publishing through the service's own broker (JetStream, Nats-Msg-Id = event id) and the stream's end."""

    publisher = BrokerPublisher(broker, timeout)

    async def publish(event: Envelope) -> int:
        return (await publisher(event)).sequence

    async def last_sequence() -> int:
        js = broker.config.connection_state.stream
        return int((await js.stream_info(POLICY_STREAM)).state.last_seq)

    return publish, last_sequence


def build(settings: NotifySettings) -> Notify:
    engine = make_engine(settings.resolved_database_url())
    store.create_all(engine)
    broker = make_broker(settings, "notify")
    publish, last_sequence = broker_publisher(broker, settings.publish_timeout)
    watcher = DeadlineWatcher(engine, publish, last_sequence)
    worker = DeliveryWorker(engine, settings)
    projection = make_projection(engine)

    async def after_commit(event: Envelope, sequence: int) -> None:
        worker.wake()  # the event may have queued deliveries
        await watcher.after_commit(event, sequence)

    projection.after_commit = after_commit
    subscribe_projection(broker, projection, durable=NOTIFY_CONSUMER)
    return Notify(settings, engine, broker, projection, watcher, worker)


async def sweep_deadlines(notify: Notify) -> None:
    """Periodically re-evaluate every deadline: the safety net for a crash between commit and publish."""
    while True:
        try:
            published = await notify.watcher.sweep(notify.projection.applied_sequence())
            if published:
                notify.worker.wake()
        except Exception:
            log.exception("deadline.sweep_failed")
        await asyncio.sleep(notify.settings.deadline_sweep_seconds)


def create_app(settings: NotifySettings | None = None) -> FastAPI:
    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        # Background tasks copy the starting context: keep request-bound log fields out of them.
        structlog.contextvars.clear_contextvars()
        notify = build(settings or NotifySettings())
        app.state.notify = notify
        await start_broker(notify.broker, notify.settings, [(notify.projection, NOTIFY_CONSUMER)])
        tasks = [asyncio.create_task(notify.worker.run()), asyncio.create_task(sweep_deadlines(notify))]
        log.info("notify.started", nats_url=notify.settings.nats_url)
        try:
            yield
        finally:
            for task in tasks:
                task.cancel()
            for task in tasks:
                with contextlib.suppress(asyncio.CancelledError):
                    await task
            await notify.broker.stop()
            notify.engine.dispose()
            log.info("notify.stopped")

    app = FastAPI(
        title="policy-timeline: notify",
        description="Alerts by email or webhook when a commitment's deadline passes unfulfilled.",
        lifespan=lifespan,
    )
    install_http_basics(app)
    register_routes(app)
    return app


# --- API models and views ------------------------------------------------------------------------------------


class SubscriptionIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    channel: Literal["email", "webhook"]
    target: str
    motion_id: str | None = None
    forum_id: str | None = None
    commitment_id: str | None = None
    event_types: list[str] | None = None
    since: datetime | date | None = None

    @field_validator("target")
    @classmethod
    def _target(cls, value: str, info: ValidationInfo) -> str:
        value = value.strip()
        channel = info.data.get("channel")
        if channel == "email" and not EMAIL.match(value):
            raise ValueError("not an email address")
        if channel == "webhook":
            try:
                url = httpx.URL(value)
            except httpx.InvalidURL as exc:
                raise ValueError(f"not a URL: {exc}") from exc
            if url.scheme not in ("http", "https") or not url.host:
                raise ValueError("a webhook target is an http(s) URL with a host")
        return value

    @field_validator("event_types")
    @classmethod
    def _types(cls, value: list[str] | None) -> list[str] | None:
        if value is None:
            return None
        unknown = sorted(set(value) - set(EVENT_TYPES))
        if unknown:
            raise ValueError(f"unknown event types {unknown}; expected some of {sorted(EVENT_TYPES)}")
        if not value:
            raise ValueError("empty list: leave it out for the default types")
        return sorted(set(value))

    def since_moment(self) -> datetime:
        if self.since is None:
            return datetime.now(UTC)
        if isinstance(self.since, datetime):
            return aware(self.since)
        return day_start(self.since)


def subscription_view(row: Row[Any], secret: bool = False) -> dict[str, Any]:
    view = {
        "id": row.id,
        "channel": row.channel,
        "target": row.target,
        "motion_id": row.motion_id,
        "forum_id": row.forum_id,
        "commitment_id": row.commitment_id,
        "event_types": row.event_types,
        "since": row.since.isoformat(),
        "active": row.active,
        "created_at": row.created_at.isoformat(),
        "deleted_at": row.deleted_at.isoformat() if row.deleted_at else None,
    }
    if secret and row.secret:
        view["secret"] = row.secret  # shown once, at creation
    return view


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


def delivery_view(row: Row[Any], attempts: list[Row[Any]] | None = None) -> dict[str, Any]:
    view: dict[str, Any] = {
        "id": row.id,
        "subscription_id": row.subscription_id,
        "event_id": row.event_id,
        "event_type": row.event_type,
        "summary": row.summary,
        "status": row.status,
        "attempts": row.attempts,
        "next_attempt_at": _iso(row.next_attempt_at),
        "created_at": _iso(row.created_at),
        "delivered_at": _iso(row.delivered_at),
        "last_error": row.last_error,
    }
    if attempts is not None:
        view["attempt_log"] = [
            {
                "number": a.number,
                "started_at": _iso(a.started_at),
                "finished_at": _iso(a.finished_at),
                "outcome": a.outcome,
                "http_status": a.http_status,
                "error": a.error,
            }
            for a in attempts
        ]
    return view


# --- routes ---------------------------------------------------------------------------------------------------


def register_routes(app: FastAPI) -> None:
    def notify_of(request: Request) -> Notify:
        return request.app.state.notify  # type: ignore[no-any-return]

    def get_subscription(engine: Engine, sub_id: str) -> Row[Any]:
        with engine.connect() as conn:
            row = conn.execute(store.subscriptions.select().where(store.subscriptions.c.id == sub_id)).first()
        if row is None:
            raise HTTPException(404, f"subscription_id: no subscription {sub_id!r}")
        return row

    @app.post("/subscriptions", status_code=201)
    async def create_subscription(body: SubscriptionIn, request: Request) -> dict[str, Any]:
        notify = notify_of(request)
        since, created = body.since_moment(), datetime.now(UTC)
        sub_id = subscription_id(body.channel, body.target, created.isoformat(), secrets.token_hex(8))
        with notify.engine.begin() as conn:
            conn.execute(
                store.subscriptions.insert().values(
                    id=sub_id,
                    channel=body.channel,
                    target=body.target,
                    motion_id=body.motion_id,
                    forum_id=body.forum_id,
                    commitment_id=body.commitment_id,
                    event_types=body.event_types,
                    since=since,
                    secret=new_secret() if body.channel == "webhook" else None,
                    active=True,
                    created_at=created,
                )
            )
            row = conn.execute(store.subscriptions.select().where(store.subscriptions.c.id == sub_id)).one()
            queued = backfill(conn, row)
        notify.worker.wake()
        log.info("subscription.created", subscription_id=sub_id, channel=body.channel, backfilled=queued)
        return {**subscription_view(row, secret=True), "backfilled": queued}

    @app.get("/subscriptions")
    async def list_subscriptions(request: Request, include_deleted: bool = False) -> list[dict[str, Any]]:
        query = store.subscriptions.select().order_by(store.subscriptions.c.created_at)
        if not include_deleted:
            query = query.where(store.subscriptions.c.active.is_(True))
        with notify_of(request).engine.connect() as conn:
            return [subscription_view(r) for r in conn.execute(query)]

    @app.get("/subscriptions/{sub_id}")
    async def read_subscription(sub_id: str, request: Request) -> dict[str, Any]:
        return subscription_view(get_subscription(notify_of(request).engine, sub_id))

    @app.delete("/subscriptions/{sub_id}", status_code=204)
    async def delete_subscription(sub_id: str, request: Request) -> Response:
        engine = notify_of(request).engine
        get_subscription(engine, sub_id)
        at = datetime.now(UTC)
        with engine.begin() as conn:
            subs, deliveries = store.subscriptions, store.deliveries
            conn.execute(
                subs.update().where(subs.c.id == sub_id, subs.c.active.is_(True)).values(active=False, deleted_at=at)
            )
            conn.execute(
                deliveries.update()
                .where(deliveries.c.subscription_id == sub_id, deliveries.c.status == "pending")
                .values(status="cancelled")
            )
        log.info("subscription.deleted", subscription_id=sub_id)
        return Response(status_code=204)

    @app.get("/subscriptions/{sub_id}/deliveries")
    async def subscription_deliveries(sub_id: str, request: Request) -> list[dict[str, Any]]:
        engine = notify_of(request).engine
        get_subscription(engine, sub_id)
        d, a = store.deliveries, store.delivery_attempts
        with engine.connect() as conn:
            rows = list(conn.execute(d.select().where(d.c.subscription_id == sub_id).order_by(d.c.created_at)))
            attempts: dict[str, list[Row[Any]]] = {}
            ids = [r.id for r in rows]
            for att in conn.execute(a.select().where(a.c.delivery_id.in_(ids)).order_by(a.c.id)):
                attempts.setdefault(att.delivery_id, []).append(att)
        return [delivery_view(r, attempts.get(r.id, [])) for r in rows]

    @app.get("/deliveries")
    async def list_deliveries(
        request: Request,
        status: DeliveryStatus | None = None,
        limit: Annotated[int, Query(ge=1, le=1000)] = 100,
    ) -> list[dict[str, Any]]:
        d = store.deliveries
        query = d.select().order_by(d.c.created_at.desc()).limit(limit)
        if status:
            query = query.where(d.c.status == status)
        with notify_of(request).engine.connect() as conn:
            return [delivery_view(r) for r in conn.execute(query)]

    @app.get("/deadlines/passed")
    async def passed(request: Request) -> list[dict[str, Any]]:
        p, c = store.published_deadlines, store.commitments
        query = (
            select(p, c.c.text)
            .select_from(p.outerjoin(c, c.c.commitment_id == p.c.commitment_id))
            .order_by(p.c.passed_at, p.c.commitment_id)
        )
        with notify_of(request).engine.connect() as conn:
            return [
                {
                    "commitment_id": r.commitment_id,
                    "deadline": r.deadline.isoformat(),
                    "passed_at": _iso(r.passed_at),
                    "event_id": r.event_id,
                    "published_at": _iso(r.published_at),
                    "text": r.text,
                }
                for r in conn.execute(query)
            ]

    @app.get("/health")
    async def health(request: Request) -> dict[str, Any]:
        notify = notify_of(request)
        applied = notify.projection.applied_sequence()
        d = store.deliveries
        with notify.engine.connect() as conn:
            counts = dict(conn.execute(select(d.c.status, func.count()).group_by(d.c.status)).all())
        try:
            js = notify.broker.config.connection_state.stream
            last: int | None = int((await asyncio.wait_for(js.stream_info(POLICY_STREAM), timeout=2)).state.last_seq)
        except Exception:
            last = None
        return {
            "status": "ok" if last is not None else "degraded",
            "applied_sequence": applied,
            "stream_last_sequence": last,
            "lag": None if last is None else last - applied,
            "deliveries": counts,
        }


app = create_app()
