"""A real SMTP server (aiosmtpd) on a free loopback port that collects every message it receives."""

from __future__ import annotations

import asyncio
import threading
import time
from dataclasses import dataclass
from email import message_from_bytes, policy
from email.message import EmailMessage
from typing import Any

from aiosmtpd.controller import Controller

from services.common.natsserver import free_port


@dataclass(frozen=True)
class ReceivedMail:
    mail_from: str
    rcpt_tos: list[str]
    message: EmailMessage

    @property
    def subject(self) -> str:
        return str(self.message["Subject"])

    @property
    def text(self) -> str:
        body = self.message.get_body(preferencelist=("plain",))
        return body.get_content() if body is not None else ""


class _Collector:
    def __init__(self, reply_delay: float = 0.0) -> None:
        self.messages: list[ReceivedMail] = []
        self.lock = threading.Lock()
        self.reply_delay = reply_delay  # keep the sender waiting after the mail is kept: a send in flight

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        parsed = message_from_bytes(envelope.original_content or envelope.content, policy=policy.default)
        with self.lock:
            self.messages.append(ReceivedMail(envelope.mail_from, list(envelope.rcpt_tos), parsed))  # type: ignore[arg-type]
        await asyncio.sleep(self.reply_delay)
        return "250 Message accepted for delivery"


class SmtpSink:
    def __init__(self, reply_delay: float = 0.0) -> None:
        self.port = free_port()
        self._collector = _Collector(reply_delay)
        self._controller = Controller(self._collector, hostname="127.0.0.1", port=self.port)

    @property
    def host(self) -> str:
        return "127.0.0.1"

    @property
    def messages(self) -> list[ReceivedMail]:
        with self._collector.lock:
            return list(self._collector.messages)

    def start(self) -> SmtpSink:
        """Listen (again, after `stop`: a server that went down and came back, same port, same mailbox)."""
        self._controller = Controller(self._collector, hostname="127.0.0.1", port=self.port)
        self._controller.start()
        return self

    def stop(self) -> None:
        self._controller.stop()

    def __enter__(self) -> SmtpSink:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def wait_for(self, count: int, timeout: float = 10.0) -> list[ReceivedMail]:
        deadline = time.monotonic() + timeout
        while len(got := self.messages) < count:
            if time.monotonic() > deadline:
                raise TimeoutError(f"{len(got)} of {count} mails after {timeout}s")
            time.sleep(0.02)
        return got

    async def wait_for_async(self, count: int, timeout: float = 10.0) -> list[ReceivedMail]:
        deadline = time.monotonic() + timeout
        while len(got := self.messages) < count:
            if time.monotonic() > deadline:
                raise TimeoutError(f"{len(got)} of {count} mails after {timeout}s")
            await asyncio.sleep(0.02)
        return got
