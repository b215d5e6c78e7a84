"""A commitment's or a document's state, computed from the lines of its history. Pure: no database.

A line is one event as the timeline stores it (`Line`: type, ids, event time, stream position, data as JSON).
Arrival order does not matter: states are computed from the whole history in event time.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable, Sequence
from typing import Protocol

from schemas.deadline_rule import Corrected, Correction, DueStatement, Fulfilment, corrected, correction_of
from schemas.events import (
    EVENT_TYPES,
    READING_FIELDS,
    CommitmentDeadlinePassed,
    CommitmentDeadlineRevised,
    CommitmentFulfilled,
    CommitmentMade,
    DocumentReadingChanged,
    Reading,
)
from services.timeline.domain.summaries import summarize


class Line(Protocol):
    event_id: str
    sequence: int
    type: str
    occurred_at: dt.datetime | None
    occurred_on: dt.date | None
    data: str  # the event's data, JSON


def history_key(line: Line) -> tuple[bool, dt.datetime, int]:
    # Undated statements sort after dated ones; ties keep stream order.
    return (line.occurred_at is None, line.occurred_at or dt.datetime.min, line.sequence)


def as_json(data: dict[str, object]) -> str:
    return json.dumps(data, sort_keys=True, ensure_ascii=False)


def read_anew(line: Line, reading: Reading) -> tuple[str, str]:
    """The statement's data and summary as it reads now, after a `commitment.reading_changed`."""
    data = {**json.loads(line.data), **reading.model_dump(mode="json", include=set(READING_FIELDS[line.type]))}
    return as_json(data), summarize(EVENT_TYPES[line.type].model_validate(data))


def document_reads_now(ingested: Line, lines: Iterable[Line]) -> str:
    """The `document.ingested` data with every `document.reading_changed` that corrects it applied."""
    data = ingested.data
    for line in lines:
        if line.type == DocumentReadingChanged.TYPE:
            change = DocumentReadingChanged.model_validate_json(line.data)
            if change.corrects == ingested.event_id:
                data = as_json({**json.loads(data), **change.new.model_dump(mode="json")})
    return data


def rule_facts(commitment_id: str, lines: Sequence[Line]) -> tuple[Corrected, set[dt.date]]:
    """The commitment's history as the deadline rule takes it, and the deadlines published as passed."""
    statements: list[DueStatement] = []
    fulfilments: list[Fulfilment] = []
    corrections: list[Correction] = []
    passed: dict[str, dt.date] = {}
    for line in lines:
        if line.type in (CommitmentMade.TYPE, CommitmentDeadlineRevised.TYPE):
            data = EVENT_TYPES[line.type].model_validate_json(line.data)
            assert isinstance(data, CommitmentMade | CommitmentDeadlineRevised)
            kind = "made" if line.type == CommitmentMade.TYPE else "revised"
            statements.append(DueStatement(line.event_id, commitment_id, kind, line.occurred_at, data.due, data.text))
        elif line.type == CommitmentFulfilled.TYPE:
            fulfilments.append(Fulfilment(line.event_id, commitment_id, line.occurred_at))
        elif line.type == CommitmentDeadlinePassed.TYPE:
            passed[line.event_id] = CommitmentDeadlinePassed.model_validate_json(line.data).deadline
        else:
            fact = correction_of(line.type, line.event_id, json.loads(line.data), line.sequence)
            corrections += [fact] if fact else []
    now = corrected(statements, fulfilments, corrections)
    return now, {deadline for event_id, deadline in passed.items() if event_id not in now.retracted}


def revisions(history: Iterable[Line]) -> int:
    return sum(line.type == CommitmentDeadlineRevised.TYPE for line in history)


def fulfilled_on(history: Iterable[Line]) -> dt.date | None:
    """The earliest fulfilment: the date the evidence names, else the day of the statement."""
    dates = [
        on
        for line in history
        if line.type == CommitmentFulfilled.TYPE
        and (on := CommitmentFulfilled.model_validate_json(line.data).fulfilled_on or line.occurred_on)
    ]
    return min(dates) if dates else None
