"""From one document's extraction and links to the events that record it. Pure: no I/O, no clock.

Event ids are derived from the document and the sentence, so planning the same document twice gives
the same ids, and the registry (or the stream's duplicate window) turns the second time into a no-op.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace

from schemas import ids
from schemas.codec import day_start, make_event
from schemas.events import (
    CommitmentDeadlineRevised,
    CommitmentFulfilled,
    CommitmentMade,
    DocumentIngested,
    Due,
    Envelope,
    EventData,
    ForumMeetingReported,
    IngestWatermark,
    KamerstukRef,
    MotionReferenced,
    Source,
)
from services.ingest.domain.linking import KnownCommitment, Link
from services.ingest.domain.model import CommitmentStatement, DueInterval, Extraction


@dataclass(frozen=True)
class DocumentFacts:
    name: str
    content_sha256: str
    extraction: Extraction
    date_supplied: bool

    @property
    def date(self) -> dt.date | None:
        return self.extraction.document.date

    @property
    def document_id(self) -> str:
        kamerstuk = self.extraction.document.kamerstuk
        if kamerstuk:
            return ids.kamerstuk_document_id(kamerstuk.dossier, kamerstuk.number)
        return ids.content_document_id(self.content_sha256)


@dataclass(frozen=True)
class CommitmentChange:
    """How ingest's registry of known commitments changes when the document is recorded."""

    commitment_id: str
    kind: str  # made | revised | restated | fulfilled
    statement: CommitmentStatement | None
    due: DueInterval | None
    stated_on: dt.date | None


def resolve_motions(extraction: Extraction, by_submitter: dict[str, set[str]]) -> Extraction:
    """A motion named without a number ("de motie Koopmans c.s.") takes the number of the one motion of that
    submitter seen before, in this document or an earlier one; with none or several, it stays unnumbered."""
    known = {k: set(v) for k, v in by_submitter.items()}
    for mention in extraction.motions:
        if mention.id and mention.submitter:
            known.setdefault(mention.submitter.lower(), set()).add(mention.id)
    resolved = []
    for mention in extraction.motions:
        candidates = known.get((mention.submitter or "").lower(), set())
        if mention.id is None and len(candidates) == 1:
            mention = replace(mention, id=next(iter(candidates)))
        resolved.append(mention)
    unique = tuple(dict((m.id or f"?{i}", m) for i, m in enumerate(resolved)).values())
    return replace(extraction, motions=unique)


def to_due(interval: DueInterval | None) -> Due | None:
    if interval is None:
        return None
    return Due(
        start=interval.start,
        end=interval.end,
        precision=interval.precision,
        recurring=interval.recurring,
        phrase=interval.phrase,
    )


def _moment(day: dt.date | None) -> dt.datetime | None:
    return day_start(day) if day else None


def plan_document(
    facts: DocumentFacts,
    links: list[Link],
    known: dict[str, KnownCommitment],
    source: Source,
    correlation_id: str | None = None,
) -> tuple[list[Envelope], list[CommitmentChange]]:
    doc = facts.extraction.document
    document_id = facts.document_id
    when = _moment(facts.date)
    motion_ids = list(dict.fromkeys(m.id for m in facts.extraction.motions if m.id))
    ingested = make_event(
        DocumentIngested(
            document_id=document_id,
            title=doc.title,
            kind=doc.kind,
            date=doc.date,
            date_supplied=facts.date_supplied,
            kamerstuk=KamerstukRef(dossier=doc.kamerstuk.dossier, number=doc.kamerstuk.number)
            if doc.kamerstuk
            else None,
            source_name=facts.name,
            content_sha256=facts.content_sha256,
            motions=motion_ids,
            commitments=len(facts.extraction.commitments),
            meetings=len(facts.extraction.meetings),
        ),
        occurred_at=when,
        source=source,
        unique=(facts.content_sha256,),
        correlation_id=correlation_id,
    )
    events: list[Envelope] = [ingested]

    def emit(data: EventData, occurred_at: dt.datetime | None, *unique: object) -> None:
        events.append(
            make_event(
                data,
                occurred_at=occurred_at,
                source=source,
                unique=(document_id, *unique),
                correlation_id=correlation_id,
                causation_id=ingested.id,
            )
        )

    seen_motions: set[str] = set()
    for mention in facts.extraction.motions:
        if mention.id and mention.id not in seen_motions:
            seen_motions.add(mention.id)
            emit(
                MotionReferenced(
                    motion_id=mention.id,
                    submitter=mention.submitter,
                    document_id=document_id,
                    sentence=mention.sentence,
                ),
                when,
            )

    for meeting in facts.extraction.meetings:
        emit(
            ForumMeetingReported(
                forum_id=ids.forum_id(meeting.forum),
                forum=meeting.forum,
                start=meeting.start,
                end=meeting.end,
                held=meeting.held,
                document_id=document_id,
                sentence=meeting.sentence,
            ),
            _moment(meeting.start),
            meeting.start,
            meeting.end,
        )

    changes: list[CommitmentChange] = []
    for link in links:
        statement = link.statement
        if link.kind == "made" and statement is not None:
            commitment = ids.commitment_id(document_id, statement.text)
            emit(
                CommitmentMade(
                    commitment_id=commitment,
                    text=statement.text,
                    actor=statement.actor,
                    due=to_due(statement.due),
                    deliverable=statement.deliverable,
                    document_id=document_id,
                    motions=list(statement.motions) or motion_ids,
                    forums=list(statement.forums),
                    topic=sorted(statement.topic),
                ),
                when,
                statement.text,
            )
            changes.append(CommitmentChange(commitment, "made", statement, statement.due, facts.date))
            if statement.fulfilled_here:
                emit(
                    CommitmentFulfilled(
                        commitment_id=commitment,
                        evidence=statement.text,
                        document_id=document_id,
                        fulfilled_on=facts.date,
                    ),
                    when,
                    "fulfilled",
                    statement.text,
                )
                changes.append(CommitmentChange(commitment, "fulfilled", statement, statement.due, facts.date))
        elif link.kind == "revised" and statement is not None and link.commitment_id:
            emit(
                CommitmentDeadlineRevised(
                    commitment_id=link.commitment_id,
                    due=to_due(statement.due),
                    previous_due=to_due(known[link.commitment_id].due) if link.commitment_id in known else None,
                    text=statement.text,
                    document_id=document_id,
                ),
                when,
                statement.text,
            )
            changes.append(CommitmentChange(link.commitment_id, "revised", statement, statement.due, facts.date))
        elif link.kind == "restated" and link.commitment_id:
            changes.append(CommitmentChange(link.commitment_id, "restated", statement, None, facts.date))
        elif link.kind == "fulfilled" and link.commitment_id:
            evidence = link.delivery.sentence if link.delivery else statement.text if statement else ""
            emit(
                CommitmentFulfilled(
                    commitment_id=link.commitment_id,
                    evidence=evidence,
                    document_id=document_id,
                    fulfilled_on=link.fulfilled_on,
                ),
                _moment(link.fulfilled_on or facts.date),
                "fulfilled",
                evidence,
            )
            changes.append(CommitmentChange(link.commitment_id, "fulfilled", statement, None, facts.date))
    return events, changes


def plan_watermark(source_id: str, up_to: dt.date, documents: int, source: Source) -> Envelope:
    return make_event(
        IngestWatermark(source=source_id, up_to=up_to, documents=documents),
        occurred_at=day_start(up_to),
        source=source,
        unique=(up_to.isoformat(),),
    )
