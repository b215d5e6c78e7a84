"""The timeline projection: one event in, rows out. Pure SQL on the session it is given.

Arrival order does not matter: a commitment's state is recomputed from its whole history in event time,
so a backfill in any order and a replay give the same rows.

Corrections (see `services.ingest.relinking`) are applied in stream order: a `commitment.reading_changed`
makes the statement it corrects read anew (its line shows the new reading); a retracted statement, and every
event of a merged or withdrawn commitment, leaves the motion, forum and document timelines and the open and
overdue lists. The commitment's own history keeps every line, the corrections with their reasons included.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Sequence

from sqlmodel import Session, col, select

from schemas.codec import AMSTERDAM
from schemas.deadline_rule import (
    Corrected,
    Correction,
    DueStatement,
    Fulfilment,
    State,
    commitment_state,
    corrected,
    correction_of,
)
from schemas.events import (
    CORRECTION_TYPES,
    EVENT_TYPES,
    READING_FIELDS,
    CommitmentDeadlinePassed,
    CommitmentDeadlineRevised,
    CommitmentFulfilled,
    CommitmentMade,
    CommitmentMerged,
    CommitmentReadingChanged,
    CommitmentWithdrawn,
    DocumentIngested,
    DocumentReadingChanged,
    Envelope,
    ForumMeetingReported,
    MotionReferenced,
    Reading,
)
from schemas.ids import forum_id
from schemas.refs import event_refs
from services.timeline.store import (
    Commitment,
    CommitmentRef,
    Document,
    EntryRef,
    Forum,
    Meeting,
    Motion,
    TimelineEntry,
)
from services.timeline.summaries import summarize


def apply_event(session: Session, event: Envelope, sequence: int) -> None:
    if session.get(TimelineEntry, event.id) is not None:
        return  # the same event stored twice on the stream (a publish retried after the dedup window)
    data = event.payload()
    _record_entry(session, event, sequence)
    match data:
        case DocumentIngested() | DocumentReadingChanged():
            refresh_document(session, data.document_id)
        case MotionReferenced():
            _ensure_motion(session, data.motion_id, data.submitter)
        case ForumMeetingReported():
            _ensure_forum(session, data.forum_id, data.forum)
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
    if event.type.startswith("commitment."):
        refresh_commitment(session, event.subject)


def _record_entry(session: Session, event: Envelope, sequence: int) -> None:
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
    for kind, ref_id in event_refs(event, lambda c: _commitment_links(session, c)):
        session.merge(EntryRef(event_id=event.id, kind=kind, ref_id=ref_id))


def _commitment_links(session: Session, commitment_id: str) -> tuple[list[str], list[str]]:
    rows = session.exec(select(CommitmentRef).where(CommitmentRef.commitment_id == commitment_id)).all()
    return [r.ref_id for r in rows if r.kind == "motion"], [r.ref_id for r in rows if r.kind == "forum"]


def refresh_document(session: Session, document_id: str) -> None:
    """The document as it now reads: its row, and its ingested line with the motions it reports on."""
    session.flush()
    entries = session.exec(
        select(TimelineEntry)
        .where(TimelineEntry.aggregate_id == document_id, col(TimelineEntry.type).startswith("document."))
        .order_by(col(TimelineEntry.sequence))
    ).all()
    ingested = next((e for e in entries if e.type == DocumentIngested.TYPE), None)
    if ingested is None:
        return  # a correction arrived before the document; applied when it comes
    for entry in entries:
        if entry.type == DocumentReadingChanged.TYPE:
            change = DocumentReadingChanged.model_validate_json(entry.data)
            if change.corrects == ingested.event_id:
                now = {**json.loads(ingested.data), **change.new.model_dump(mode="json")}
                ingested.data = json.dumps(now, sort_keys=True, ensure_ascii=False)
    data = DocumentIngested.model_validate_json(ingested.data)
    ingested.summary = summarize(data)
    for motion in data.motions:
        _ensure_motion(session, motion, None)
    _set_entry_refs(session, ingested.event_id, {("document", document_id)} | {("motion", m) for m in data.motions})
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


def _ensure_motion(session: Session, motion_id: str, submitter: str | None) -> None:
    motion = session.get(Motion, motion_id)
    if motion is None:
        session.add(Motion(id=motion_id, submitter=submitter))
    elif submitter and not motion.submitter:
        motion.submitter = submitter
    session.flush()


def _ensure_forum(session: Session, forum: str, name: str) -> None:
    if session.get(Forum, forum) is None:
        session.add(Forum(id=forum, name=name))
        session.flush()


def _history_key(entry: TimelineEntry) -> tuple[bool, dt.datetime, int]:
    # Undated statements sort after dated ones; ties keep stream order.
    return (entry.occurred_at is None, entry.occurred_at or dt.datetime.min, entry.sequence)


def _read_anew(entry: TimelineEntry, reading: Reading) -> None:
    """The statement's line shows how it reads now."""
    data = {**json.loads(entry.data), **reading.model_dump(mode="json", include=set(READING_FIELDS[entry.type]))}
    entry.data = json.dumps(data, sort_keys=True, ensure_ascii=False)
    entry.summary = summarize(EVENT_TYPES[entry.type].model_validate(data))


def refresh_commitment(session: Session, commitment_id: str) -> None:
    """Recompute a commitment's current state, its links and its lines on other timelines from its history."""
    session.flush()
    entries = session.exec(
        select(TimelineEntry).where(
            TimelineEntry.aggregate_id == commitment_id, col(TimelineEntry.type).startswith("commitment.")
        )
    ).all()
    in_stream_order = sorted(entries, key=lambda e: e.sequence)
    readings: dict[str, Reading] = {}
    closures: list[TimelineEntry] = []
    for entry in in_stream_order:
        if entry.type == CommitmentReadingChanged.TYPE:
            change = CommitmentReadingChanged.model_validate_json(entry.data)
            readings[change.corrects] = change.new
        elif entry.type in (CommitmentMerged.TYPE, CommitmentWithdrawn.TYPE):
            closures.append(entry)
    for entry in entries:
        if entry.event_id in readings:
            _read_anew(entry, readings[entry.event_id])
    now, passed = _rule_facts(commitment_id, entries)
    closed = closures[-1] if now.closed and closures else None
    statements = [e for e in entries if e.type not in CORRECTION_TYPES and e.event_id not in now.retracted]
    made = min((e for e in statements if e.type == CommitmentMade.TYPE), key=_history_key, default=None)
    if made is None:
        return  # a later event arrived before the commitment itself; refreshed again when it comes
    made_data = CommitmentMade.model_validate_json(made.data)
    _link(session, commitment_id, made_data, entries, statements if closed is None else [])
    state = _state(session, commitment_id, made, sorted(statements, key=_history_key), commitment_state(now, passed))
    if closed is not None:
        state.status = "merged" if closed.type == CommitmentMerged.TYPE else "withdrawn"
        state.closed_reason = json.loads(closed.data)["reason"]
        state.merged_into = json.loads(closed.data).get("into")
    else:
        state.closed_reason = state.merged_into = None
    session.add(state)


def _rule_facts(commitment_id: str, entries: Sequence[TimelineEntry]) -> tuple[Corrected, set[dt.date]]:
    """The commitment's history as the deadline rule takes it, and the deadlines published as passed."""
    statements: list[DueStatement] = []
    fulfilments: list[Fulfilment] = []
    corrections: list[Correction] = []
    passed: dict[str, dt.date] = {}
    for entry in entries:
        if entry.type in (CommitmentMade.TYPE, CommitmentDeadlineRevised.TYPE):
            data = EVENT_TYPES[entry.type].model_validate_json(entry.data)
            assert isinstance(data, CommitmentMade | CommitmentDeadlineRevised)
            kind = "made" if entry.type == CommitmentMade.TYPE else "revised"
            statements.append(DueStatement(entry.event_id, commitment_id, kind, entry.occurred_at, data.due, data.text))
        elif entry.type == CommitmentFulfilled.TYPE:
            fulfilments.append(Fulfilment(entry.event_id, commitment_id, entry.occurred_at))
        elif entry.type == CommitmentDeadlinePassed.TYPE:
            passed[entry.event_id] = CommitmentDeadlinePassed.model_validate_json(entry.data).deadline
        else:
            fact = correction_of(entry.type, entry.event_id, json.loads(entry.data), entry.sequence)
            corrections += [fact] if fact else []
    now = corrected(statements, fulfilments, corrections)
    return now, {deadline for event_id, deadline in passed.items() if event_id not in now.retracted}


def _link(
    session: Session, commitment_id: str, made: CommitmentMade, entries: Sequence[TimelineEntry],
    shown: Sequence[TimelineEntry],
) -> None:  # fmt: skip
    """The commitment's motions and forums, and which of its lines other timelines show (`shown`)."""
    refs = {("motion", m) for m in made.motions} | {("forum", forum_id(f)) for f in made.forums} if shown else set()
    for motion in made.motions:
        _ensure_motion(session, motion, None)
    for forum in made.forums:
        _ensure_forum(session, forum_id(forum), forum)
    for link in session.exec(select(CommitmentRef).where(CommitmentRef.commitment_id == commitment_id)).all():
        if (link.kind, link.ref_id) not in refs:
            session.delete(link)
    for kind, ref_id in refs:
        session.merge(CommitmentRef(commitment_id=commitment_id, kind=kind, ref_id=ref_id))
    visible = {e.event_id for e in shown}
    for entry in entries:
        wanted = {("commitment", commitment_id)}
        if entry.event_id in visible:
            wanted |= refs | ({("document", entry.document_id)} if entry.document_id else set())
        _set_entry_refs(session, entry.event_id, wanted)


def _set_entry_refs(session: Session, event_id: str, wanted: set[tuple[str, str]]) -> None:
    """Exactly these timelines show the line."""
    for row in session.exec(select(EntryRef).where(EntryRef.event_id == event_id)).all():
        if (row.kind, row.ref_id) not in wanted:
            session.delete(row)
    for kind, ref_id in wanted:
        session.merge(EntryRef(event_id=event_id, kind=kind, ref_id=ref_id))


def _state(
    session: Session, commitment_id: str, made: TimelineEntry, history: list[TimelineEntry], rule: State
) -> Commitment:
    """The row: the deadline rule's due and status, with what the history adds (revisions, fulfilment date)."""
    made_data = CommitmentMade.model_validate_json(made.data)
    revisions = sum(entry.type == CommitmentDeadlineRevised.TYPE for entry in history)
    fulfilled_dates = [
        on
        for entry in history
        if entry.type == CommitmentFulfilled.TYPE
        and (on := CommitmentFulfilled.model_validate_json(entry.data).fulfilled_on or entry.occurred_on)
    ]
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
    state.fulfilled_on = min(fulfilled_dates) if fulfilled_dates else None
    state.overdue_since = (due.end + dt.timedelta(days=1)) if rule.status == "overdue" and due else None
    state.revisions = revisions
    return state
