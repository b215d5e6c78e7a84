"""/deliveries and /subscriptions/{id}/deliveries: the delivery log, every attempt included."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request, Response

from services.common.auth import require
from services.notify.adapters.repository import Repository
from services.notify.domain.model import Attempt, Delivery, DeliveryStatus, Subscription
from services.notify.entrypoints.context import owned_subscription, read_json

router = APIRouter()


def iso(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


def delivery_view(delivery: Delivery, attempts: list[Attempt] | None = None) -> dict[str, Any]:
    view: dict[str, Any] = {
        "id": delivery.id,
        "subscription_id": delivery.subscription_id,
        "event_id": delivery.event_id,
        "event_type": delivery.event_type,
        "summary": delivery.summary,
        "status": delivery.status,
        "attempts": delivery.attempts,
        "next_attempt_at": iso(delivery.next_attempt_at),
        "created_at": iso(delivery.created_at),
        "delivered_at": iso(delivery.delivered_at),
        "last_error": delivery.last_error,
    }
    if attempts is not None:
        view["attempt_log"] = [
            {
                "number": a.number,
                "started_at": iso(a.started_at),
                "finished_at": iso(a.finished_at),
                "outcome": a.outcome,
                "http_status": a.http_status,
                "error": a.error,
            }
            for a in attempts
        ]
    return view


@router.get("/subscriptions/{sub_id}/deliveries", response_model=list[dict[str, Any]])
async def subscription_deliveries(
    sub: Annotated[Subscription, Depends(owned_subscription)], request: Request
) -> Response:
    def log_of(repo: Repository) -> list[dict[str, Any]]:
        deliveries = repo.deliveries_of(sub.id)
        attempts = repo.attempts_of([d.id for d in deliveries])
        return [delivery_view(d, attempts.get(d.id, [])) for d in deliveries]

    return await read_json(request, log_of)


@router.get("/deliveries", response_model=list[dict[str, Any]], dependencies=[Depends(require("admin"))])
async def list_deliveries(
    request: Request,
    status: DeliveryStatus | None = None,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
) -> Response:
    return await read_json(request, lambda repo: [delivery_view(d) for d in repo.deliveries(status, limit)])
