"""The ingest service: documents in over HTTP, events out to POLICY."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Annotated, Any

from fastapi import Depends, FastAPI, File, Form, HTTPException, Query, Request, UploadFile
from fastapi.responses import JSONResponse
from sqlmodel import Session, col, select

from services.common.auth import KeyStore, require, require_before_body
from services.common.db import create_tables, make_engine
from services.common.health import database_probe, health_response, nats_probe, run_probes
from services.common.http import MAX_JSON_BODY_BYTES, install_http_basics
from services.common.nats import BrokerPublisher
from services.common.service import make_broker, start_broker
from services.ingest import store
from services.ingest.domain.readers import MAX_DOCUMENT_BYTES, sniff_suffix
from services.ingest.opendata.run import periodic_poller
from services.ingest.opendata.settings import TkFeedSettings
from services.ingest.pipeline import BatchReport, DocumentInput, IngestPipeline
from services.ingest.settings import IngestSettings

# Counted while the body streams in (FastAPI's max_body_size): a larger upload is cut off with 413 unread.
MAX_BATCH_BYTES = 5 * MAX_DOCUMENT_BYTES
OPERATOR = [Depends(require("ingest"))]


def _status_for(report: BatchReport) -> int:
    if report.files and len(report.failed) == len(report.files):
        return 422  # nothing could be ingested: the caller's input is at fault
    return 200


def create_app(settings: IngestSettings | None = None) -> FastAPI:
    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        resolved = settings or IngestSettings()
        engine = make_engine(resolved.resolved_database_url())
        create_tables(engine, store.metadata)
        broker = make_broker(resolved, "ingest")
        await start_broker(broker, resolved)
        app.state.engine = engine
        app.state.broker = broker
        publisher = BrokerPublisher(broker, resolved.publish_timeout)
        app.state.pipeline = IngestPipeline(engine, publisher, source_id=resolved.source_name)
        try:
            async with periodic_poller(TkFeedSettings(), publisher, engine):  # off unless TK_FEED_ENABLED
                yield
        finally:
            await broker.stop()
            engine.dispose()

    app = FastAPI(
        title="policy-timeline: ingest",
        description="Reads letters to parliament and publishes what they promise as events.",
        lifespan=lifespan,
        max_body_size=MAX_JSON_BODY_BYTES,
    )
    install_http_basics(app)
    app.state.api_keys = KeyStore((settings or IngestSettings()).keys_file)
    require_before_body(app, "ingest", frozenset({"/api/documents", "/api/batches"}))

    @app.post(
        "/api/documents",
        summary="Ingest one document sent as the request body",
        dependencies=OPERATOR,
        max_body_size=MAX_DOCUMENT_BYTES,
    )
    async def ingest_document(
        request: Request,
        name: Annotated[str | None, Query(description="file name; its suffix says the format")] = None,
        date: Annotated[dt.date | None, Query(description="the document's date, if its text has none")] = None,
    ) -> JSONResponse:
        data = await request.body()
        if len(data) > MAX_DOCUMENT_BYTES:
            raise HTTPException(413, f"document too large: {len(data)} bytes (limit {MAX_DOCUMENT_BYTES})")
        if not name:
            suffix = sniff_suffix(data) or (".txt" if "text/" in request.headers.get("content-type", "") else None)
            if suffix is None:
                raise HTTPException(422, "give the document's file name (?name=letter.pdf) so its format is known")
            name = f"upload{suffix}"
        report = await request.app.state.pipeline.ingest([DocumentInput(name, data, date)])
        return JSONResponse(report.to_dict(), status_code=_status_for(report))

    @app.post(
        "/api/batches",
        summary="Ingest several documents as one batch, in document-date order",
        dependencies=OPERATOR,
        max_body_size=MAX_BATCH_BYTES,
    )
    async def ingest_batch(
        request: Request,
        files: Annotated[list[UploadFile], File(description="the documents")],
        dates: Annotated[str | None, Form(description='JSON {"file name": "YYYY-MM-DD"} for undated ones')] = None,
    ) -> JSONResponse:
        supplied = _parse_dates(dates)
        inputs = []
        for upload in files:
            data = await upload.read()
            name = upload.filename or "upload"
            inputs.append(DocumentInput(name, data, supplied.get(name)))
        report = await request.app.state.pipeline.ingest(inputs)
        return JSONResponse(report.to_dict(), status_code=_status_for(report))

    @app.post(
        "/api/reextract", summary="Read the kept documents again with the current extractor", dependencies=OPERATOR
    )
    async def reextract(
        request: Request,
        everything: Annotated[bool, Query(alias="all", description="every document, not only older readings")] = False,
    ) -> dict[str, object]:
        report = await request.app.state.pipeline.reextract(everything)
        return report.to_dict()

    @app.get("/api/documents", summary="Documents in ingest's registry", dependencies=OPERATOR)
    def list_documents(request: Request) -> list[dict[str, Any]]:
        with Session(request.app.state.engine) as session:
            rows = session.exec(select(store.IngestedDocument).order_by(col(store.IngestedDocument.ingested_at))).all()
            return [row.model_dump(mode="json") for row in rows]

    @app.get("/health", summary="Liveness: NATS and the database; 503 naming each missing one")
    @app.get("/ready", summary="Readiness: the same dependencies (ingest needs nothing else)")
    async def health(request: Request) -> JSONResponse:
        probes = {"nats": nats_probe(request.app.state.broker), "database": database_probe(request.app.state.engine)}
        values, problems = await run_probes(probes)
        return health_response(problems, stream_last_sequence=(values.get("nats") or {}).get("last"))

    return app


def _parse_dates(raw: str | None) -> dict[str, dt.date]:
    if not raw:
        return {}
    try:
        obj = json.loads(raw)
        if not isinstance(obj, dict):
            raise ValueError("expected a JSON object")
        return {str(k): dt.date.fromisoformat(str(v)) for k, v in obj.items()}
    except ValueError as exc:
        raise HTTPException(422, f"dates: {exc}") from exc


app = create_app()
