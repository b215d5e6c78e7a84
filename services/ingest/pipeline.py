"""Ingesting a batch: read, extract, link, publish, record. The only writer of ingest's registry.

Documents are recorded only after every event of the batch is acknowledged by JetStream, so a failure half-way
leaves them unrecorded and the next attempt publishes the same ids again (no gaps, no doubles). Bad files are
reported by name and reason and never stop the rest of the batch.

Ingest keeps every document it read and its last extraction. A batch dated after everything known is linked
from the registry as it stands; a document older than one already in is linked with the whole registry again
in document-date order (`relinking`), and the differences are published as corrections, so any arrival order
ends in the same facts. `reextract` reads the kept documents again with a new extractor the same way.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import hashlib
import uuid
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import asdict, dataclass, field

import structlog
from sqlalchemy import func
from sqlalchemy.engine import Engine
from sqlalchemy.orm import defer
from sqlmodel import Session, select

from schemas.deadline_rule import next_watermark, today_in_nl
from schemas.events import CORRECTION_TYPES, Envelope, Source
from services.common.nats import Published
from services.ingest.domain.extract import EXTRACTOR_VERSION, extract
from services.ingest.domain.readers import UnreadableDocument, read_document
from services.ingest.planning import DocumentFacts, plan_watermark
from services.ingest.relinking import fold, order_key, reconcile
from services.ingest.store import (
    IngestedDocument,
    PublishedEvent,
    SourceWatermark,
    StoredDocument,
    extraction_from_json,
    extraction_to_json,
    load_facts,
    load_registry,
    published_ids,
    save_facts,
    save_registry,
)


def extractor_version() -> str:
    """The version of the extraction rules a stored reading is made with (tests swap it for an upgrade)."""
    return EXTRACTOR_VERSION


def source() -> Source:
    return Source(service="ingest", version="1", extractor_version=extractor_version())


log = structlog.get_logger("ingest")

Publish = Callable[[Envelope], Awaitable[Published]]


@dataclass(frozen=True)
class DocumentInput:
    name: str
    data: bytes
    date: dt.date | None = None  # supplied by the caller for a document whose text has no date


@dataclass
class FileResult:
    name: str
    status: str  # published | unchanged | failed
    document_id: str | None = None
    date: str | None = None
    title: str | None = None
    events_published: int = 0
    error: str | None = None
    counts: dict[str, int] = field(default_factory=dict)


@dataclass
class ReextractReport:
    documents_read: int = 0
    documents_changed: list[str] = field(default_factory=list)
    events_published: int = 0
    published: dict[str, int] = field(default_factory=dict)  # by event type
    failed: list[str] = field(default_factory=list)
    version: str = ""

    def to_dict(self) -> dict[str, object]:
        return asdict(self)


@dataclass
class BatchReport:
    files: list[FileResult]
    watermark: str | None = None
    events_published: int = 0
    problems: list[str] = field(default_factory=list)

    @property
    def failed(self) -> list[FileResult]:
        return [f for f in self.files if f.status == "failed"]

    def to_dict(self) -> dict[str, object]:
        return {
            "files": [asdict(f) for f in self.files],
            "watermark": self.watermark,
            "events_published": self.events_published,
            "documents_published": sum(f.status == "published" for f in self.files),
            "documents_unchanged": sum(f.status == "unchanged" for f in self.files),
            "documents_failed": len(self.failed),
            "problems": self.problems,
        }


class IngestPipeline:
    def __init__(self, engine: Engine, publish: Publish, source_id: str = "files") -> None:
        self.engine = engine
        self.publish = publish
        self.source_id = source_id
        self._lock = asyncio.Lock()  # one batch at a time: linking reads what the previous batch recorded

    async def ingest(self, inputs: Sequence[DocumentInput]) -> BatchReport:
        async with self._lock:
            return await self._ingest(inputs)

    async def reextract(self, everything: bool = False) -> ReextractReport:
        async with self._lock:
            return await self._reextract(everything)

    async def _ingest(self, inputs: Sequence[DocumentInput]) -> BatchReport:
        correlation_id = uuid.uuid4().hex
        results: dict[int, FileResult] = {}
        ready: list[tuple[int, DocumentFacts, DocumentInput]] = []
        for index, item in enumerate(inputs):
            facts_or_error = await asyncio.to_thread(_read_and_extract, item)
            if isinstance(facts_or_error, str):
                results[index] = FileResult(item.name, "failed", error=facts_or_error)
                log.warning("document.rejected", file=item.name, reason=facts_or_error)
            else:
                ready.append((index, facts_or_error, item))
        ready.sort(key=lambda triple: order_key(triple[1]))
        report = BatchReport(files=[])
        new: list[tuple[int, DocumentFacts, DocumentInput]] = []
        seen_in_batch: set[str] = set()
        with Session(self.engine) as session:
            for index, facts, item in ready:
                if facts.content_sha256 in seen_in_batch:
                    results[index] = _result(facts, "unchanged", error="same content as another file in this batch")
                elif session.get(IngestedDocument, facts.content_sha256) is not None:
                    log.info("document.unchanged", file=facts.name, document_id=facts.document_id)
                    results[index] = _result(facts, "unchanged")
                    if session.get(StoredDocument, facts.content_sha256) is None:
                        session.add(_stored_row(facts, item))  # ingested before documents were kept: keep it now
                else:
                    new.append((index, facts, item))
                seen_in_batch.add(facts.content_sha256)
            session.commit()
        if new:
            try:
                published = await self._link_and_publish(new, correlation_id)
            except Exception as exc:
                log.error("batch.publish_failed", reason=repr(exc))
                error = f"publishing to NATS failed: {exc!r}; nothing recorded, retry"
                for index, facts, _ in new:
                    results[index] = _result(facts, "failed", error=error)
            else:
                for index, facts, _ in new:
                    results[index] = _result(facts, "published", events_published=published.get(facts.document_id, 0))
                report.events_published += sum(published.values())
        # Only documents now in the log count: the watermark says everything up to it is in.
        complete = [f.date for i, f, _ in ready if f.date and results[i].status != "failed"]
        today = today_in_nl()
        for _, facts, _ in ready:
            if facts.date and facts.date > today:
                report.problems.append(
                    f"{facts.name} is dated {facts.date}, after today: recorded, but it cannot advance the watermark"
                )
                log.warning("document.dated_in_future", file=facts.name, date=facts.date.isoformat())
        if len(complete) == len([f for _, f, _ in ready if f.date]):
            try:
                report.events_published += await self._advance_watermark(complete, len(ready))
            except Exception as exc:
                report.problems.append(f"watermark not published: {exc!r}; it follows with the next batch")
        else:
            report.problems.append("watermark not advanced: some dated documents of this batch failed")
        current = self._watermark()
        report.watermark = current.isoformat() if current else None
        report.files = [results[i] for i in sorted(results)]
        return report

    async def _link_and_publish(
        self, new: list[tuple[int, DocumentFacts, DocumentInput]], correlation_id: str
    ) -> dict[str, int]:
        """Link the new documents (after the registry, or with it again in date order), publish, record.
        Returns the events published per document id (corrections under the empty id)."""
        documents = [facts for _, facts, _ in new]
        with Session(self.engine) as session:
            # The kept bytes are read only when a stored reading no longer fits the model.
            lazy_bytes = defer(StoredDocument.content)  # type: ignore[arg-type]  # a column, whatever mypy sees
            stored = session.exec(select(StoredDocument).options(lazy_bytes)).all()
            newest = max((_stored_key(row) for row in stored), default=None)
            unkept = _unkept(session, stored)
            if unkept:
                log.warning("relink.impossible", reason=f"{unkept} documents ingested before documents were kept; "
                            "ingest them again to keep them")  # fmt: skip
            if newest is None or unkept or min(order_key(f) for f in documents) > newest:
                plan = fold(documents, source(), correlation_id, start=load_registry(session))
                scope: set[str] | None = set()  # after everything known: nothing earlier can change
                reason = "linked after the documents already ingested"
            else:
                plan = fold([*map(_stored_facts, stored), *documents], source(), correlation_id)
                scope = None
                older = ", ".join(sorted(f"{f.document_id} ({f.date or 'undated'})" for f in documents))
                reason = f"re-linked in document-date order: {older} arrived after later documents"
            before = load_facts(session)
        outcome = reconcile(before, plan, reason=reason, source=source(), scope=scope, correlation_id=correlation_id)
        published = await self._publish_new(outcome.publish)
        counts: dict[str, int] = {}
        for event in published:
            key = "" if event.type in CORRECTION_TYPES else str(event.data.get("document_id") or "")
            counts[key] = counts.get(key, 0) + 1
        with Session(self.engine) as session:
            for _, facts, item in new:
                session.add(_ingested_row(facts, counts.get(facts.document_id, 0)))
                session.add(_stored_row(facts, item))
            save_facts(session, before, outcome.facts)
            save_registry(session, plan.registry)
            session.commit()
        for event in outcome.publish:
            if event.type in CORRECTION_TYPES:
                log.info("correction.published", type=event.type, subject=event.subject, reason=reason)
        return counts

    async def _reextract(self, everything: bool) -> ReextractReport:
        version = extractor_version()
        report = ReextractReport(version=version)
        with Session(self.engine) as session:
            stored = session.exec(select(StoredDocument)).all()
            before = load_facts(session)
            unkept = _unkept(session, stored)
        if unkept:
            report.failed.append(f"{unkept} documents were ingested before ingest kept documents: ingest them again")
            return report
        readings: dict[str, str] = {}
        documents: list[DocumentFacts] = []
        for row in stored:
            if everything or row.extractor_version != version:
                item = DocumentInput(row.name, row.content, row.supplied_date)
                facts = await asyncio.to_thread(_read_and_extract, item)
                report.documents_read += 1
                if isinstance(facts, str):
                    report.failed.append(facts)
                    documents.append(_stored_facts(row))
                    continue
                readings[row.content_sha256] = extraction_to_json(facts.extraction)
                if readings[row.content_sha256] != row.extraction:
                    report.documents_changed.append(facts.document_id)
                documents.append(facts)
            else:
                documents.append(_stored_facts(row))
        if report.documents_changed:
            plan = fold(documents, source())
            reason = f"re-extracted with extractor {version}"
            outcome = reconcile(before, plan, reason=reason, source=source())
            published = await self._publish_new(outcome.publish)
            report.events_published = len(published)
            for event in published:
                report.published[event.type] = report.published.get(event.type, 0) + 1
        with Session(self.engine) as session:
            for row in stored:
                if row.content_sha256 in readings:
                    row.extraction = readings[row.content_sha256]
                    row.extractor_version = version
                    row.date = extraction_from_json(row.extraction).document.date
                    session.merge(row)
            if report.documents_changed:
                save_facts(session, before, outcome.facts)
                save_registry(session, plan.registry)
            session.commit()
        log.info("reextract.done", **{k: v for k, v in report.to_dict().items() if k != "published"})
        return report

    def _watermark(self) -> dt.date | None:
        with Session(self.engine) as session:
            row = session.get(SourceWatermark, self.source_id)
            return row.up_to if row else None

    async def _advance_watermark(self, dates: list[dt.date], documents: int) -> int:
        """Every document dated up to the newest date of a complete batch is in (schemas.deadline_rule)."""
        up_to = next_watermark(self._watermark(), dates, today_in_nl())
        if up_to is None:
            return 0
        published = await self._publish_new([plan_watermark(self.source_id, up_to, documents, source())])
        with Session(self.engine) as session:
            session.merge(SourceWatermark(source=self.source_id, up_to=up_to))
            session.commit()
        return len(published)

    async def _publish_new(self, events: list[Envelope]) -> list[Envelope]:
        """Publish what was not published before; the events JetStream stored (not duplicates)."""
        published: list[Envelope] = []
        with Session(self.engine) as session:
            already = published_ids(session, [e.id for e in events])
        for event in events:
            if event.id in already:
                continue
            ack = await self.publish(event)
            with Session(self.engine) as session:
                session.add(
                    PublishedEvent(
                        event_id=event.id,
                        type=event.type,
                        subject=event.subject,
                        sequence=ack.sequence,
                        published_at=dt.datetime.now(dt.UTC),
                    )
                )
                session.commit()
            if not ack.duplicate:
                published.append(event)
        return published


def _unkept(session: Session, stored: Sequence[StoredDocument]) -> int:
    """Documents ingested before ingest kept what it read: re-linking without them would forget them."""
    return int(session.exec(select(func.count()).select_from(IngestedDocument)).one()) - len(stored)


def _stored_key(row: StoredDocument) -> tuple[bool, dt.date, str, str]:
    return (row.date is None, row.date or dt.date.min, row.document_id, row.content_sha256)


def _stored_facts(row: StoredDocument) -> DocumentFacts:
    try:
        extraction = extraction_from_json(row.extraction)
    except ValueError:  # kept by an extractor whose model differs: read the kept document again
        facts = _read_and_extract(DocumentInput(row.name, row.content, row.supplied_date))
        if isinstance(facts, str):
            raise
        return facts
    return DocumentFacts(row.name, row.content_sha256, extraction, date_supplied=row.supplied_date is not None)


def _stored_row(facts: DocumentFacts, item: DocumentInput) -> StoredDocument:
    return StoredDocument(
        content_sha256=facts.content_sha256,
        document_id=facts.document_id,
        name=item.name,
        content=item.data,
        supplied_date=item.date,
        date=facts.date,
        extractor_version=extractor_version(),
        extraction=extraction_to_json(facts.extraction),
    )


def _ingested_row(facts: DocumentFacts, events: int) -> IngestedDocument:
    doc = facts.extraction.document
    return IngestedDocument(
        content_sha256=facts.content_sha256,
        document_id=facts.document_id,
        source_name=facts.name,
        date=doc.date,
        kind=doc.kind,
        title=doc.title,
        ingested_at=dt.datetime.now(dt.UTC),
        events=events,
    )


def _result(facts: DocumentFacts, status: str, events_published: int = 0, error: str | None = None) -> FileResult:
    ex = facts.extraction
    return FileResult(
        name=facts.name,
        status=status,
        document_id=facts.document_id,
        date=facts.date.isoformat() if facts.date else None,
        title=ex.document.title,
        events_published=events_published,
        error=error,
        counts={
            "motions": len({m.id for m in ex.motions if m.id}),
            "commitments": len(ex.commitments),
            "meetings": len(ex.meetings),
        },
    )


def _read_and_extract(item: DocumentInput) -> DocumentFacts | str:
    """The document's facts, or the reason it cannot be ingested (naming the file)."""
    try:
        text = read_document(item.name, item.data)
    except UnreadableDocument as exc:
        return str(exc)
    try:
        extraction = extract(text, document_date=item.date)
    except Exception as exc:  # an extractor bug must not take the batch down
        return f"{item.name}: extraction failed: {exc!r}"
    return DocumentFacts(
        name=item.name,
        content_sha256=hashlib.sha256(item.data).hexdigest(),
        extraction=extraction,
        date_supplied=item.date is not None,
    )
