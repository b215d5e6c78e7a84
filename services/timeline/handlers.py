"""The timeline projection: one event in, rows out. Pure SQL on the session it is given.

Arrival order does not matter: a commitment's state is recomputed from its whole history in event time,
so a backfill in any order and a replay give the same rows.
"""

from __future__ import annotations

import datetime as dt
import json

from sqlmodel import Session, col, select

from schemas.codec import AMSTERDAM
from schemas.events import (
    CommitmentDeadlinePassed,
    CommitmentDeadlineRevised,
    CommitmentFulfilled,
    CommitmentMade,
    DocumentIngested,
    Due,
    Envelope,
    ForumMeetingReported,
    MotionReferenced,
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
        case DocumentIngested():
            _upsert_document(session, event, data)
            for motion in data.motions:
                _ensure_motion(session, motion, None)
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
        case CommitmentMade():
            for motion in data.motions:
                _ensure_motion(session, motion, None)
                session.merge(CommitmentRef(commitment_id=data.commitment_id, kind="motion", ref_id=motion))
            for forum in data.forums:
                _ensure_forum(session, forum_id(forum), forum)
                session.merge(CommitmentRef(commitment_id=data.commitment_id, kind="forum", ref_id=forum_id(forum)))
            _index_earlier_entries(session, data.commitment_id)
            refresh_commitment(session, data.commitment_id)
        case CommitmentDeadlineRevised() | CommitmentFulfilled() | CommitmentDeadlinePassed():
            refresh_commitment(session, data.commitment_id)


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


def _index_earlier_entries(session: Session, commitment_id: str) -> None:
    """Events of the commitment that arrived before it was made get its motions and forums too."""
    motions, forums = _commitment_links(session, commitment_id)
    earlier = session.exec(select(TimelineEntry.event_id).where(TimelineEntry.aggregate_id == commitment_id)).all()
    for event_id in earlier:
        for kind, ids_ in (("motion", motions), ("forum", forums)):
            for ref_id in ids_:
                session.merge(EntryRef(event_id=event_id, kind=kind, ref_id=ref_id))


def _upsert_document(session: Session, event: Envelope, data: DocumentIngested) -> None:
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
            event_id=event.id,
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


def refresh_commitment(session: Session, commitment_id: str) -> None:
    """Recompute a commitment's current state from its history, in event time."""
    session.flush()
    entries = session.exec(
        select(TimelineEntry).where(
            TimelineEntry.aggregate_id == commitment_id, col(TimelineEntry.type).startswith("commitment.")
        )
    ).all()
    history = sorted(entries, key=_history_key)
    made = next((e for e in history if e.type == "commitment.made"), None)
    if made is None:
        return  # a later event arrived before the commitment itself; refreshed again when it comes
    made_data = CommitmentMade.model_validate_json(made.data)
    due: Due | None = None
    revisions = 0
    fulfilled_dates: list[dt.date] = []
    fulfilled = False
    passed: list[dt.date] = []
    for entry in history:
        # The latest statement in event time sets the due date, whichever document arrived first.
        if entry.type == "commitment.made":
            due = CommitmentMade.model_validate_json(entry.data).due
        elif entry.type == "commitment.deadline_revised":
            due = CommitmentDeadlineRevised.model_validate_json(entry.data).due
            revisions += 1
        elif entry.type == "commitment.fulfilled":
            fulfilled = True
            on = CommitmentFulfilled.model_validate_json(entry.data).fulfilled_on or entry.occurred_on
            if on:
                fulfilled_dates.append(on)
        elif entry.type == "commitment.deadline_passed":
            passed.append(CommitmentDeadlinePassed.model_validate_json(entry.data).deadline)
    overdue = not fulfilled and due is not None and due.end in passed
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
    state.status = "fulfilled" if fulfilled else "overdue" if overdue else "open"
    state.fulfilled_on = min(fulfilled_dates) if fulfilled_dates else None
    state.overdue_since = (due.end + dt.timedelta(days=1)) if overdue and due else None
    state.revisions = revisions
    session.add(state)
