"""/api/forums: the forums commitments were made for, each with its meetings and timeline."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter
from sqlmodel import col, select

from services.timeline.adapters.orm import Forum, Meeting
from services.timeline.entrypoints.views import SessionDep, not_found, timeline_for

router = APIRouter(prefix="/api")


@router.get("/forums")
def list_forums(session: SessionDep) -> list[dict[str, Any]]:
    return [{"id": f.id, "name": f.name} for f in session.exec(select(Forum).order_by(Forum.id)).all()]


@router.get("/forums/{forum}")
def get_forum(forum: str, session: SessionDep) -> dict[str, Any]:
    found = session.get(Forum, forum)
    if found is None:
        raise not_found("forum", forum)
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
        raise not_found("forum", forum)
    return timeline_for(session, "forum", forum)
