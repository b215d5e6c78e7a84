"""/api/motions: the motions documents report on, each with its documents, commitments and timeline."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter
from sqlalchemy import func
from sqlmodel import select

from services.timeline.adapters import repository as repo
from services.timeline.adapters.orm import EntryRef, Motion
from services.timeline.entrypoints.views import SessionDep, commitment_view, documents_in, not_found, timeline_for

router = APIRouter(prefix="/api")


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
        raise not_found("motion", motion_id)
    timeline = timeline_for(session, "motion", motion_id)
    return {
        "id": motion.id,
        "submitter": motion.submitter,
        "documents": documents_in(session, timeline),
        "commitments": [commitment_view(c, session) for c in repo.commitments_under(session, "motion", motion_id)],
        "timeline": timeline,
    }


@router.get("/motions/{motion_id}/timeline")
def motion_timeline(motion_id: str, session: SessionDep) -> list[dict[str, Any]]:
    if session.get(Motion, motion_id) is None:
        raise not_found("motion", motion_id)
    return timeline_for(session, "motion", motion_id)
