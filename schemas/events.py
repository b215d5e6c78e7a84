"""Event models: the envelope and one small data model per event type.

Events are past tense, one aggregate each, never edited: a correction is a new event.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, ClassVar, Literal

from pydantic import BaseModel, ConfigDict, Field


class EventData(BaseModel):
    """Base of every event's `data`. Subclasses name their type, version and aggregate."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    TYPE: ClassVar[str]
    VERSION: ClassVar[int] = 1
    AGGREGATE: ClassVar[str]

    def aggregate_id(self) -> str:
        raise NotImplementedError


class Due(BaseModel):
    """A deadline as a closed interval of dates; it passes at the next day 00:00 Europe/Amsterdam."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    start: dt.date
    end: dt.date
    precision: str = Field(
        description="day | days | month | quarter | half | year | season | part_of_year | before | vague"
    )
    recurring: str | None = None
    phrase: str = ""


class KamerstukRef(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    dossier: str
    number: str


class DocumentIngested(EventData):
    TYPE: ClassVar[str] = "document.ingested"
    AGGREGATE: ClassVar[str] = "document"

    document_id: str
    title: str | None
    kind: str
    date: dt.date | None = Field(description="the document's own date; null when its text has none")
    date_supplied: bool = Field(False, description="true when the caller gave the date, not the text")
    kamerstuk: KamerstukRef | None = None
    source_name: str = Field(description="file name or upload name")
    content_sha256: str
    motions: list[str] = []
    commitments: int = 0
    meetings: int = 0

    def aggregate_id(self) -> str:
        return self.document_id


class MotionReferenced(EventData):
    TYPE: ClassVar[str] = "motion.referenced"
    AGGREGATE: ClassVar[str] = "motion"

    motion_id: str
    submitter: str | None = None
    document_id: str
    sentence: str

    def aggregate_id(self) -> str:
        return self.motion_id


class CommitmentMade(EventData):
    TYPE: ClassVar[str] = "commitment.made"
    AGGREGATE: ClassVar[str] = "commitment"

    commitment_id: str
    text: str
    actor: str | None
    due: Due | None = Field(description="null: no deadline, open and never overdue")
    deliverable: str | None = None
    document_id: str
    motions: list[str] = []
    forums: list[str] = []
    topic: list[str] = Field(default=[], description="content words used to link later letters")

    def aggregate_id(self) -> str:
        return self.commitment_id


class CommitmentDeadlineRevised(EventData):
    TYPE: ClassVar[str] = "commitment.deadline_revised"
    AGGREGATE: ClassVar[str] = "commitment"

    commitment_id: str
    due: Due | None
    previous_due: Due | None
    text: str = Field(description="the sentence that moves the deadline")
    document_id: str

    def aggregate_id(self) -> str:
        return self.commitment_id


class CommitmentFulfilled(EventData):
    TYPE: ClassVar[str] = "commitment.fulfilled"
    AGGREGATE: ClassVar[str] = "commitment"

    commitment_id: str
    evidence: str = Field(description="the sentence or note that shows the commitment was met")
    document_id: str | None = None
    fulfilled_on: dt.date | None = None
    by: Literal["ingest", "curator", "open_data"] = "ingest"

    def aggregate_id(self) -> str:
        return self.commitment_id


class ForumMeetingReported(EventData):
    TYPE: ClassVar[str] = "forum.meeting_reported"
    AGGREGATE: ClassVar[str] = "forum"

    forum_id: str
    forum: str
    start: dt.date
    end: dt.date
    held: bool
    document_id: str
    sentence: str

    def aggregate_id(self) -> str:
        return self.forum_id


class IngestWatermark(EventData):
    TYPE: ClassVar[str] = "ingest.watermark"
    AGGREGATE: ClassVar[str] = "source"

    source: str
    up_to: dt.date = Field(description="every document dated up to this day has been published")
    documents: int = 0

    def aggregate_id(self) -> str:
        return self.source


class CommitmentDeadlinePassed(EventData):
    TYPE: ClassVar[str] = "commitment.deadline_passed"
    AGGREGATE: ClassVar[str] = "commitment"

    commitment_id: str
    deadline: dt.date = Field(description="the last day of the due interval")
    due: Due
    text: str = ""

    def aggregate_id(self) -> str:
        return self.commitment_id


class DocumentReading(BaseModel):
    """What the extractor read about a document as a whole."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    title: str | None
    kind: str
    date: dt.date | None
    motions: list[str] = []
    commitments: int = 0
    meetings: int = 0


class DocumentReadingChanged(EventData):
    """The document reads differently now (a new extractor, or a motion resolved by an older letter)."""

    TYPE: ClassVar[str] = "document.reading_changed"
    AGGREGATE: ClassVar[str] = "document"

    document_id: str
    corrects: str = Field(description="id of the document.ingested event")
    old: DocumentReading
    new: DocumentReading
    reason: str

    def aggregate_id(self) -> str:
        return self.document_id


class Reading(BaseModel):
    """What one statement says about its commitment, as the extractor read and linking placed it."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    text: str
    actor: str | None = None
    due: Due | None = None
    deliverable: str | None = None
    motions: list[str] = []
    forums: list[str] = []
    previous_due: Due | None = Field(None, description="of a revision: the deadline it moved")

    @classmethod
    def of(cls, event_type: str, data: dict[str, Any]) -> Reading:
        """The reading of a commitment.made or commitment.deadline_revised event's data."""
        return cls.model_validate({k: data[k] for k in READING_FIELDS[event_type] if k in data})


# Which fields of a statement's event data make its reading (the rest, like `topic`, only helps linking).
READING_FIELDS: dict[str, frozenset[str]] = {
    "commitment.made": frozenset({"text", "actor", "due", "deliverable", "motions", "forums"}),
    "commitment.deadline_revised": frozenset({"text", "due", "previous_due"}),
}


class CommitmentReadingChanged(EventData):
    """A statement of the commitment reads differently now (a new extractor, or linking in date order)."""

    TYPE: ClassVar[str] = "commitment.reading_changed"
    AGGREGATE: ClassVar[str] = "commitment"

    commitment_id: str
    corrects: str = Field(description="id of the commitment.made or commitment.deadline_revised event")
    statement: str = Field(description="the type of the corrected event")
    document_id: str
    old: Reading
    new: Reading
    reason: str

    def aggregate_id(self) -> str:
        return self.commitment_id


class CommitmentWithdrawn(EventData):
    """The commitment is no longer read from any document: it leaves every list, its history stays."""

    TYPE: ClassVar[str] = "commitment.withdrawn"
    AGGREGATE: ClassVar[str] = "commitment"

    commitment_id: str
    document_id: str | None = Field(None, description="the document that made it")
    reason: str

    def aggregate_id(self) -> str:
        return self.commitment_id


class CommitmentMerged(EventData):
    """The commitment is a later statement of an older one: `into` carries it on, this one is closed."""

    TYPE: ClassVar[str] = "commitment.merged"
    AGGREGATE: ClassVar[str] = "commitment"

    commitment_id: str
    into: str = Field(description="the commitment that carries it on")
    reason: str

    def aggregate_id(self) -> str:
        return self.commitment_id


class CommitmentStatementRetracted(EventData):
    """One revision or fulfilment no longer belongs to the commitment; the commitment itself stays."""

    TYPE: ClassVar[str] = "commitment.statement_retracted"
    AGGREGATE: ClassVar[str] = "commitment"

    commitment_id: str
    retracts: str = Field(description="id of the retracted event")
    statement: str = Field(description="the type of the retracted event")
    document_id: str | None = None
    reason: str

    def aggregate_id(self) -> str:
        return self.commitment_id


EVENT_TYPES: dict[str, type[EventData]] = {
    cls.TYPE: cls
    for cls in (
        DocumentIngested,
        MotionReferenced,
        CommitmentMade,
        CommitmentDeadlineRevised,
        CommitmentFulfilled,
        ForumMeetingReported,
        IngestWatermark,
        CommitmentDeadlinePassed,
        CommitmentReadingChanged,
        DocumentReadingChanged,
        CommitmentWithdrawn,
        CommitmentMerged,
        CommitmentStatementRetracted,
    )
}


# Events that correct what ingest published before (see services/ingest/relinking.py), not news of the world.
CORRECTION_TYPES = frozenset(
    {
        CommitmentReadingChanged.TYPE,
        CommitmentMerged.TYPE,
        CommitmentWithdrawn.TYPE,
        CommitmentStatementRetracted.TYPE,
        DocumentReadingChanged.TYPE,
    }
)


class Source(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    service: str
    version: str
    # optional with a default, so envelopes recorded before it existed still parse; no upcaster needed, as
    # upcasters convert an event type's `data`, and the envelope has no schema version of its own
    extractor_version: str | None = Field(
        None, description="the extraction rules that produced the event (ingest); null for other services"
    )


class Envelope(BaseModel):
    """What travels on the stream. `id` is deterministic and doubles as the Nats-Msg-Id."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str
    type: str
    version: int
    subject: str = Field(description="the aggregate id")
    occurred_at: dt.datetime | None = Field(description="when it happened in the world; null if the source is undated")
    recorded_at: dt.datetime = Field(description="when we learned it")
    source: Source
    correlation_id: str | None = None
    causation_id: str | None = None
    data: dict[str, Any]

    def payload(self) -> EventData:
        """The typed data. The envelope must already be upcast to the current version."""
        return EVENT_TYPES[self.type].model_validate(self.data)


# The Tweede Kamer open-data events register themselves in EVENT_TYPES (imported last: they subclass EventData).
import schemas.opendata  # noqa: E402, F401
