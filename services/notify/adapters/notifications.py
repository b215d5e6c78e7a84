"""The Notifications port and its adapters, one per channel, chosen through the CHANNELS registry.

A new channel (a digest, a Matrix or Slack hook) is one adapter class here and one entry in CHANNELS (and its
name in `domain.model.Channel`): the API validates targets, creates secrets and the worker sends through it.
"""

from __future__ import annotations

import asyncio
import re
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import formatdate
from typing import Protocol

import aiosmtplib
import httpx

from schemas.events import Envelope
from services.notify import signing
from services.notify.adapters import egress
from services.notify.adapters.links import CONFIRM, UNSUBSCRIBE, Links
from services.notify.domain.messages import (
    confirmation_text,
    email_subject,
    email_text,
    unsubscribe_footer,
    webhook_body,
)
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
        self.links = Links.of(settings)

    @staticmethod
    def check_target(value: str) -> str:
        if not EMAIL.match(value):
            raise ValueError("not an email address")
        return value

    def message(self, subscription: Subscription, subject: str, text: str, message_id: str) -> EmailMessage:
        """A mail with Date, Message-ID and RFC 8058 one-click unsubscribe (headers and a link in the body)."""
        unsubscribe = self.links.url(UNSUBSCRIBE, subscription.id)
        message = EmailMessage()
        message["From"] = self.settings.smtp_from
        message["To"] = subscription.target
        message["Subject"] = subject
        message["Date"] = formatdate(localtime=False, usegmt=True)
        message["Message-ID"] = message_id
        message["List-Unsubscribe"] = f"<{unsubscribe}>"
        message["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
        message.set_content(text + unsubscribe_footer(unsubscribe))
        return message

    async def send_confirmation(self, subscription: Subscription) -> SendResult:
        """The double opt-in mail: nothing else is sent to the address before its link is followed."""
        text = confirmation_text(subscription, self.links.url(CONFIRM, subscription.id), self.settings.confirm_hours)
        subject = "[policy-timeline] Confirm your subscription"
        message_id = f"<confirm-{subscription.id}@policy-timeline>"
        return await self._send(self.message(subscription, subject, text, message_id))

    async def send(self, delivery: Delivery, subscription: Subscription) -> SendResult:
        event = Envelope.model_validate_json(delivery.envelope)
        text = email_text(event, delivery.context, delivery.summary, self.settings.timeline_url)
        # The Message-ID is stable: mail clients thread and dedupe retries.
        message = self.message(subscription, email_subject(delivery.summary), text, f"<{delivery.id}@policy-timeline>")
        return await self._send(message)

    async def _send(self, message: EmailMessage) -> SendResult:
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
    """JSON POSTs signed per Standard Webhooks; the webhook-id is the delivery id, stable across retries.

    `http` is `egress.public_client`: it connects to public addresses only. The receiver's answer is reduced
    to its status code (its body is never read), and an error to its kind, so the delivery log a subscriber
    reads says nothing about what answered where.
    """

    def __init__(self, settings: NotifySettings, http: httpx.AsyncClient) -> None:
        self.http = http
        self.timeout = settings.webhook_timeout

    @staticmethod
    def check_target(value: str) -> str:
        egress.check_shape(value)  # the port and address rules need the settings: vet
        return value

    @staticmethod
    async def vet(value: str, settings: NotifySettings) -> None:
        await egress.check_target(value, settings.allowed_webhook_hosts)

    async def send(self, delivery: Delivery, subscription: Subscription) -> SendResult:
        assert subscription.secret is not None
        body = webhook_body(delivery)
        headers = {
            "content-type": "application/json",
            "user-agent": "policy-timeline-notify/1",
            **signing.headers(subscription.secret, delivery.id, body, int(time.time())),
        }
        try:
            async with (
                asyncio.timeout(self.timeout),
                self.http.stream("POST", subscription.target, content=body, headers=headers) as response,
            ):
                pass  # the status line is all notify needs; the body stays unread
        except TimeoutError:
            return SendResult(False, error="timed out")
        except httpx.ConnectError as exc:
            refused = str(exc).startswith(egress.REFUSED)
            return SendResult(False, error="address refused" if refused else "connection failed")
        except httpx.TimeoutException:
            return SendResult(False, error="timed out")
        except httpx.HTTPError:
            return SendResult(False, error="request failed")
        if 200 <= response.status_code < 300:
            return SendResult(True, response.status_code)
        return SendResult(False, response.status_code, f"HTTP {response.status_code}")


async def no_vetting(target: str, settings: NotifySettings) -> None:
    """A target the syntax check fully decides."""


@dataclass(frozen=True)
class ChannelSpec:
    check_target: Callable[[str], str]  # the target, cleaned; ValueError naming what is wrong
    make: Callable[[NotifySettings, httpx.AsyncClient], Notifications]
    signed: bool = False  # a signing secret is made with the subscription and shown once
    confirmed_by_owner: bool = False  # double opt-in: the target's owner must follow a mailed link first
    vet: Callable[[str, NotifySettings], Awaitable[None]] = no_vetting  # ValueError: not a target notify calls


CHANNELS: dict[Channel, ChannelSpec] = {
    Channel.EMAIL: ChannelSpec(EmailNotifications.check_target, EmailNotifications, confirmed_by_owner=True),
    Channel.WEBHOOK: ChannelSpec(
        WebhookNotifications.check_target, WebhookNotifications, signed=True, vet=WebhookNotifications.vet
    ),
}


def channel_adapters(settings: NotifySettings, http: httpx.AsyncClient) -> dict[str, Notifications]:
    return {channel.value: spec.make(settings, http) for channel, spec in CHANNELS.items()}
