"""/api/documents: the letters read, each with its timeline."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter
from sqlmodel import col, select

from services.timeline.adapters.orm import Document
from services.timeline.entrypoints.views import SessionDep, document_view, not_found, timeline_for

router = APIRouter(prefix="/api")


@router.get("/documents")
def list_documents(session: SessionDep) -> list[dict[str, Any]]:
    order = (col(Document.date).is_(None), col(Document.date), col(Document.id))  # ties by id, not arrival
    docs = session.exec(select(Document).order_by(*order)).all()
    return [document_view(d) for d in docs]


@router.get("/documents/{document_id}")
def get_document(document_id: str, session: SessionDep) -> dict[str, Any]:
    found = session.get(Document, document_id)
    if found is None:
        raise not_found("document", document_id)
    return {**document_view(found), "timeline": timeline_for(session, "document", document_id)}
