"""Read-only HTTP API over the timeline projection."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, HTTPException, Query, Request
from sqlalchemy import func
from sqlmodel import Session, col, select

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

router = APIRouter(prefix="/api")


def get_session(request: Request) -> Iterator[Session]:
    with Session(request.app.state.engine) as session:
        yield session


SessionDep = Annotated[Session, Depends(get_session)]
Status = Literal["open", "overdue", "fulfilled", "merged", "withdrawn"]
CLOSED = ("merged", "withdrawn")  # corrected away: listed only when asked for by status


def entry_view(entry: TimelineEntry) -> dict[str, Any]:
    return {
        "event_id": entry.event_id,
        "type": entry.type,
        "date": entry.occurred_on.isoformat() if entry.occurred_on else None,
        "occurred_at": entry.occurred_at.isoformat() + "Z" if entry.occurred_at else None,
        "summary": entry.summary,
        "document_id": entry.document_id,
        "subject": entry.aggregate_id,
        "sequence": entry.sequence,
        "data": json.loads(entry.data),
    }


def timeline_for(session: Session, kind: str, ref_id: str) -> list[dict[str, Any]]:
    """Entries concerning one motion/forum/commitment/document: dated first in event time, undated last."""
    entries = session.exec(
        select(TimelineEntry)
        .join(EntryRef, col(EntryRef.event_id) == col(TimelineEntry.event_id))
        .where(EntryRef.kind == kind, EntryRef.ref_id == ref_id)
        .order_by(
            col(TimelineEntry.occurred_at).is_(None),
            col(TimelineEntry.occurred_at),
            col(TimelineEntry.sequence),
        )
    ).all()
    return [entry_view(e) for e in entries]


def documents_in(session: Session, timeline: list[dict[str, Any]]) -> list[dict[str, Any]]:
    ids = list(dict.fromkeys(e["document_id"] for e in timeline if e["document_id"]))
    docs = {d.id: d for d in session.exec(select(Document).where(col(Document.id).in_(ids))).all()}
    return [document_view(docs[i]) for i in ids if i in docs]


def document_view(doc: Document) -> dict[str, Any]:
    return {
        "id": doc.id,
        "title": doc.title,
        "kind": doc.kind,
        "date": doc.date.isoformat() if doc.date else None,
        "date_supplied": doc.date_supplied,
        "kamerstuk": {"dossier": doc.dossier, "number": doc.number} if doc.dossier else None,
        "source_name": doc.source_name,
    }


def commitment_view(c: Commitment, session: Session) -> dict[str, Any]:
    refs = session.exec(select(CommitmentRef).where(CommitmentRef.commitment_id == c.id)).all()
    return {
        "id": c.id,
        "text": c.text,
        "actor": c.actor,
        "deliverable": c.deliverable,
        "status": c.status,
        "made_on": c.made_on.isoformat() if c.made_on else None,
        "document_id": c.document_id,
        "due": (
            {"start": c.due_start.isoformat(), "end": c.due_end.isoformat(), "precision": c.due_precision}
            if c.due_start and c.due_end
            else None
        ),
        "fulfilled_on": c.fulfilled_on.isoformat() if c.fulfilled_on else None,
        "overdue_since": c.overdue_since.isoformat() if c.overdue_since else None,
        "revisions": c.revisions,
        **({"merged_into": c.merged_into, "closed_reason": c.closed_reason} if c.status in CLOSED else {}),
        "motions": sorted(r.ref_id for r in refs if r.kind == "motion"),
        "forums": sorted(r.ref_id for r in refs if r.kind == "forum"),
    }


def _not_found(what: str, ident: str) -> HTTPException:
    return HTTPException(status_code=404, detail=f"no {what} with id {ident!r}")


@router.get("/motions")
def list_motions(session: SessionDep) -> list[dict[str, Any]]:
    counts = dict(
        session.exec(
            select(EntryRef.ref_id, func.count()).where(EntryRef.kind == "motion").group_by(EntryRef.ref_id)
        ).all()
    )
    return [
        {"id": m.id, "submitter": m.submitter, "events": counts.get(m.id, 0)}
        for m in session.exec(select(Motion).order_by(Motion.id)).all()
    ]


@router.get("/motions/{motion_id}")
def get_motion(motion_id: str, session: SessionDep) -> dict[str, Any]:
    motion = session.get(Motion, motion_id)
    if motion is None:
        raise _not_found("motion", motion_id)
    timeline = timeline_for(session, "motion", motion_id)
    commitment_ids = session.exec(
        select(CommitmentRef.commitment_id).where(CommitmentRef.kind == "motion", CommitmentRef.ref_id == motion_id)
    ).all()
    commitments = session.exec(
        select(Commitment).where(col(Commitment.id).in_(commitment_ids)).order_by(col(Commitment.id))
    ).all()
    return {
        "id": motion.id,
        "submitter": motion.submitter,
        "documents": documents_in(session, timeline),
        "commitments": [commitment_view(c, session) for c in commitments],
        "timeline": timeline,
    }


@router.get("/motions/{motion_id}/timeline")
def motion_timeline(motion_id: str, session: SessionDep) -> list[dict[str, Any]]:
    if session.get(Motion, motion_id) is None:
        raise _not_found("motion", motion_id)
    return timeline_for(session, "motion", motion_id)


@router.get("/forums")
def list_forums(session: SessionDep) -> list[dict[str, Any]]:
    return [{"id": f.id, "name": f.name} for f in session.exec(select(Forum).order_by(Forum.id)).all()]


@router.get("/forums/{forum}")
def get_forum(forum: str, session: SessionDep) -> dict[str, Any]:
    found = session.get(Forum, forum)
    if found is None:
        raise _not_found("forum", forum)
    meetings = session.exec(select(Meeting).where(Meeting.forum_id == forum).order_by(col(Meeting.start))).all()
    return {
        "id": found.id,
        "name": found.name,
        "meetings": [
            {
                "start": m.start.isoformat(),
                "end": m.end.isoformat(),
                "held": m.held,
                "document_id": m.document_id,
                "sentence": m.sentence,
            }
            for m in meetings
        ],
        "timeline": timeline_for(session, "forum", forum),
    }


@router.get("/forums/{forum}/timeline")
def forum_timeline(forum: str, session: SessionDep) -> list[dict[str, Any]]:
    if session.get(Forum, forum) is None:
        raise _not_found("forum", forum)
    return timeline_for(session, "forum", forum)


@router.get("/commitments")
def list_commitments(
    session: SessionDep,
    status: Status | None = None,
    motion: str | None = None,
    forum: str | None = None,
    due_before: Annotated[dt.date | None, Query(description="due interval ends on or before")] = None,
    due_after: Annotated[dt.date | None, Query(description="due interval ends on or after")] = None,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
    offset: Annotated[int, Query(ge=0, le=1_000_000_000)] = 0,  # database integers end at 2**63
) -> dict[str, Any]:
    if due_before and due_after and due_after > due_before:
        raise HTTPException(status_code=422, detail="due_after must not be later than due_before")
    shown = (status,) if status else ("open", "overdue", "fulfilled")
    query = select(Commitment).where(col(Commitment.status).in_(shown))
    for kind, ref in (("motion", motion), ("forum", forum)):
        if ref:
            linked = select(CommitmentRef.commitment_id).where(CommitmentRef.kind == kind, CommitmentRef.ref_id == ref)
            query = query.where(col(Commitment.id).in_(linked))
    if due_before:
        query = query.where(col(Commitment.due_end) <= due_before)
    if due_after:
        query = query.where(col(Commitment.due_end) >= due_after)
    total = session.exec(select(func.count()).select_from(query.subquery())).one()
    rows = session.exec(
        query.order_by(col(Commitment.due_end).is_(None), col(Commitment.due_end), col(Commitment.id))
        .offset(offset)
        .limit(limit)
    ).all()
    return {"total": total, "items": [commitment_view(c, session) for c in rows]}


@router.get("/commitments/{commitment_id}")
def get_commitment(commitment_id: str, session: SessionDep) -> dict[str, Any]:
    found = session.get(Commitment, commitment_id)
    if found is None:
        raise _not_found("commitment", commitment_id)
    return {**commitment_view(found, session), "history": timeline_for(session, "commitment", commitment_id)}


@router.get("/documents")
def list_documents(session: SessionDep) -> list[dict[str, Any]]:
    order = (col(Document.date).is_(None), col(Document.date), col(Document.id))  # ties by id, not arrival
    docs = session.exec(select(Document).order_by(*order)).all()
    return [document_view(d) for d in docs]


@router.get("/documents/{document_id}")
def get_document(document_id: str, session: SessionDep) -> dict[str, Any]:
    found = session.get(Document, document_id)
    if found is None:
        raise _not_found("document", document_id)
    return {**document_view(found), "timeline": timeline_for(session, "document", document_id)}
