"""Events read from the Tweede Kamer's own open data (OData v4 of the Gegevensmagazijn).

Every event carries the parliament's record GUID and the record's `ApiGewijzigdOp`: the event id is derived from
both, so a re-poll publishes nothing new and a record changed upstream becomes a new event, never an overwrite.
Registered in `schemas.events.EVENT_TYPES` (events.py imports this module at its end).
"""

from __future__ import annotations

import datetime as dt
from typing import ClassVar, Literal

from pydantic import BaseModel, ConfigDict, Field

import schemas.events as _events
from schemas.events import EventData

OPEN_DATA_SOURCE = "tk-opendata"

Appraisal = Literal[
    "advised_against",  # Ontraden
    "left_to_house",  # Oordeel Kamer
    "premature",  # Ontijdig
    "superfluous",  # Overbodig
    "not_available",  # Niet beschikbaar bij gewijzigde moties en/of amendementen
    "no_appraisal",  # Geen (expliciete) appreciatie
    "asked_to_hold",  # Verzocht motie aan te houden
    "not_yet_known",  # Nog niet bekend
]
Decision = Literal["adopted", "rejected", "held", "withdrawn"]
RegisterStatus = Literal["open", "fulfilled", "partly_fulfilled", "lapsed"]


class _Record(EventData):
    """Fields every open-data event shares: which upstream record, as of which change."""

    record_id: str = Field(description="the parliament's GUID of the record this event was read from")
    source_modified: dt.datetime = Field(description="the record's ApiGewijzigdOp")


class PartyVote(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    party: str
    vote: Literal["for", "against", "not_participating"]
    seats: int | None = None
    member: str | None = Field(None, description="set on a roll-call (hoofdelijke) vote: the member who voted")
    mistaken: bool = Field(False, description="the party declared the vote a mistake (Vergissing)")


class MotionSubmitted(_Record):
    TYPE: ClassVar[str] = "motion.submitted"
    AGGREGATE: ClassVar[str] = "motion"

    motion_id: str
    document_id: str = Field(description="the motion's own Kamerstuk id, kst-<dossier>-<number>")
    title: str
    text: str = Field(description="the operative requests ('verzoekt de regering ...'), one per line")
    submitters: list[str]
    parties: list[str] = Field(default_factory=list)
    submitted_on: dt.date | None
    zaak_number: str | None = None

    def aggregate_id(self) -> str:
        return self.motion_id


class MotionAppraised(_Record):
    TYPE: ClassVar[str] = "motion.appraised"
    AGGREGATE: ClassVar[str] = "motion"

    motion_id: str
    appraisal: Appraisal
    appraisal_text: str = Field(description="the Kabinetsappreciatie as the parliament records it")

    def aggregate_id(self) -> str:
        return self.motion_id


class MotionDecided(_Record):
    TYPE: ClassVar[str] = "motion.decided"
    AGGREGATE: ClassVar[str] = "motion"

    motion_id: str
    decision: Decision
    decision_text: str = Field(description="BesluitSoort and BesluitTekst as recorded")
    decided_on: dt.date | None
    votes: list[PartyVote] = Field(default_factory=list)

    def aggregate_id(self) -> str:
        return self.motion_id


class _CommitteeDebate(_Record):
    AGGREGATE: ClassVar[str] = "forum"

    forum_id: str
    forum: str
    activity_number: str
    subject: str

    def aggregate_id(self) -> str:
        return self.forum_id


class ForumMeetingMoved(_CommitteeDebate):
    TYPE: ClassVar[str] = "forum.meeting_moved"

    scheduled_for: dt.date | None = Field(description="the date the record still holds (the old one)")
    moved_to: dt.date | None = Field(None, description="the new day, when the subject says ('verplaatst naar ...')")


class ForumMeetingCancelled(_CommitteeDebate):
    TYPE: ClassVar[str] = "forum.meeting_cancelled"

    scheduled_for: dt.date | None


class CommitmentStatusReported(_Record):
    """The status the register of commitments (Toezegging) gives a commitment; the commitment itself is a
    `commitment.made` with DatumNakoming as its deadline."""

    TYPE: ClassVar[str] = "commitment.status_reported"
    AGGREGATE: ClassVar[str] = "commitment"

    commitment_id: str
    register_number: str
    status: RegisterStatus
    status_text: str = Field(description="the Status as the register records it")
    fulfilled_by: str | None = Field(None, description="KamerbriefNakoming: the letter that fulfils it")

    def aggregate_id(self) -> str:
        return self.commitment_id


class OpenDataRecordDeleted(_Record):
    """A tombstone (`Verwijderd: true`): the parliament withdrew the record; earlier events stay as they were."""

    TYPE: ClassVar[str] = "opendata.record_deleted"
    AGGREGATE: ClassVar[str] = "source"

    source: str = OPEN_DATA_SOURCE
    entity: str
    motion_id: str | None = Field(None, description="set when the deleted record is a motion read before")

    def aggregate_id(self) -> str:
        return self.source


OPEN_DATA_EVENTS: tuple[type[EventData], ...] = (
    MotionSubmitted,
    MotionAppraised,
    MotionDecided,
    ForumMeetingMoved,
    ForumMeetingCancelled,
    CommitmentStatusReported,
    OpenDataRecordDeleted,
)
_events.EVENT_TYPES.update({cls.TYPE: cls for cls in OPEN_DATA_EVENTS})
