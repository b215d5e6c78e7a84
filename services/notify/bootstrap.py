"""Wiring: settings -> engine, repository, publisher, channel adapters, watcher, worker and the projection."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

import httpx
from faststream.nats import NatsBroker
from sqlalchemy.engine import Engine

from services.common.db import make_engine
from services.common.projection import Projection
from services.common.service import make_broker
from services.notify.adapters import orm
from services.notify.adapters.egress import public_client
from services.notify.adapters.links import Links
from services.notify.adapters.notifications import EmailNotifications, channel_adapters
from services.notify.adapters.publisher import BrokerEventPublisher
from services.notify.adapters.repository import SqlTransactions
from services.notify.domain.retry import STANDARD_WEBHOOKS, RetrySchedule
from services.notify.entrypoints.consumer import subscribe_consumer
from services.notify.handlers import NotifyProjection, apply_event
from services.notify.settings import NotifySettings
from services.notify.watcher import DeadlineWatcher
from services.notify.worker import DeliveryWorker, WorkerConfig


@dataclass
class Notify:
    settings: NotifySettings
    engine: Engine
    transactions: SqlTransactions
    broker: NatsBroker
    http: httpx.AsyncClient  # the webhook adapter's client: public addresses only
    projection: Projection
    watcher: DeadlineWatcher
    worker: DeliveryWorker
    mailer: EmailNotifications  # confirmation mails
    links: Links


def make_projection(engine: Engine) -> Projection:
    return NotifyProjection(name="notify", engine=engine, checkpoint=orm.checkpoint, apply=apply_event)


def retry_schedule(settings: NotifySettings) -> RetrySchedule:
    if settings.delivery_schedule == "standard-webhooks":
        return RetrySchedule.fixed(STANDARD_WEBHOOKS)
    return RetrySchedule(settings.delivery_max_attempts, settings.delivery_backoff_base, settings.delivery_backoff_cap)


def worker_config(settings: NotifySettings) -> WorkerConfig:
    return WorkerConfig(
        retry=retry_schedule(settings),
        lease=timedelta(seconds=max(settings.webhook_timeout, settings.smtp_timeout) + 30),
        concurrency=settings.delivery_concurrency,
        poll_seconds=settings.delivery_poll_seconds,
    )


def build(settings: NotifySettings) -> Notify:
    engine = make_engine(settings.resolved_database_url())
    orm.create_all(engine)
    transactions = SqlTransactions(engine)
    broker = make_broker(settings, "notify")
    http = public_client(settings.allowed_webhook_hosts, settings.webhook_timeout)
    watcher = DeadlineWatcher(transactions, BrokerEventPublisher(broker, settings.publish_timeout))
    channels = channel_adapters(settings, http)
    worker = DeliveryWorker(transactions, channels, worker_config(settings))
    mailer = channels["email"]
    assert isinstance(mailer, EmailNotifications)
    projection, links = make_projection(engine), Links.of(settings)
    notify = Notify(settings, engine, transactions, broker, http, projection, watcher, worker, mailer, links)
    subscribe_consumer(notify)
    return notify
