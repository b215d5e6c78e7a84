"""/deadlines/passed: every commitment.deadline_passed notify knows of, published here or learned."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request, Response

from services.notify.domain.model import PublishedDeadline
from services.notify.entrypoints.context import read_json
from services.notify.entrypoints.deliveries import iso

router = APIRouter()


def passed_view(p: PublishedDeadline) -> dict[str, Any]:
    return {
        "commitment_id": p.commitment_id,
        "deadline": p.deadline.isoformat(),
        "passed_at": iso(p.passed_at),
        "event_id": p.event_id,
        "published_at": iso(p.published_at),
        "text": p.text,
    }


@router.get("/deadlines/passed", response_model=list[dict[str, Any]])
async def passed(request: Request) -> Response:
    return await read_json(request, lambda repo: [passed_view(p) for p in repo.published_deadlines()])
