"""Ingest's own registry: documents seen (by content hash), commitments known, events published."""

from __future__ import annotations

import datetime as dt
import json

from sqlalchemy import MetaData, Text
from sqlmodel import Column, Field, Session, SQLModel, col, select

from services.ingest.domain.linking import KnownCommitment
from services.ingest.domain.model import DueInterval


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
