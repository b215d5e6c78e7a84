"""Resend: a delivery again, or a subscription's failed deliveries of a time range (after a receiver was down
longer than the retry schedule). Each resend starts a fresh run of the retry schedule, with the same webhook-id,
so a receiver that did get an earlier attempt deduplicates it."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, Any

from fastapi import APIRouter, Depends, HTTPException, Query, Request

from services.common.auth import require
from services.notify.adapters.repository import Repository
from services.notify.domain.model import Subscription
from services.notify.entrypoints.context import notify_of, owned_subscription, transact

router = APIRouter()


@router.post("/deliveries/{delivery_id}/resend", status_code=202, dependencies=[Depends(require("admin"))])
async def resend_delivery(delivery_id: str, request: Request) -> dict[str, Any]:
    at = datetime.now(UTC)

    def resend(repo: Repository) -> int:
        found = repo.resend([delivery_id], at)
        if found is None:
            raise HTTPException(404, f"delivery_id: no delivery {delivery_id!r}")
        return found

    resent = await transact(request, resend)
    notify_of(request).worker.wake()
    return {"resent": resent}


@router.post("/subscriptions/{sub_id}/resend", status_code=202)
async def resend_range(
    sub: Annotated[Subscription, Depends(owned_subscription)],  # its manage token or an admin key
    request: Request,
    since: Annotated[datetime, Query(description="deliveries created at or after")],
    until: Annotated[datetime | None, Query(description="and before (default: now)")] = None,
) -> dict[str, Any]:
    at = datetime.now(UTC)
    start, end = _aware(since), _aware(until or at)
    if end <= start:
        raise HTTPException(422, "until must be later than since")

    def resend(repo: Repository) -> int:
        failed = [d.id for d in repo.deliveries_of(sub.id) if d.status == "failed" and start <= d.created_at < end]
        return repo.resend(failed, at) or 0

    resent = await transact(request, resend)
    notify_of(request).worker.wake()
    return {"resent": resent}


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)
