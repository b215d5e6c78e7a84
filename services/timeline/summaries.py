"""One human sentence per event, as the timeline shows it."""

from __future__ import annotations

from schemas.events import (
    CommitmentDeadlinePassed,
    CommitmentDeadlineRevised,
    CommitmentFulfilled,
    CommitmentMade,
    DocumentIngested,
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
        case ForumMeetingReported():
            verb = "met" if data.held else "meets"
            span = data.start.isoformat() if data.start == data.end else f"{data.start} – {data.end}"
            return f"{data.forum} {verb} {span}"
        case IngestWatermark():
            return f"Every document from {data.source} dated up to {data.up_to} is in"
    return data.TYPE
