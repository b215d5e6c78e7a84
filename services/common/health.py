"""/health and /ready for every service: which dependency is missing, as 503 with a JSON body naming it.

/health (liveness) probes what the service cannot work without: NATS and its database. /ready (readiness)
adds what a part of its work needs (notify: the SMTP server). A probe that fails or hangs is reported by name
and reason, never as a 500.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Mapping
from typing import Any

from fastapi.responses import JSONResponse
from faststream.nats import NatsBroker
from sqlalchemy import text
from sqlalchemy.engine import Engine

from schemas.stream import POLICY_STREAM

PROBE_TIMEOUT = 2.0

Probe = Callable[[], Awaitable[Any]]  # returns a value for the body, or raises: the dependency is missing


Values = dict[str, Any]
Problems = dict[str, str]


async def run_probes(probes: Mapping[str, Probe], timeout: float = PROBE_TIMEOUT) -> tuple[Values, Problems]:
    """(values of the probes that answered, reasons of those that did not), probed concurrently."""

    async def one(probe: Probe) -> Any:
        return await asyncio.wait_for(probe(), timeout)

    results = await asyncio.gather(*(one(p) for p in probes.values()), return_exceptions=True)
    values: Values = {}
    problems: Problems = {}
    for name, result in zip(probes, results, strict=True):
        if isinstance(result, TimeoutError):
            problems[name] = f"no answer within {timeout:g}s"
        elif isinstance(result, BaseException):
            problems[name] = str(result) or type(result).__name__
        else:
            values[name] = result
    return values, problems


def health_response(problems: Mapping[str, str], **body: Any) -> JSONResponse:
    """200 when nothing is missing, else 503 naming each missing dependency and why."""
    if not problems:
        return JSONResponse({"status": "ok", **body})
    return JSONResponse(
        {"status": "unavailable", "missing": sorted(problems), "problems": dict(problems), **body}, status_code=503
    )


def nats_probe(broker: NatsBroker, durable: str | None = None) -> Probe:
    """Connected, and JetStream answers: the POLICY stream's last sequence and, for a projection, how many
    messages its durable consumer has not yet acknowledged (its after-commit work included)."""

    async def probe() -> dict[str, int]:
        client = broker._connection  # None before the first connect
        if client is None or not client.is_connected:
            raise ConnectionError("not connected to NATS (reconnecting)")
        js = broker.config.connection_state.stream
        answer = {"last": int((await js.stream_info(POLICY_STREAM)).state.last_seq)}
        if durable:
            info = await js.consumer_info(POLICY_STREAM, durable)
            answer["unacknowledged"] = (info.num_pending or 0) + (info.num_ack_pending or 0)
        return answer

    return probe


def projection_body(values: Mapping[str, Any]) -> dict[str, Any]:
    """How far a projection is behind the stream, from its probes (None where a probe did not answer)."""
    applied, stream = values.get("database"), values.get("nats") or {}
    last = stream.get("last")
    return {
        "applied_sequence": applied,
        "stream_last_sequence": last,
        "lag": None if applied is None or last is None else last - applied,
        "unacknowledged": stream.get("unacknowledged"),
    }


def database_probe(engine: Engine) -> Probe:
    async def probe() -> None:
        def ping() -> None:
            with engine.connect() as conn:
                conn.execute(text("SELECT 1"))

        await asyncio.to_thread(ping)

    return probe


def tcp_probe(host: str, port: int) -> Probe:
    """A server accepts connections (e.g. SMTP), without speaking its protocol."""

    async def probe() -> None:
        try:
            _, writer = await asyncio.open_connection(host, port)
        except OSError as exc:
            raise ConnectionError(f"{host}:{port} not reachable ({exc.strerror or exc})") from exc
        writer.close()
        await writer.wait_closed()

    return probe
