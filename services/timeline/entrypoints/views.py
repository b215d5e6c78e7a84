"""What every route shares: the session per request, and the JSON shape of each row."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Annotated, Any

from fastapi import Depends, HTTPException, Request
from sqlmodel import Session

from services.timeline.adapters import repository as repo
from services.timeline.adapters.orm import Commitment, Document, TimelineEntry


def get_session(request: Request) -> Iterator[Session]:
    with Session(request.app.state.engine) as session:
        yield session


SessionDep = Annotated[Session, Depends(get_session)]
CLOSED = ("merged", "withdrawn")  # corrected away: listed only when asked for by status


def not_found(what: str, ident: str) -> HTTPException:
    return HTTPException(status_code=404, detail=f"no {what} with id {ident!r}")


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
    return [entry_view(e) for e in repo.entries_about(session, kind, ref_id)]


def documents_in(session: Session, timeline: list[dict[str, Any]]) -> list[dict[str, Any]]:
    ids = list(dict.fromkeys(e["document_id"] for e in timeline if e["document_id"]))
    docs = repo.documents_by_id(session, ids)
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
    motions, forums = repo.commitment_links(session, c.id)
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
        "motions": sorted(motions),
        "forums": sorted(forums),
    }
