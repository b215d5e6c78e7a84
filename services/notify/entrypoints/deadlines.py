"""/deadlines/passed: every commitment.deadline_passed notify knows of, published here or learned."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request

from services.notify.domain.model import PublishedDeadline
from services.notify.entrypoints.context import read
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


@router.get("/deadlines/passed")
async def passed(request: Request) -> list[dict[str, Any]]:
    return await read(request, lambda repo: [passed_view(p) for p in repo.published_deadlines()])
