"""The timeline's own database: tables of the projection, on a MetaData no other service shares (the ORM)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import MetaData, Text
from sqlmodel import Column, Field, SQLModel

from services.common.checkpoint import checkpoint_table


class TimelineTable(SQLModel):
    metadata = MetaData()


class Document(TimelineTable, table=True):
    id: str = Field(primary_key=True)
    title: str | None = None
    kind: str
    date: dt.date | None = Field(default=None, index=True)
    date_supplied: bool = False
    dossier: str | None = None
    number: str | None = None
    source_name: str
    content_sha256: str
    event_id: str


class Motion(TimelineTable, table=True):
    id: str = Field(primary_key=True)
    submitter: str | None = None


class Forum(TimelineTable, table=True):
    id: str = Field(primary_key=True)
    name: str


class Commitment(TimelineTable, table=True):
    """Current state of a commitment, derived from its history (see `timeline.handlers.refresh_commitment`)."""

    id: str = Field(primary_key=True)
    text: str = Field(sa_column=Column(Text, nullable=False))
    actor: str | None = None
    deliverable: str | None = None
    document_id: str
    made_on: dt.date | None = None
    due_start: dt.date | None = None
    due_end: dt.date | None = Field(default=None, index=True)
    due_precision: str | None = None
    due_phrase: str | None = None
    status: str = Field(index=True)  # open | overdue | fulfilled | merged | withdrawn
    fulfilled_on: dt.date | None = None
    overdue_since: dt.date | None = None
    revisions: int = 0
    merged_into: str | None = None  # status merged: the commitment that carries it on
    closed_reason: str | None = Field(default=None, sa_column=Column(Text))  # merged or withdrawn: why


class CommitmentRef(TimelineTable, table=True):
    """The motions and forums a commitment was made under."""

    commitment_id: str = Field(primary_key=True)
    kind: str = Field(primary_key=True)  # motion | forum
    ref_id: str = Field(primary_key=True, index=True)


class Meeting(TimelineTable, table=True):
    event_id: str = Field(primary_key=True)
    forum_id: str = Field(index=True)
    start: dt.date
    end: dt.date
    held: bool
    document_id: str
    sentence: str = Field(sa_column=Column(Text, nullable=False))


class TimelineEntry(TimelineTable, table=True):
    """One event, as a line on every timeline it concerns."""

    event_id: str = Field(primary_key=True)
    sequence: int = Field(index=True)
    type: str
    aggregate_id: str
    occurred_at: dt.datetime | None = None
    occurred_on: dt.date | None = Field(default=None, index=True)
    document_id: str | None = None
    summary: str = Field(sa_column=Column(Text, nullable=False))
    data: str = Field(sa_column=Column(Text, nullable=False))  # the event's data, JSON


class EntryRef(TimelineTable, table=True):
    event_id: str = Field(primary_key=True)
    kind: str = Field(primary_key=True)  # motion | forum | commitment | document | source
    ref_id: str = Field(primary_key=True, index=True)


metadata = TimelineTable.metadata
checkpoint = checkpoint_table(metadata)
