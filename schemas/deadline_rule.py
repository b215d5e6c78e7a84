"""The deadline rule (DESIGN.md, "Time"), as pure functions over a commitment's facts: the ONE place that says
what a commitment's current due interval and status are, and when a deadline has passed. notify evaluates it to
publish (and take back) deadline_passed events; the timeline shows the state it gives.

Commitment C with deadline D (the end of a due interval) has passed when the ingest watermark is past D and
no event of C dated on or before D fulfilled it or moved D. Everything is evaluated in event time over sets
of facts, so any arrival order of the same events gives the same passed deadlines.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, timedelta
from typing import Any, Literal

from schemas.codec import AMSTERDAM, day_start
from schemas.events import (
    CommitmentDeadlineRevised,
    CommitmentFulfilled,
    CommitmentMade,
    CommitmentMerged,
    CommitmentReadingChanged,
    CommitmentStatementRetracted,
    CommitmentWithdrawn,
    Due,
    Envelope,
    IngestWatermark,
    Reading,
)


@dataclass(frozen=True)
class DueStatement:
    """A commitment.made or commitment.deadline_revised: the due interval it sets (None: no deadline)."""

    event_id: str
    commitment_id: str
    kind: str  # "made" | "revised"
    occurred_at: datetime | None
    due: Due | None
    text: str = ""


@dataclass(frozen=True)
class Fulfilment:
    event_id: str
    commitment_id: str
    occurred_at: datetime | None


@dataclass(frozen=True)
class WatermarkFact:
    event_id: str
    source: str
    up_to: date


@dataclass(frozen=True)
class Correction:
    """A re-extraction or re-linking correction of a commitment (see services.ingest.relinking).

    Corrections are undated: they apply in stream order (`sequence`), as the timeline applies them.
    """

    event_id: str
    commitment_id: str
    type: str  # one of CLOSURES, READ_ANEW, RETRACTED
    sequence: int
    target: str | None = None  # the corrected or retracted event's id
    reading: Reading | None = None  # of a reading_changed: how the statement reads now


CLOSURES = frozenset({CommitmentMerged.TYPE, CommitmentWithdrawn.TYPE})
READ_ANEW = CommitmentReadingChanged.TYPE
RETRACTED = CommitmentStatementRetracted.TYPE

Fact = DueStatement | Fulfilment | WatermarkFact | Correction


@dataclass(frozen=True)
class PassedDeadline:
    commitment_id: str
    deadline: date
    due: Due
    passed_at: datetime  # the next day 00:00 Europe/Amsterdam
    statement_id: str  # the due statement that set this deadline
    text: str


def local_date(moment: datetime) -> date:
    """The Dutch calendar day of a moment; a naive moment is taken as Dutch time (documents are)."""
    if moment.tzinfo is None:
        return moment.date()
    return moment.astimezone(AMSTERDAM).date()


def passes_at(deadline: date) -> datetime:
    return day_start(deadline + timedelta(days=1))


def fact_from_event(event: Envelope) -> Fact | None:
    """What an event tells the deadline rule; None for events it does not care about."""
    data = event.payload()
    if isinstance(data, CommitmentMade):
        return DueStatement(event.id, data.commitment_id, "made", event.occurred_at, data.due, data.text)
    if isinstance(data, CommitmentDeadlineRevised):
        return DueStatement(event.id, data.commitment_id, "revised", event.occurred_at, data.due, data.text)
    if isinstance(data, CommitmentFulfilled):
        return Fulfilment(event.id, data.commitment_id, event.occurred_at)
    if isinstance(data, IngestWatermark):
        return WatermarkFact(event.id, data.source, data.up_to)
    return None


def correction_from_event(event: Envelope, sequence: int) -> Correction | None:
    """What a correction event tells the deadline rule; None for other events."""
    return correction_of(event.type, event.id, event.data, sequence)


def correction_of(event_type: str, event_id: str, data: Mapping[str, Any], sequence: int) -> Correction | None:
    """The same from an event's type, id and data (as a projection keeps them)."""
    if event_type in CLOSURES:
        return Correction(event_id, data["commitment_id"], event_type, sequence)
    if event_type == READ_ANEW:
        change = CommitmentReadingChanged.model_validate(data)
        return Correction(event_id, change.commitment_id, event_type, sequence, change.corrects, change.new)
    if event_type == RETRACTED:
        return Correction(event_id, data["commitment_id"], event_type, sequence, data["retracts"])
    return None


@dataclass(frozen=True)
class Corrected:
    """A commitment's statements and fulfilments as its corrections leave them."""

    statements: list[DueStatement]
    fulfilments: list[Fulfilment]
    closed: bool  # merged or withdrawn: it never comes due
    retracted: frozenset[str]  # ids of retracted events (statements, fulfilments, published deadlines)


def corrected(
    statements: Iterable[DueStatement], fulfilments: Iterable[Fulfilment], corrections: Iterable[Correction]
) -> Corrected:
    """Apply corrections in stream order: the last reading of a statement holds, retracted events drop out.

    Each merge or withdrawal closes one commitment.made (one read again is published anew), so the commitment
    is closed while there are at least as many closures as made events, whatever their arrival order.
    """
    statements = list(statements)
    readings: dict[str, Reading] = {}
    retracted: set[str] = set()
    closures = 0
    for c in sorted(corrections, key=lambda c: c.sequence):
        if c.type == READ_ANEW and c.target and c.reading:
            readings[c.target] = c.reading
        elif c.type == RETRACTED and c.target:
            retracted.add(c.target)
        elif c.type in CLOSURES:
            closures += 1
    made = sum(s.kind == "made" for s in statements)
    read = [
        replace(s, due=readings[s.event_id].due, text=readings[s.event_id].text) if s.event_id in readings else s
        for s in statements
        if s.event_id not in retracted
    ]
    kept = [f for f in fulfilments if f.event_id not in retracted]
    return Corrected(read, kept, closures > 0 and closures >= made, frozenset(retracted))


def effective_watermark(watermarks: Mapping[str, date], today: date | None = None) -> date | None:
    """The newest watermark of any source, never past `today` (the real clock's Dutch date).

    Each source promises completeness only for itself, but a source that stopped publishing (a one-off
    backfill) must not hold every alert back forever; ingest publishes a watermark only once a batch is in.
    A watermark in the future (a letter dated 2099 before ingest refused to advance on it) promises nothing
    about days that have not come: it counts as today.
    """
    newest = max(watermarks.values(), default=None)
    return newest if newest is None or today is None else min(newest, today)


def next_watermark(current: date | None, complete: Iterable[date], today: date) -> date | None:
    """Where a complete batch moves its source's watermark (None: it stays).

    Every document dated up to the batch's newest date is in, but a date after today is a typo or a plan, not
    a promise that the days before it are complete: such a document is recorded, yet cannot advance the
    watermark. It never moves backwards.
    """
    newest = max((d for d in complete if d <= today), default=None)
    return newest if newest is not None and (current is None or newest > current) else None


def today_in_nl(moment: datetime | None = None) -> date:
    """The Dutch calendar date now (or of `moment`): the real clock a watermark may not pass."""
    return local_date(moment or datetime.now(UTC))


def _instant(moment: datetime | None) -> datetime:
    if moment is None:
        return datetime.min.replace(tzinfo=UTC)
    return moment.replace(tzinfo=AMSTERDAM) if moment.tzinfo is None else moment


def _order(statement: DueStatement) -> tuple[bool, bool, datetime, str]:
    # The commitment.made comes first (a revision revises something), then revisions in event time;
    # undated revisions last, ties broken by event id so the order never depends on arrival.
    return (
        statement.kind != "made",
        statement.occurred_at is None,
        _instant(statement.occurred_at),
        statement.event_id,
    )


def current_statement(statements: Iterable[DueStatement]) -> DueStatement | None:
    """The statement whose due interval holds now: the last one in event order."""
    return max(statements, key=_order, default=None)


def _dated_on_or_before(moment: datetime | None, day: date) -> bool:
    # An undated event cannot show that anything happened on or before a day.
    return moment is not None and local_date(moment) <= day


def passed_deadlines(
    commitment_id: str,
    statements: Iterable[DueStatement],
    fulfilments: Iterable[Fulfilment],
    watermark: date | None,
) -> list[PassedDeadline]:
    """Every deadline of one commitment that has passed unfulfilled, oldest first."""
    if watermark is None:
        return []
    ordered = sorted(statements, key=_order)
    fulfilled = [f.occurred_at for f in fulfilments]
    passed: dict[date, PassedDeadline] = {}
    for index, statement in enumerate(ordered):
        if statement.due is None:
            continue  # no deadline: open, never overdue
        deadline = statement.due.end
        if watermark <= deadline:
            continue  # not every document dated up to the deadline is in yet
        if statement.occurred_at is not None and local_date(statement.occurred_at) > deadline:
            continue  # a date already past when it was written reports history, it promises nothing
        if any(_dated_on_or_before(later.occurred_at, deadline) for later in ordered[index + 1 :]):
            continue  # moved (or confirmed) before it passed
        if any(_dated_on_or_before(when, deadline) for when in fulfilled):
            continue
        passed.setdefault(
            deadline,
            PassedDeadline(
                commitment_id, deadline, statement.due, passes_at(deadline), statement.event_id, statement.text
            ),
        )
    return [passed[d] for d in sorted(passed)]


Status = Literal["open", "overdue", "fulfilled", "closed"]


@dataclass(frozen=True)
class State:
    due: Due | None  # the current due interval (None: no deadline)
    status: Status
    statement_id: str | None  # the statement that set the current due


def commitment_state(now: Corrected, passed: Iterable[date]) -> State:
    """A commitment's current due interval and status, given the deadlines of it that passed unfulfilled.

    Closed (merged or withdrawn) beats everything; any fulfilment that still stands makes it fulfilled; it
    is overdue while its current deadline is one that passed.
    """
    current = current_statement(now.statements)
    due = current.due if current else None
    statement_id = current.event_id if current else None
    if now.closed:
        return State(due, "closed", statement_id)
    if now.fulfilments:
        return State(due, "fulfilled", statement_id)
    if due is not None and due.end in set(passed):
        return State(due, "overdue", statement_id)
    return State(due, "open", statement_id)


@dataclass
class Facts:
    """Everything the rule needs, accumulated from events in any order (sets and a maximum)."""

    statements: dict[str, set[DueStatement]]
    fulfilments: dict[str, set[Fulfilment]]
    watermarks: dict[str, date]
    corrections: dict[str, set[Correction]]

    @classmethod
    def empty(cls) -> Facts:
        return cls({}, {}, {}, {})

    def add(self, fact: Fact | None) -> None:
        if isinstance(fact, DueStatement):
            self.statements.setdefault(fact.commitment_id, set()).add(fact)
        elif isinstance(fact, Fulfilment):
            self.fulfilments.setdefault(fact.commitment_id, set()).add(fact)
        elif isinstance(fact, WatermarkFact):
            # A late, older watermark never moves it back.
            current = self.watermarks.get(fact.source)
            self.watermarks[fact.source] = fact.up_to if current is None else max(current, fact.up_to)
        elif isinstance(fact, Correction):
            self.corrections.setdefault(fact.commitment_id, set()).add(fact)

    def passed(self) -> list[PassedDeadline]:
        watermark = effective_watermark(self.watermarks)
        result: list[PassedDeadline] = []
        for commitment_id in sorted(self.statements):
            now = corrected(
                self.statements[commitment_id],
                self.fulfilments.get(commitment_id, ()),
                self.corrections.get(commitment_id, ()),
            )
            if not now.closed:
                result += passed_deadlines(commitment_id, now.statements, now.fulfilments, watermark)
        return result
