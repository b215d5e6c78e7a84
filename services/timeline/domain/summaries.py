"""One human sentence per event, as the timeline shows it."""

from __future__ import annotations

from pydantic import BaseModel

from schemas.events import (
    CommitmentDeadlinePassed,
    CommitmentDeadlineRevised,
    CommitmentFulfilled,
    CommitmentMade,
    CommitmentMerged,
    CommitmentReadingChanged,
    CommitmentStatementRetracted,
    CommitmentWithdrawn,
    DocumentIngested,
    DocumentReadingChanged,
    Due,
    EventData,
    ForumMeetingReported,
    IngestWatermark,
    MotionReferenced,
)


def due_text(due: Due | None) -> str:
    if due is None:
        return "no deadline"
    if due.start == due.end:
        return due.end.isoformat()
    return f"{due.start.isoformat()} – {due.end.isoformat()} ({due.precision})"


def _shown(value: object) -> str:
    if isinstance(value, Due):
        return due_text(value)
    if isinstance(value, list):
        return ", ".join(value) or "none"
    return "none" if value is None else str(value)


def _differences(old: BaseModel, new: BaseModel) -> str:
    """`field old -> new` for every field of two readings that differs."""
    changed = [
        f"{name} {_shown(getattr(old, name))} -> {_shown(getattr(new, name))}"
        for name in type(old).model_fields
        if getattr(old, name) != getattr(new, name)
    ]
    return "; ".join(changed) or "no visible difference"


def summarize(data: EventData) -> str:
    match data:
        case DocumentIngested():
            return f"Document {data.document_id} ({data.kind}): {data.title or data.source_name}"
        case MotionReferenced():
            return f"Document {data.document_id} reports on motion {data.motion_id}"
        case CommitmentMade():
            return f"Commitment made: {data.text} — due {due_text(data.due)}"
        case CommitmentDeadlineRevised():
            return f"Deadline revised to {due_text(data.due)} (was {due_text(data.previous_due)}): {data.text}"
        case CommitmentFulfilled():
            when = f" on {data.fulfilled_on.isoformat()}" if data.fulfilled_on else ""
            return f"Fulfilled{when}: {data.evidence}"
        case CommitmentDeadlinePassed():
            return f"Deadline {data.deadline.isoformat()} passed unfulfilled"
        case CommitmentReadingChanged():
            return f"Reading changed ({data.reason}): {_differences(data.old, data.new)}"
        case DocumentReadingChanged():
            return f"Document {data.document_id} reads differently ({data.reason}): {_differences(data.old, data.new)}"
        case CommitmentMerged():
            return f"Merged into commitment {data.into}: {data.reason}"
        case CommitmentWithdrawn():
            return f"Withdrawn: {data.reason}"
        case CommitmentStatementRetracted():
            return f"Retracted {data.statement} {data.retracts}: {data.reason}"
        case ForumMeetingReported():
            verb = "met" if data.held else "meets"
            span = data.start.isoformat() if data.start == data.end else f"{data.start} – {data.end}"
            return f"{data.forum} {verb} {span}"
        case IngestWatermark():
            return f"Every document from {data.source} dated up to {data.up_to} is in"
    return data.TYPE
