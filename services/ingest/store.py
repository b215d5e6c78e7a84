"""Ingest's own registry: documents seen (by content hash), commitments known, events published."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import types
import typing
from typing import Any

from sqlalchemy import LargeBinary, MetaData, Text, delete
from sqlmodel import Column, Field, Session, SQLModel, col, select

from services.ingest.domain.linking import KnownCommitment
from services.ingest.domain.model import DueInterval, Extraction
from services.ingest.relinking import Fact, Registry


class IngestTable(SQLModel):
    metadata = MetaData()


class IngestedDocument(IngestTable, table=True):
    content_sha256: str = Field(primary_key=True)
    document_id: str = Field(index=True)
    source_name: str
    date: dt.date | None = None
    kind: str
    title: str | None = None
    ingested_at: dt.datetime
    events: int = 0


class StoredDocument(IngestTable, table=True):
    """What ingest read, kept so that a new extractor can read it again without a new upload."""

    content_sha256: str = Field(primary_key=True)
    document_id: str = Field(index=True)
    name: str
    content: bytes = Field(sa_column=Column(LargeBinary, nullable=False))
    supplied_date: dt.date | None = None
    date: dt.date | None = None  # the document's date as last read (orders the registry)
    extractor_version: str = Field(index=True)
    extraction: str = Field(sa_column=Column(Text, nullable=False))  # JSON of the last Extraction


class PlannedFact(IngestTable, table=True):
    """A fact ingest published, as it now reads; `live` False once corrected away (see `relinking`)."""

    event_id: str = Field(primary_key=True)
    type: str
    subject: str = Field(index=True)
    document_id: str | None = Field(default=None, index=True)
    occurred_at: str | None = None  # ISO 8601 with offset (SQLite keeps no time zones)
    data: str = Field(sa_column=Column(Text, nullable=False))
    live: bool = True
    published_as: str  # the event that now carries it


class KnownCommitmentRow(IngestTable, table=True):
    id: str = Field(primary_key=True)
    text: str = Field(sa_column=Column(Text, nullable=False))
    actor: str | None = None
    deliverable: str | None = None
    topic: str = Field(sa_column=Column(Text, nullable=False))  # JSON list
    due: str | None = Field(default=None, sa_column=Column(Text))  # JSON DueInterval
    stated_on: dt.date | None = None
    fulfilled: bool = False
    document_id: str


class KnownMotion(IngestTable, table=True):
    id: str = Field(primary_key=True)
    submitter: str | None = Field(default=None, index=True)


class SourceWatermark(IngestTable, table=True):
    """The newest watermark published per source: it only moves forward."""

    source: str = Field(primary_key=True)
    up_to: dt.date


class PublishedEvent(IngestTable, table=True):
    event_id: str = Field(primary_key=True)
    type: str
    subject: str
    sequence: int
    published_at: dt.datetime


metadata = IngestTable.metadata


def due_to_json(due: DueInterval | None) -> str | None:
    if due is None:
        return None
    return json.dumps(
        {"start": due.start.isoformat(), "end": due.end.isoformat(), "precision": due.precision,
         "recurring": due.recurring, "phrase": due.phrase}
    )  # fmt: skip


def due_from_json(raw: str | None) -> DueInterval | None:
    if not raw:
        return None
    obj = json.loads(raw)
    return DueInterval(
        start=dt.date.fromisoformat(obj["start"]),
        end=dt.date.fromisoformat(obj["end"]),
        precision=obj["precision"],
        recurring=obj.get("recurring"),
        phrase=obj.get("phrase", ""),
    )


def known_commitments(session: Session) -> list[KnownCommitment]:
    return [
        KnownCommitment(
            id=row.id,
            actor=row.actor,
            deliverable=row.deliverable,
            topic=frozenset(json.loads(row.topic)),
            due=due_from_json(row.due),
            stated_on=row.stated_on,
            fulfilled=row.fulfilled,
        )
        for row in session.exec(select(KnownCommitmentRow).order_by(KnownCommitmentRow.id)).all()
    ]


def motions_by_submitter(session: Session) -> dict[str, set[str]]:
    by_submitter: dict[str, set[str]] = {}
    for row in session.exec(select(KnownMotion)).all():
        if row.submitter:
            by_submitter.setdefault(row.submitter.lower(), set()).add(row.id)
    return by_submitter


def published_ids(session: Session, event_ids: list[str]) -> set[str]:
    """Which of these events ingest has already published (and had acknowledged)."""
    rows = session.exec(select(PublishedEvent.event_id).where(col(PublishedEvent.event_id).in_(event_ids))).all()
    return set(rows)


def load_facts(session: Session) -> dict[str, Fact]:
    return {
        row.event_id: Fact(
            event_id=row.event_id,
            type=row.type,
            subject=row.subject,
            document_id=row.document_id,
            occurred_at=dt.datetime.fromisoformat(row.occurred_at) if row.occurred_at else None,
            data=json.loads(row.data),
            live=row.live,
            published_as=row.published_as,
        )
        for row in session.exec(select(PlannedFact)).all()
    }


def save_facts(session: Session, before: dict[str, Fact], after: dict[str, Fact]) -> None:
    """Write the facts that changed."""
    for key, fact in after.items():
        if before.get(key) == fact:
            continue
        session.merge(
            PlannedFact(
                event_id=fact.event_id,
                type=fact.type,
                subject=fact.subject,
                document_id=fact.document_id,
                occurred_at=fact.occurred_at.isoformat() if fact.occurred_at else None,
                data=json.dumps(fact.data, sort_keys=True, ensure_ascii=False),
                live=fact.live,
                published_as=fact.published_as,
            )
        )


def load_registry(session: Session) -> Registry:
    origins = {row.id: (row.text, row.document_id) for row in session.exec(select(KnownCommitmentRow)).all()}
    submitters = {row.id: row.submitter for row in session.exec(select(KnownMotion)).all()}
    documents = frozenset(session.exec(select(IngestedDocument.document_id)).all())
    return Registry({k.id: k for k in known_commitments(session)}, origins, submitters, documents)


def save_registry(session: Session, registry: Registry) -> None:
    """Replace what linking knows by `registry` (written whole: a re-link may change any of it)."""
    session.exec(delete(KnownCommitmentRow))
    session.exec(delete(KnownMotion))
    for key in sorted(registry.commitments):
        known = registry.commitments[key]
        text, document_id = registry.origins[key]
        session.add(
            KnownCommitmentRow(
                id=key,
                text=text,
                actor=known.actor,
                deliverable=known.deliverable,
                topic=json.dumps(sorted(known.topic)),
                due=due_to_json(known.due),
                stated_on=known.stated_on,
                fulfilled=known.fulfilled,
                document_id=document_id,
            )
        )
    for motion, submitter in sorted(registry.submitters.items()):
        session.add(KnownMotion(id=motion, submitter=submitter))


def extraction_to_json(extraction: Extraction) -> str:
    return json.dumps(_plain(extraction), sort_keys=True, ensure_ascii=False)


def extraction_from_json(raw: str) -> Extraction:
    """Raises ValueError when the stored reading no longer fits the model (then read the document again)."""
    try:
        return _build(Extraction, json.loads(raw))
    except (TypeError, KeyError, AttributeError) as exc:
        raise ValueError(f"stored extraction does not fit the model: {exc!r}") from exc


def _plain(value: Any) -> Any:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: _plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, frozenset | set):
        return sorted(_plain(v) for v in value)
    if isinstance(value, tuple | list):
        return [_plain(v) for v in value]
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def _build(kind: Any, value: Any) -> Any:
    """The inverse of `_plain`, guided by the type hints of the model's dataclasses."""
    if value is None:
        return None
    origin, args = typing.get_origin(kind), typing.get_args(kind)
    if origin in (typing.Union, types.UnionType):
        return _build(next(a for a in args if a is not type(None)), value)
    if origin is tuple:
        return tuple(_build(args[0], v) for v in value)
    if origin is frozenset:
        return frozenset(_build(args[0], v) for v in value)
    if kind is dt.date:
        return dt.date.fromisoformat(value)
    if isinstance(kind, type) and dataclasses.is_dataclass(kind):
        hints = typing.get_type_hints(kind)
        fields = [f.name for f in dataclasses.fields(kind) if f.name in value]
        return kind(**{name: _build(hints[name], value[name]) for name in fields})
    return value
