"""Sending alerts: the message texts (pure) and the worker that delivers pending rows.

The worker claims a pending delivery in the database, sends it, and records the attempt and the outcome,
so a restart never sends a delivered alert again. Webhooks carry a webhook-id that is stable per
(subscription, event): a retry after a lost response can be deduplicated by the receiver.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import time
from datetime import UTC, datetime, timedelta
from email.message import EmailMessage
from typing import Any

import aiosmtplib
import httpx
import structlog
from sqlalchemy import and_, or_, select
from sqlalchemy.engine import Engine, Row

from schemas.events import Due, Envelope
from services.notify import signing, store
from services.notify.settings import NotifySettings

log = structlog.get_logger("notify.delivery")

# --- message texts --------------------------------------------------------------------------------------------


def _short(text: str | None, limit: int = 140) -> str:
    one_line = " ".join((text or "").split())
    return one_line if len(one_line) <= limit else one_line[: limit - 1].rstrip() + "…"


def due_text(due: dict[str, Any] | Due | None) -> str:
    if due is None:
        return "no deadline"
    d = due if isinstance(due, Due) else Due.model_validate(due)
    span = d.end.isoformat() if d.start == d.end else f"{d.start.isoformat()} to {d.end.isoformat()}"
    return f"{span} ({d.precision})"


def summarize(event: Envelope, context: dict[str, Any]) -> str:
    """One human sentence per alert."""
    data, text = event.data, _short(context.get("text") or event.data.get("text"))
    match event.type:
        case "commitment.deadline_passed":
            return f"Deadline {data['deadline']} passed without fulfilment: {text}"
        case "commitment.made":
            return f"New commitment (due {due_text(data.get('due'))}): {text}"
        case "commitment.deadline_revised":
            return f"Deadline moved to {due_text(data.get('due'))} (was {due_text(data.get('previous_due'))}): {text}"
        case "commitment.fulfilled":
            return f"Commitment fulfilled: {text}"
        case "document.ingested":
            return f"New document {data['document_id']}: {_short(data.get('title') or data.get('source_name'))}"
        case "motion.referenced":
            return f"Motion {data['motion_id']} referenced in {data['document_id']}"
        case "forum.meeting_reported":
            span = data["start"] if data["start"] == data["end"] else f"{data['start']} to {data['end']}"
            return f"{data['forum']} {'met' if data['held'] else 'will meet'} {span}"
        case "ingest.watermark":
            return f"Every document from {data['source']} dated up to {data['up_to']} is in"
    return f"{event.type} {event.subject}"


def link(event: Envelope, timeline_url: str) -> str:
    base = timeline_url.rstrip("/")
    kind = event.type.split(".", 1)[0]
    plural = {"commitment": "commitments", "motion": "motions", "forum": "forums", "document": "documents"}
    return f"{base}/api/{plural[kind]}/{event.subject}" if kind in plural else f"{base}/docs"


def email_text(event: Envelope, context: dict[str, Any], summary: str, timeline_url: str) -> str:
    lines = [summary, ""]
    if event.type.startswith("commitment."):
        data = event.data
        due = data.get("due") if "due" in data else context.get("due")
        lines += [
            f"Commitment: {context.get('text') or data.get('text') or event.subject}",
            f"Actor: {context.get('actor') or 'unknown'}",
            f"Due: {due_text(due)}",
        ]
        if event.type == "commitment.deadline_passed":
            lines.append(
                f"Deadline: {data['deadline']} (passed {event.occurred_at.isoformat() if event.occurred_at else '?'})"
            )
        elif due:
            lines.append(f"Deadline: {Due.model_validate(due).end.isoformat()}")
        lines.append(f"Source document: {data.get('document_id') or context.get('document_id') or 'unknown'}")
        setter = context.get("deadline_document_id")
        if setter and setter != context.get("document_id"):
            lines.append(f"Deadline set in: {setter}")
    when = event.occurred_at.isoformat() if event.occurred_at else "undated"
    lines += [f"Event: {event.type} ({when}), id {event.id}", "", f"Timeline: {link(event, timeline_url)}", ""]
    return "\n".join(lines)


def webhook_body(delivery: Row[Any]) -> bytes:
    payload = {
        "type": delivery.event_type,
        "subscription_id": delivery.subscription_id,
        "summary": delivery.summary,
        "event": json.loads(delivery.envelope),
    }
    return json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode()


# --- retry policy (pure) -----------------------------------------------------------------------------------


def backoff(attempts: int, base: float, cap: float) -> float:
    """Pause after the `attempts`-th failed attempt: base, 2*base, 4*base, ... at most cap."""
    return min(cap, base * 2 ** max(attempts - 1, 0))


def outcome(ok: bool, permanent: bool, attempts: int, max_attempts: int) -> str:
    if ok:
        return "delivered"
    return "failed" if permanent or attempts >= max_attempts else "retry"


# --- the worker ---------------------------------------------------------------------------------------------


class SendResult:
    __slots__ = ("error", "http_status", "ok", "permanent")

    def __init__(self, ok: bool, http_status: int | None = None, error: str | None = None, permanent: bool = False):
        self.ok, self.http_status, self.error, self.permanent = ok, http_status, error, permanent


class DeliveryWorker:
    def __init__(self, engine: Engine, settings: NotifySettings) -> None:
        self.engine = engine
        self.settings = settings
        self._wake = asyncio.Event()
        self._client: httpx.AsyncClient | None = None
        # A row left 'sending' by a crashed worker is taken again after this long.
        self.lease = timedelta(seconds=max(settings.webhook_timeout, settings.smtp_timeout) + 30)

    def wake(self) -> None:
        self._wake.set()

    async def run(self) -> None:
        async with httpx.AsyncClient(timeout=self.settings.webhook_timeout, follow_redirects=False) as client:
            self._client = client
            while True:
                try:
                    sent = await self.run_once()
                except Exception:
                    log.exception("delivery.loop_failed")
                    sent = 0
                if sent:
                    continue
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self._wake.wait(), timeout=self.settings.delivery_poll_seconds)
                self._wake.clear()

    async def run_once(self, limit: int = 50) -> int:
        """Claim and send the deliveries that are due. Returns how many were attempted."""
        claimed = self._claim(limit)
        if not claimed:
            return 0
        gate = asyncio.Semaphore(self.settings.delivery_concurrency)

        async def bounded(delivery_id: str) -> None:
            async with gate:
                await self._deliver(delivery_id)

        await asyncio.gather(*(bounded(d) for d in claimed))
        return len(claimed)

    def _claim(self, limit: int) -> list[str]:
        d = store.deliveries
        at = datetime.now(UTC)
        claimable = or_(
            and_(d.c.status == "pending", d.c.next_attempt_at <= at),
            and_(d.c.status == "sending", d.c.claimed_at < at - self.lease),
        )
        claimed: list[str] = []
        with self.engine.begin() as conn:
            ids = [
                r.id for r in conn.execute(select(d.c.id).where(claimable).order_by(d.c.next_attempt_at).limit(limit))
            ]
            for delivery_id in ids:
                # Conditional update: with several workers, exactly one wins each row.
                won = conn.execute(
                    d.update().where(d.c.id == delivery_id, claimable).values(status="sending", claimed_at=at)
                ).rowcount
                if won:
                    claimed.append(delivery_id)
        return claimed

    async def _deliver(self, delivery_id: str) -> None:
        with self.engine.connect() as conn:
            delivery = conn.execute(store.deliveries.select().where(store.deliveries.c.id == delivery_id)).one()
            sub = conn.execute(
                store.subscriptions.select().where(store.subscriptions.c.id == delivery.subscription_id)
            ).one()
        bound = log.bind(
            delivery_id=delivery.id,
            subscription_id=sub.id,
            channel=sub.channel,
            event_id=delivery.event_id,
            attempt=delivery.attempts + 1,
        )
        if not sub.active:
            self._cancel(delivery)
            bound.info("delivery.cancelled")
            return
        started = datetime.now(UTC)
        try:
            result = await (
                self._send_webhook(delivery, sub) if sub.channel == "webhook" else self._send_email(delivery, sub)
            )
        except Exception as exc:  # a bug must not leave the row claimed forever
            bound.exception("delivery.send_crashed")
            result = SendResult(False, error=repr(exc))
        attempts = delivery.attempts + 1
        state = outcome(result.ok, result.permanent, attempts, self.settings.delivery_max_attempts)
        self._record(delivery, started, attempts, state, result)
        bound.info("delivery.attempt", outcome=state, http_status=result.http_status, error=result.error)

    async def _send_webhook(self, delivery: Row[Any], sub: Row[Any]) -> SendResult:
        body = webhook_body(delivery)
        headers = {
            "content-type": "application/json",
            "user-agent": "policy-timeline-notify/1",
            **signing.headers(sub.secret, delivery.id, body, int(time.time())),
        }
        assert self._client is not None
        try:
            response = await self._client.post(sub.target, content=body, headers=headers)
        except httpx.HTTPError as exc:
            return SendResult(False, error=f"{type(exc).__name__}: {exc}"[:1000])
        if 200 <= response.status_code < 300:
            return SendResult(True, response.status_code)
        return SendResult(False, response.status_code, f"HTTP {response.status_code}")

    async def _send_email(self, delivery: Row[Any], sub: Row[Any]) -> SendResult:
        event = Envelope.model_validate_json(delivery.envelope)
        message = EmailMessage()
        message["From"] = self.settings.smtp_from
        message["To"] = sub.target
        message["Subject"] = "[policy-timeline] " + _short(delivery.summary, 200)
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

    def _record(self, delivery: Row[Any], started: datetime, attempts: int, state: str, result: SendResult) -> None:
        finished = datetime.now(UTC)
        values: dict[str, Any] = {"attempts": attempts, "last_error": result.error, "claimed_at": None}
        if state == "delivered":
            values.update(status="delivered", delivered_at=finished)
        elif state == "retry":
            pause = backoff(attempts, self.settings.delivery_backoff_base, self.settings.delivery_backoff_cap)
            values.update(status="pending", next_attempt_at=finished + timedelta(seconds=pause))
        else:
            values.update(status="failed")
        with self.engine.begin() as conn:
            conn.execute(
                store.delivery_attempts.insert().values(
                    delivery_id=delivery.id,
                    number=attempts,
                    started_at=started,
                    finished_at=finished,
                    outcome=state,
                    http_status=result.http_status,
                    error=result.error,
                )
            )
            conn.execute(
                store.deliveries.update()
                .where(store.deliveries.c.id == delivery.id, store.deliveries.c.status == "sending")
                .values(**values)
            )

    def _cancel(self, delivery: Row[Any]) -> None:
        """The subscription was deleted after the delivery was queued: drop it without sending."""
        with self.engine.begin() as conn:
            conn.execute(
                store.deliveries.update()
                .where(store.deliveries.c.id == delivery.id, store.deliveries.c.status == "sending")
                .values(status="cancelled", claimed_at=None)
            )
