"""HTTP pieces every service's FastAPI app shares: request-bound logging and JSON errors."""

from __future__ import annotations

import time
import uuid
from collections.abc import Awaitable, Callable

import structlog
from fastapi import FastAPI, Request, Response
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse

log = structlog.get_logger("http")


def install_http_basics(app: FastAPI) -> None:
    @app.middleware("http")
    async def bind_request(request: Request, call_next: Callable[[Request], Awaitable[Response]]) -> Response:
        request_id = request.headers.get("x-request-id") or uuid.uuid4().hex[:16]
        structlog.contextvars.clear_contextvars()
        structlog.contextvars.bind_contextvars(request_id=request_id, method=request.method, path=request.url.path)
        started = time.perf_counter()
        try:
            response = await call_next(request)
        except Exception:
            log.exception("request.failed")
            response = JSONResponse({"detail": "internal error", "request_id": request_id}, status_code=500)
        response.headers["x-request-id"] = request_id
        # Health polls would drown everything else at INFO.
        emit = log.debug if request.url.path in ("/health", "/ready") else log.info
        emit("request", status=response.status_code, ms=round((time.perf_counter() - started) * 1000, 1))
        structlog.contextvars.clear_contextvars()
        return response

    app.add_exception_handler(RequestValidationError, validation_error)  # type: ignore[arg-type]


async def validation_error(request: Request, exc: RequestValidationError) -> JSONResponse:
    """422 with a message naming each bad field (and nothing that might not serialise)."""
    errors = [
        {"field": ".".join(str(p) for p in e["loc"] if p != "body") or "body", "message": e["msg"]}
        for e in exc.errors()
    ]
    detail = "; ".join(f"{e['field']}: {e['message']}" for e in errors)
    return JSONResponse({"detail": detail, "errors": errors}, status_code=422)
