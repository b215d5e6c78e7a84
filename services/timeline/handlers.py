"""What each event does to the timeline: ONE table from event type to handler, and the projection that runs it.

Every event becomes a line (`record_line`) on each timeline it concerns; its handler then brings the rows it
changes up to date. Every event type of `schemas/` is in `HANDLERS`, or in `IGNORED`; an event of a type named
in neither raises `UnhandledEvent`, so the projection retries it and then dead-letters it, never drops it.

Arrival order does not matter: a commitment's state is recomputed from its whole history in event time
(`domain/history.py`), so a backfill in any order and a replay give the same rows.

Corrections (see `services.ingest.relinking`) are applied in stream order: a `commitment.reading_changed`
makes the statement it corrects read anew (its line shows the new reading); a retracted statement, and every
event of a merged or withdrawn commitment, leaves the motion, forum and document timelines and the open and
overdue lists. The commitment's own history keeps every line, the corrections with their reasons included.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Sequence

from sqlmodel import Session

from schemas.codec import AMSTERDAM
from schemas.deadline_rule import State, commitment_state
from schemas.events import (
    CORRECTION_TYPES,
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
    Envelope,
    ForumMeetingReported,
    IngestWatermark,
    MotionReferenced,
    Reading,
)
from schemas.ids import forum_id
from schemas.opendata import (
    CommitmentStatusReported,
    ForumMeetingCancelled,
    ForumMeetingMoved,
    MotionAppraised,
    MotionDecided,
    MotionSubmitted,
    OpenDataRecordDeleted,
)
from schemas.refs import event_refs
from services.timeline.adapters import repository as repo
from services.timeline.adapters.orm import Commitment, Document, EntryRef, Meeting, TimelineEntry
from services.timeline.domain.history import (
    document_reads_now,
    fulfilled_on,
    history_key,
    read_anew,
    revisions,
    rule_facts,
)
from services.timeline.domain.summaries import summarize

Handler = Callable[[Session, Envelope], None]


class UnhandledEvent(LookupError):
    """An event type the timeline's table does not name: an error, never silently skipped."""


def apply_event(session: Session, event: Envelope, sequence: int) -> None:
    """The projection's apply function (services.common.projection.Apply)."""
    handler = handling(event.type)
    if session.get(TimelineEntry, event.id) is not None:
        return  # the same event stored twice on the stream (a publish retried after the dedup window)
    record_line(session, event, sequence)
    handler(session, event)


def handling(event_type: str) -> Handler:
    try:
        return HANDLERS[event_type]
    except KeyError:
        raise UnhandledEvent(f"timeline has no handler for event type {event_type!r}; add it to HANDLERS") from None


def record_line(session: Session, event: Envelope, sequence: int) -> None:
    data = event.payload()
    occurred_at = event.occurred_at
    session.add(
        TimelineEntry(
            event_id=event.id,
            sequence=sequence,
            type=event.type,
            aggregate_id=event.subject,
            occurred_at=occurred_at.astimezone(dt.UTC) if occurred_at else None,
            occurred_on=occurred_at.astimezone(AMSTERDAM).date() if occurred_at else None,
            document_id=getattr(data, "document_id", None),
            summary=summarize(data),
            data=json.dumps(event.data, sort_keys=True, ensure_ascii=False),
        )
    )
    session.flush()  # commitment links written just before must be visible to event_refs
    for kind, ref_id in event_refs(event, lambda c: repo.commitment_links(session, c)):
        session.merge(EntryRef(event_id=event.id, kind=kind, ref_id=ref_id))


# --- the handlers -----------------------------------------------------------------------------------------------


def line_only(session: Session, event: Envelope) -> None:
    """The line is all the event adds: no other row depends on it."""


def document_changed(session: Session, event: Envelope) -> None:
    data = event.payload()
    assert isinstance(data, DocumentIngested | DocumentReadingChanged)
    refresh_document(session, data.document_id)


def motion_referenced(session: Session, event: Envelope) -> None:
    data = event.payload()
    assert isinstance(data, MotionReferenced)
    repo.ensure_motion(session, data.motion_id, data.submitter)


def meeting_reported(session: Session, event: Envelope) -> None:
    data = event.payload()
    assert isinstance(data, ForumMeetingReported)
    repo.ensure_forum(session, data.forum_id, data.forum)
    session.add(
        Meeting(
            event_id=event.id,
            forum_id=data.forum_id,
            start=data.start,
            end=data.end,
            held=data.held,
            document_id=data.document_id,
            sentence=data.sentence,
        )
    )


def commitment_changed(session: Session, event: Envelope) -> None:
    refresh_commitment(session, event.subject)


# Every type whose aggregate is a commitment recomputes that commitment, open data's reported status included.
COMMITMENT_TYPES = (
    CommitmentMade,
    CommitmentDeadlineRevised,
    CommitmentFulfilled,
    CommitmentDeadlinePassed,
    CommitmentReadingChanged,
    CommitmentMerged,
    CommitmentWithdrawn,
    CommitmentStatementRetracted,
    CommitmentStatusReported,
)

HANDLERS: dict[str, Handler] = {
    DocumentIngested.TYPE: document_changed,
    DocumentReadingChanged.TYPE: document_changed,
    MotionReferenced.TYPE: motion_referenced,
    ForumMeetingReported.TYPE: meeting_reported,
    **{cls.TYPE: commitment_changed for cls in COMMITMENT_TYPES},
    # Shown as lines on the timelines they concern, and nothing more.
    IngestWatermark.TYPE: line_only,
    MotionSubmitted.TYPE: line_only,
    MotionAppraised.TYPE: line_only,
    MotionDecided.TYPE: line_only,
    ForumMeetingMoved.TYPE: line_only,
    ForumMeetingCancelled.TYPE: line_only,
    OpenDataRecordDeleted.TYPE: line_only,
}
# Types the timeline does not show at all. None: every event of the stream is a line of some history.
IGNORED: frozenset[str] = frozenset()
assert set(CORRECTION_TYPES) <= set(HANDLERS)
assert not IGNORED & set(HANDLERS)


# --- recomputing rows from their history ---------------------------------------------------------------------


def refresh_document(session: Session, document_id: str) -> None:
    """The document as it now reads: its row, and its ingested line with the motions it reports on."""
    lines = repo.lines_of(session, document_id, "document.")
    ingested = next((line for line in lines if line.type == DocumentIngested.TYPE), None)
    if ingested is None:
        return  # a correction arrived before the document; applied when it comes
    reads_now = document_reads_now(ingested, lines)
    if reads_now != ingested.data:
        ingested.data = reads_now
    data = DocumentIngested.model_validate_json(ingested.data)
    ingested.summary = summarize(data)
    for motion in data.motions:
        repo.ensure_motion(session, motion, None)
    repo.set_entry_refs(session, ingested.event_id, {("document", document_id)} | {("motion", m) for m in data.motions})
    session.merge(
        Document(
            id=data.document_id,
            title=data.title,
            kind=data.kind,
            date=data.date,
            date_supplied=data.date_supplied,
            dossier=data.kamerstuk.dossier if data.kamerstuk else None,
            number=data.kamerstuk.number if data.kamerstuk else None,
            source_name=data.source_name,
            content_sha256=data.content_sha256,
            event_id=ingested.event_id,
        )
    )


def refresh_commitment(session: Session, commitment_id: str) -> None:
    """Recompute a commitment's current state, its links and its lines on other timelines from its history."""
    lines = repo.lines_of(session, commitment_id, "commitment.")  # in stream order
    readings: dict[str, Reading] = {}
    closures: list[TimelineEntry] = []
    for line in lines:
        if line.type == CommitmentReadingChanged.TYPE:
            change = CommitmentReadingChanged.model_validate_json(line.data)
            readings[change.corrects] = change.new
        elif line.type in (CommitmentMerged.TYPE, CommitmentWithdrawn.TYPE):
            closures.append(line)
    for line in lines:
        if line.event_id in readings:
            line.data, line.summary = read_anew(line, readings[line.event_id])
    now, passed = rule_facts(commitment_id, lines)
    closed = closures[-1] if now.closed and closures else None
    statements = [e for e in lines if e.type not in CORRECTION_TYPES and e.event_id not in now.retracted]
    made = min((e for e in statements if e.type == CommitmentMade.TYPE), key=history_key, default=None)
    if made is None:
        return  # a later event arrived before the commitment itself; refreshed again when it comes
    made_data = CommitmentMade.model_validate_json(made.data)
    _link(session, commitment_id, made_data, lines, statements if closed is None else [])
    state = _state(session, commitment_id, made, sorted(statements, key=history_key), commitment_state(now, passed))
    if closed is not None:
        state.status = "merged" if closed.type == CommitmentMerged.TYPE else "withdrawn"
        state.closed_reason = json.loads(closed.data)["reason"]
        state.merged_into = json.loads(closed.data).get("into")
    else:
        state.closed_reason = state.merged_into = None
    session.add(state)


def _link(
    session: Session, commitment_id: str, made: CommitmentMade, lines: Sequence[TimelineEntry],
    shown: Sequence[TimelineEntry],
) -> None:  # fmt: skip
    """The commitment's motions and forums, and which of its lines other timelines show (`shown`)."""
    refs = {("motion", m) for m in made.motions} | {("forum", forum_id(f)) for f in made.forums} if shown else set()
    for motion in made.motions:
        repo.ensure_motion(session, motion, None)
    for forum in made.forums:
        repo.ensure_forum(session, forum_id(forum), forum)
    repo.set_commitment_links(session, commitment_id, refs)
    visible = {e.event_id for e in shown}
    for line in lines:
        wanted = {("commitment", commitment_id)}
        if line.event_id in visible:
            wanted |= refs | ({("document", line.document_id)} if line.document_id else set())
        repo.set_entry_refs(session, line.event_id, wanted)


def _state(
    session: Session, commitment_id: str, made: TimelineEntry, history: list[TimelineEntry], rule: State
) -> Commitment:
    """The row: the deadline rule's due and status, with what the history adds (revisions, fulfilment date)."""
    made_data = CommitmentMade.model_validate_json(made.data)
    due = rule.due
    state = session.get(Commitment, commitment_id) or Commitment(id=commitment_id, text="", document_id="", status="")
    state.text = made_data.text
    state.actor = made_data.actor
    state.deliverable = made_data.deliverable
    state.document_id = made_data.document_id
    state.made_on = made.occurred_on
    state.due_start = due.start if due else None
    state.due_end = due.end if due else None
    state.due_precision = due.precision if due else None
    state.due_phrase = due.phrase if due else None
    state.status = rule.status
    state.fulfilled_on = fulfilled_on(history)
    state.overdue_since = (due.end + dt.timedelta(days=1)) if rule.status == "overdue" and due else None
    state.revisions = revisions(history)
    return state
