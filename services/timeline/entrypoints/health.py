"""/health and /ready of the timeline: NATS and the database, and how far the projection is behind."""

from __future__ import annotations

import asyncio

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse

from schemas.stream import TIMELINE_CONSUMER
from services.common.health import Probe, health_response, nats_probe, projection_body, run_probes
from services.common.projection import Projection

router = APIRouter()


def probes(request: Request) -> dict[str, Probe]:
    projection: Projection = request.app.state.projection

    async def database() -> int:
        return await asyncio.to_thread(projection.applied_sequence)

    return {"nats": nats_probe(request.app.state.broker, TIMELINE_CONSUMER), "database": database}


@router.get("/health", summary="Liveness: NATS and the database, and the projection's lag")
async def health(request: Request) -> JSONResponse:
    values, problems = await run_probes(probes(request))
    return health_response(problems, **projection_body(values))


@router.get("/ready", summary="Readiness: 503 naming each missing dependency")
async def ready(request: Request) -> JSONResponse:
    _, problems = await run_probes(probes(request))
    return health_response(problems)
