"""/api/commitments: what was promised, filtered by status, motion, forum and due date; each with its history."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

from fastapi import APIRouter, HTTPException, Query
from sqlalchemy import func
from sqlmodel import col, select

from services.timeline.adapters.orm import Commitment, CommitmentRef
from services.timeline.entrypoints.views import SessionDep, commitment_view, not_found, timeline_for

router = APIRouter(prefix="/api")
Status = Literal["open", "overdue", "fulfilled", "merged", "withdrawn"]


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
        raise not_found("commitment", commitment_id)
    return {**commitment_view(found, session), "history": timeline_for(session, "commitment", commitment_id)}
