"""/health: NATS and the database, how far the projection is behind, the deliveries by status.
/ready: the same dependencies and the SMTP server the email channel sends through; 503 naming what is missing."""

from __future__ import annotations

import asyncio
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse

from schemas.stream import NOTIFY_CONSUMER
from services.common.health import Probe, health_response, nats_probe, projection_body, run_probes, tcp_probe
from services.notify.adapters.repository import in_thread
from services.notify.entrypoints.context import notify_of

router = APIRouter()


def probes(request: Request) -> dict[str, Probe]:
    notify = notify_of(request)

    async def database() -> int:
        return await asyncio.to_thread(notify.projection.applied_sequence)

    return {"nats": nats_probe(notify.broker, NOTIFY_CONSUMER), "database": database}


@router.get("/health", summary="Liveness: NATS and the database, the projection's lag, deliveries by status")
async def health(request: Request) -> JSONResponse:
    notify = notify_of(request)

    async def deliveries() -> dict[str, Any]:
        return await in_thread(notify.transactions, lambda repo: repo.delivery_counts())

    values, problems = await run_probes({**probes(request), "deliveries": deliveries})
    if "deliveries" in problems:  # the same database: report it once, under its name
        problems.setdefault("database", problems.pop("deliveries"))
    return health_response(problems, **projection_body(values), deliveries=values.get("deliveries"))


@router.get("/ready", summary="Readiness: NATS, the database and SMTP; 503 naming each missing one")
async def ready(request: Request) -> JSONResponse:
    settings = notify_of(request).settings
    _, problems = await run_probes({**probes(request), "smtp": tcp_probe(settings.smtp_host, settings.smtp_port)})
    return health_response(problems)
