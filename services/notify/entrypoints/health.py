"""/health: how far the projection is behind the stream, and the deliveries by status."""

from __future__ import annotations

import asyncio
from typing import Any

from fastapi import APIRouter, Request

from schemas.stream import POLICY_STREAM
from services.notify.entrypoints.context import notify_of, transact

router = APIRouter()


@router.get("/health")
async def health(request: Request) -> dict[str, Any]:
    notify = notify_of(request)
    applied = await asyncio.to_thread(notify.projection.applied_sequence)
    counts = await transact(request, lambda repo: repo.delivery_counts())
    try:
        js = notify.broker.config.connection_state.stream
        last: int | None = int((await asyncio.wait_for(js.stream_info(POLICY_STREAM), timeout=2)).state.last_seq)
    except Exception:
        last = None
    return {
        "status": "ok" if last is not None else "degraded",
        "applied_sequence": applied,
        "stream_last_sequence": last,
        "lag": None if last is None else last - applied,
        "deliveries": counts,
    }
