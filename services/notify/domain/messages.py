"""The texts of an alert: one summary sentence per event type, the mail body and the webhook body (pure)."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from schemas.events import (
    CommitmentDeadlinePassed,
    CommitmentDeadlineRevised,
    CommitmentFulfilled,
    CommitmentMade,
    CommitmentMerged,
    CommitmentStatementRetracted,
    CommitmentWithdrawn,
    DocumentIngested,
    Due,
    Envelope,
    ForumMeetingReported,
    IngestWatermark,
    MotionReferenced,
)
from services.notify.domain.model import Delivery, Subscription


def short(text: str | None, limit: int = 140) -> str:
    one_line = " ".join((text or "").split())
    return one_line if len(one_line) <= limit else one_line[: limit - 1].rstrip() + "…"


def due_text(due: dict[str, Any] | Due | None) -> str:
    if due is None:
        return "no deadline"
    d = due if isinstance(due, Due) else Due.model_validate(due)
    span = d.end.isoformat() if d.start == d.end else f"{d.start.isoformat()} to {d.end.isoformat()}"
    return f"{span} ({d.precision})"


def _meeting(data: dict[str, Any], _: str) -> str:
    span = data["start"] if data["start"] == data["end"] else f"{data['start']} to {data['end']}"
    return f"{data['forum']} {'met' if data['held'] else 'will meet'} {span}"


RETRACTED_STATEMENTS = {
    CommitmentDeadlinePassed.TYPE: "deadline alert",
    CommitmentDeadlineRevised.TYPE: "deadline revision",
    CommitmentFulfilled.TYPE: "fulfilment",
}

# (event data, the commitment's text) -> one human sentence. Every type notify alerts on has one.
SUMMARIES: dict[str, Callable[[dict[str, Any], str], str]] = {
    CommitmentDeadlinePassed.TYPE: lambda d, t: f"Deadline {d['deadline']} passed without fulfilment: {t}",
    CommitmentMade.TYPE: lambda d, t: f"New commitment (due {due_text(d.get('due'))}): {t}",
    CommitmentDeadlineRevised.TYPE: lambda d, t: (
        f"Deadline moved to {due_text(d.get('due'))} (was {due_text(d.get('previous_due'))}): {t}"
    ),
    CommitmentFulfilled.TYPE: lambda d, t: f"Commitment fulfilled: {t}",
    DocumentIngested.TYPE: lambda d, t: (
        f"New document {d['document_id']}: {short(d.get('title') or d.get('source_name'))}"
    ),
    MotionReferenced.TYPE: lambda d, t: f"Motion {d['motion_id']} referenced in {d['document_id']}",
    ForumMeetingReported.TYPE: _meeting,
    IngestWatermark.TYPE: lambda d, t: f"Every document from {d['source']} dated up to {d['up_to']} is in",
    CommitmentMerged.TYPE: lambda d, t: f"Commitment merged into {d['into']} ({short(d['reason'], 80)}): {t}",
    CommitmentWithdrawn.TYPE: lambda d, t: f"Commitment withdrawn ({short(d['reason'], 80)}): {t}",
    CommitmentStatementRetracted.TYPE: lambda d, t: (
        f"Taken back: the {RETRACTED_STATEMENTS.get(d['statement'], d['statement'])} ({short(d['reason'], 80)}): {t}"
    ),
}


def summarize(event: Envelope, context: dict[str, Any]) -> str:
    """One human sentence per alert. KeyError for a type without a summary: the handler table prevents it."""
    return SUMMARIES[event.type](event.data, short(context.get("text") or event.data.get("text")))


def link(event: Envelope, timeline_url: str) -> str:
    base = timeline_url.rstrip("/")
    kind = event.type.split(".", 1)[0]
    plural = {"commitment": "commitments", "motion": "motions", "forum": "forums", "document": "documents"}
    return f"{base}/api/{plural[kind]}/{event.subject}" if kind in plural else f"{base}/docs"


def email_subject(summary: str) -> str:
    return "[policy-timeline] " + short(summary, 200)


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
        if event.type == CommitmentDeadlinePassed.TYPE:
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


def webhook_body(delivery: Delivery) -> bytes:
    payload = {
        "type": delivery.event_type,
        "subscription_id": delivery.subscription_id,
        "summary": delivery.summary,
        "event": json.loads(delivery.envelope),
    }
    return json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode()


def unsubscribe_footer(unsubscribe_url: str) -> str:
    return f"\n--\nYou get this because you subscribed to policy-timeline alerts.\nUnsubscribe: {unsubscribe_url}\n"


def confirmation_text(sub: Subscription, confirm_url: str, valid_hours: float) -> str:
    scope = ", ".join(
        f"{name} {value}"
        for name, value in (("motion", sub.motion_id), ("forum", sub.forum_id), ("commitment", sub.commitment_id))
        if value
    )
    return "\n".join(
        [
            "Someone asked policy-timeline to send alerts to this address" + (f" ({scope})." if scope else "."),
            "",
            f"To confirm, open this link within {valid_hours:g} hours and press the button:",
            confirm_url,
            "",
            "If it was not you, ignore this mail: without confirmation nothing more is sent to this address.",
            "",
        ]
    )
