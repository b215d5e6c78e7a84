"""HTTP pieces every service's FastAPI app shares: request-bound logging, JSON errors and their documented schema,
and the request body limit."""

from __future__ import annotations

import time
import uuid
from collections.abc import Awaitable, Callable
from typing import Any

import structlog
from fastapi import FastAPI, Request, Response
from fastapi.exceptions import RequestValidationError
from fastapi.openapi.utils import get_openapi
from fastapi.responses import JSONResponse

log = structlog.get_logger("http")

# A JSON API takes small bodies; ingest's upload routes set their own, larger limit (counted while streaming).
MAX_JSON_BODY_BYTES = 64 * 1024

# What every 422 answer looks like (validation_error below); the OpenAPI document says so.
ERROR_SCHEMA: dict[str, Any] = {
    "title": "HTTPValidationError",
    "type": "object",
    "required": ["detail"],
    "properties": {
        "detail": {"type": "string", "title": "Detail"},
        "errors": {"type": "array", "items": {"$ref": "#/components/schemas/ValidationError"}},
    },
}
FIELD_ERROR_SCHEMA: dict[str, Any] = {
    "title": "ValidationError",
    "type": "object",
    "required": ["field", "message"],
    "properties": {"field": {"type": "string"}, "message": {"type": "string"}},
}


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
    document_errors(app)


def document_errors(app: FastAPI) -> None:
    """FastAPI documents its own 422 shape; ours is `{detail: str, errors: [{field, message}]}`."""

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            schema = get_openapi(title=app.title, version=app.version, description=app.description, routes=app.routes)
            schemas = schema.get("components", {}).get("schemas", {})
            if "HTTPValidationError" in schemas:
                schemas["HTTPValidationError"] = ERROR_SCHEMA
                schemas["ValidationError"] = FIELD_ERROR_SCHEMA
            app.openapi_schema = schema
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]


async def validation_error(request: Request, exc: RequestValidationError) -> JSONResponse:
    """422 with a message naming each bad field (and nothing that might not serialise)."""
    errors = [
        {"field": ".".join(str(p) for p in e["loc"] if p != "body") or "body", "message": e["msg"]}
        for e in exc.errors()
    ]
    detail = "; ".join(f"{e['field']}: {e['message']}" for e in errors)
    return JSONResponse({"detail": detail, "errors": errors}, status_code=422)
