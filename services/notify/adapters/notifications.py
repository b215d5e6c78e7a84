"""The Notifications port and its adapters, one per channel, chosen through the CHANNELS registry.

A new channel (a digest, a Matrix or Slack hook) is one adapter class here and one entry in CHANNELS (and its
name in `domain.model.Channel`): the API validates targets, creates secrets and the worker sends through it.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from dataclasses import dataclass
from email.message import EmailMessage
from typing import Protocol

import aiosmtplib
import httpx

from schemas.events import Envelope
from services.notify import signing
from services.notify.domain.messages import email_subject, email_text, webhook_body
from services.notify.domain.model import Channel, Delivery, Subscription
from services.notify.settings import NotifySettings

EMAIL = re.compile(r"^[^@\s<>,;\"]+@[^@\s<>,;\"]+\.[^@\s<>,;\"]+$")


@dataclass(frozen=True)
class SendResult:
    ok: bool
    http_status: int | None = None
    error: str | None = None
    permanent: bool = False  # retrying cannot help


class Notifications(Protocol):
    async def send(self, delivery: Delivery, subscription: Subscription) -> SendResult: ...


class EmailNotifications:
    def __init__(self, settings: NotifySettings, http: httpx.AsyncClient) -> None:
        self.settings = settings

    @staticmethod
    def check_target(value: str) -> str:
        if not EMAIL.match(value):
            raise ValueError("not an email address")
        return value

    async def send(self, delivery: Delivery, subscription: Subscription) -> SendResult:
        event = Envelope.model_validate_json(delivery.envelope)
        message = EmailMessage()
        message["From"] = self.settings.smtp_from
        message["To"] = subscription.target
        message["Subject"] = email_subject(delivery.summary)
        message["Message-ID"] = f"<{delivery.id}@policy-timeline>"  # stable: mail clients thread/dedupe retries
        message.set_content(email_text(event, delivery.context, delivery.summary, self.settings.timeline_url))
        try:
            await aiosmtplib.send(
                message,
                hostname=self.settings.smtp_host,
                port=self.settings.smtp_port,
                timeout=self.settings.smtp_timeout,
            )
        except aiosmtplib.SMTPResponseException as exc:
            # 5xx is permanent (e.g. unknown mailbox): retrying cannot help.
            return SendResult(False, error=f"SMTP {exc.code}: {exc.message}"[:1000], permanent=exc.code >= 500)
        except (aiosmtplib.SMTPException, OSError) as exc:
            return SendResult(False, error=f"{type(exc).__name__}: {exc}"[:1000])
        return SendResult(True)


class WebhookNotifications:
    """JSON POSTs signed per Standard Webhooks; the webhook-id is the delivery id, stable across retries."""

    def __init__(self, settings: NotifySettings, http: httpx.AsyncClient) -> None:
        self.http = http

    @staticmethod
    def check_target(value: str) -> str:
        try:
            url = httpx.URL(value)
        except httpx.InvalidURL as exc:
            raise ValueError(f"not a URL: {exc}") from exc
        if url.scheme not in ("http", "https") or not url.host:
            raise ValueError("a webhook target is an http(s) URL with a host")
        return value

    async def send(self, delivery: Delivery, subscription: Subscription) -> SendResult:
        assert subscription.secret is not None
        body = webhook_body(delivery)
        headers = {
            "content-type": "application/json",
            "user-agent": "policy-timeline-notify/1",
            **signing.headers(subscription.secret, delivery.id, body, int(time.time())),
        }
        try:
            response = await self.http.post(subscription.target, content=body, headers=headers)
        except httpx.HTTPError as exc:
            return SendResult(False, error=f"{type(exc).__name__}: {exc}"[:1000])
        if 200 <= response.status_code < 300:
            return SendResult(True, response.status_code)
        return SendResult(False, response.status_code, f"HTTP {response.status_code}")


@dataclass(frozen=True)
class ChannelSpec:
    check_target: Callable[[str], str]  # the target, cleaned; ValueError naming what is wrong
    make: Callable[[NotifySettings, httpx.AsyncClient], Notifications]
    signed: bool = False  # a signing secret is made with the subscription and shown once


CHANNELS: dict[Channel, ChannelSpec] = {
    Channel.EMAIL: ChannelSpec(EmailNotifications.check_target, EmailNotifications),
    Channel.WEBHOOK: ChannelSpec(WebhookNotifications.check_target, WebhookNotifications, signed=True),
}


def channel_adapters(settings: NotifySettings, http: httpx.AsyncClient) -> dict[str, Notifications]:
    return {channel.value: spec.make(settings, http) for channel, spec in CHANNELS.items()}
