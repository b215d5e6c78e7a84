"""Ingesting a batch: read, extract, link, publish, record. The only writer of ingest's registry.

A document is recorded in the registry only after every one of its events is acknowledged by JetStream,
so a failure half-way leaves it unrecorded and the next attempt publishes the same ids again (no gaps,
no doubles). Bad files are reported by name and reason and never stop the rest of the batch.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import hashlib
import json
import uuid
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import asdict, dataclass, field, replace

import structlog
from sqlalchemy.engine import Engine
from sqlmodel import Session

from schemas.events import Envelope, Source
from services.common.nats import Published
from services.ingest.domain.extract import EXTRACTOR_VERSION, extract
from services.ingest.domain.linking import link_document
from services.ingest.domain.readers import UnreadableDocument, read_document
from services.ingest.planning import (
    CommitmentChange,
    DocumentFacts,
    plan_document,
    plan_watermark,
    resolve_motions,
)
from services.ingest.store import (
    IngestedDocument,
    KnownCommitmentRow,
    KnownMotion,
    PublishedEvent,
    SourceWatermark,
    due_to_json,
    known_commitments,
    motions_by_submitter,
    published_ids,
)

SOURCE = Source(service="ingest", version="1", extractor_version=EXTRACTOR_VERSION)

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

    async def _ingest(self, inputs: Sequence[DocumentInput]) -> BatchReport:
        correlation_id = uuid.uuid4().hex
        results: dict[int, FileResult] = {}
        ready: list[tuple[int, DocumentFacts]] = []
        for index, item in enumerate(inputs):
            facts_or_error = await asyncio.to_thread(_read_and_extract, item)
            if isinstance(facts_or_error, str):
                results[index] = FileResult(item.name, "failed", error=facts_or_error)
                log.warning("document.rejected", file=item.name, reason=facts_or_error)
            else:
                ready.append((index, facts_or_error))
        # Document-date order, so a later letter is linked to what earlier ones promised.
        ready.sort(key=lambda pair: (pair[1].date is None, pair[1].date or dt.date.min, pair[0]))
        report = BatchReport(files=[])
        seen_in_batch: set[str] = set()
        for index, facts in ready:
            if facts.content_sha256 in seen_in_batch:
                results[index] = _result(facts, "unchanged", error="same content as another file in this batch")
                continue
            seen_in_batch.add(facts.content_sha256)
            results[index] = await self._ingest_document(facts, correlation_id)
            report.events_published += results[index].events_published
        # Only documents now in the log count: the watermark says everything up to it is in.
        complete = [f.date for i, f in ready if f.date and results[i].status != "failed"]
        if len(complete) == len([f for _, f in ready if f.date]):
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

    def _watermark(self) -> dt.date | None:
        with Session(self.engine) as session:
            row = session.get(SourceWatermark, self.source_id)
            return row.up_to if row else None

    async def _advance_watermark(self, dates: list[dt.date], documents: int) -> int:
        """Every document dated up to the newest date of a complete batch is in; never move backwards."""
        current = self._watermark()
        if not dates or (current and max(dates) <= current):
            return 0
        published = await self._publish_new([plan_watermark(self.source_id, max(dates), documents, SOURCE)])
        with Session(self.engine) as session:
            session.merge(SourceWatermark(source=self.source_id, up_to=max(dates)))
            session.commit()
        return published

    async def _ingest_document(self, facts: DocumentFacts, correlation_id: str) -> FileResult:
        bound = log.bind(file=facts.name, document_id=facts.document_id)
        with Session(self.engine) as session:
            if session.get(IngestedDocument, facts.content_sha256) is not None:
                bound.info("document.unchanged")
                return _result(facts, "unchanged")
            known = known_commitments(session)
            facts = replace(facts, extraction=resolve_motions(facts.extraction, motions_by_submitter(session)))
        links = link_document(facts.extraction, known)
        events, changes = plan_document(facts, links, {k.id: k for k in known}, SOURCE, correlation_id)
        try:
            published = await self._publish_new(events)
        except Exception as exc:
            bound.error("document.publish_failed", reason=repr(exc))
            return _result(facts, "failed", error=f"publishing to NATS failed: {exc!r}; nothing recorded, retry")
        self._record(facts, changes, len(events))
        bound.info("document.ingested", events=len(events), published=published)
        return _result(facts, "published", events_published=published)

    async def _publish_new(self, events: list[Envelope]) -> int:
        published = 0
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
            published += 0 if ack.duplicate else 1
        return published

    def _record(self, facts: DocumentFacts, changes: list[CommitmentChange], events: int) -> None:
        doc = facts.extraction.document
        with Session(self.engine) as session:
            session.add(
                IngestedDocument(
                    content_sha256=facts.content_sha256,
                    document_id=facts.document_id,
                    source_name=facts.name,
                    date=doc.date,
                    kind=doc.kind,
                    title=doc.title,
                    ingested_at=dt.datetime.now(dt.UTC),
                    events=events,
                )
            )
            for change in changes:
                _apply_change(session, change, facts.document_id)
            for mention in facts.extraction.motions:
                if mention.id and session.get(KnownMotion, mention.id) is None:
                    session.add(KnownMotion(id=mention.id, submitter=mention.submitter))
                    session.flush()
            session.commit()


def _apply_change(session: Session, change: CommitmentChange, document_id: str) -> None:
    row = session.get(KnownCommitmentRow, change.commitment_id)
    statement = change.statement
    if change.kind == "made" and statement is not None:
        if row is None:
            session.add(
                KnownCommitmentRow(
                    id=change.commitment_id,
                    text=statement.text,
                    actor=statement.actor,
                    deliverable=statement.deliverable,
                    topic=json.dumps(sorted(statement.topic)),
                    due=due_to_json(statement.due),
                    stated_on=change.stated_on,
                    document_id=document_id,
                )
            )
            session.flush()
        return
    if row is None:
        return
    if change.kind == "revised":
        row.due = due_to_json(change.due)
    if change.kind == "fulfilled":
        row.fulfilled = True
    if statement is not None:
        # Later wording of the same promise helps link the next letter.
        row.topic = json.dumps(sorted(set(json.loads(row.topic)) | set(statement.topic)))
    if change.stated_on and (row.stated_on is None or change.stated_on > row.stated_on):
        row.stated_on = change.stated_on
    session.add(row)


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
