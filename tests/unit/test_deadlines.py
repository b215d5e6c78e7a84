"""The deadline rule of DESIGN.md ("Time"), on the worked example and its edge cases."""

from __future__ import annotations

import itertools
import random
from datetime import UTC, date, datetime, timedelta

import pytest

from schemas.codec import AMSTERDAM, day_start, make_event
from schemas.deadline_rule import (
    DueStatement,
    Facts,
    Fulfilment,
    WatermarkFact,
    current_statement,
    effective_watermark,
    fact_from_event,
    next_watermark,
    passed_deadlines,
    passes_at,
    today_in_nl,
)
from schemas.events import (
    CommitmentDeadlineRevised,
    CommitmentFulfilled,
    CommitmentMade,
    Due,
    Envelope,
    IngestWatermark,
    Source,
)

INGEST = Source(service="ingest", version="test")
AIV = "c-aiv"
CONF = "c-conference"


def due(start: str, end: str, precision: str = "half") -> Due:
    return Due(start=date.fromisoformat(start), end=date.fromisoformat(end), precision=precision)


def at(day: str | None) -> datetime | None:
    return None if day is None else day_start(date.fromisoformat(day))


def made(cid: str, day: str | None, d: Due | None, text: str = "promise") -> Envelope:
    data = CommitmentMade(commitment_id=cid, text=text, actor="AIV/CAVV", due=d, document_id=f"doc-{cid}")
    return make_event(data, occurred_at=at(day), source=INGEST, unique=("made",))


def revised(cid: str, day: str | None, d: Due | None, tag: str = "") -> Envelope:
    data = CommitmentDeadlineRevised(
        commitment_id=cid, due=d, previous_due=None, text="moved", document_id=f"doc-{day}"
    )
    return make_event(data, occurred_at=at(day), source=INGEST, unique=("revised", day, tag))


def fulfilled(cid: str, day: str | None, tag: str = "") -> Envelope:
    data = CommitmentFulfilled(commitment_id=cid, evidence="done", document_id=f"doc-{day}{tag}")
    return make_event(data, occurred_at=at(day), source=INGEST, unique=("fulfilled", day, tag))


def watermark(day: str, source: str = "seeds") -> Envelope:
    data = IngestWatermark(source=source, up_to=date.fromisoformat(day), documents=5)
    return make_event(data, occurred_at=at(day), source=INGEST, unique=(day,))


WORKED_EXAMPLE = [
    made(AIV, "2019-09-20", due("2020-07-01", "2020-12-31")),
    revised(AIV, "2021-03-22", due("2021-04-01", "2021-06-30", "quarter")),
    fulfilled(AIV, "2021-12-03"),
    fulfilled(AIV, None, "undated"),
    made(CONF, "2021-03-22", due("2021-01-01", "2021-12-31", "year")),
    revised(CONF, "2021-10-11", due("2022-10-01", "2022-12-31", "part_of_year")),
    revised(CONF, "2023-01-26", due("2023-02-15", "2023-02-16", "days")),
    watermark("2023-01-26"),
]
EXPECTED = [
    (AIV, date(2020, 12, 31), datetime(2021, 1, 1, tzinfo=AMSTERDAM)),
    (AIV, date(2021, 6, 30), datetime(2021, 7, 1, tzinfo=AMSTERDAM)),
    (CONF, date(2022, 12, 31), datetime(2023, 1, 1, tzinfo=AMSTERDAM)),
]


def evaluate(facts_in_order: list) -> list[tuple[str, date, datetime]]:  # type: ignore[type-arg]
    facts = Facts.empty()
    for fact in facts_in_order:
        facts.add(fact)
    return [(p.commitment_id, p.deadline, p.passed_at) for p in facts.passed()]


def test_worked_example() -> None:
    result = evaluate([fact_from_event(e) for e in WORKED_EXAMPLE])
    assert result == EXPECTED
    # the moment it passed is the next day 00:00 in Amsterdam, winter and summer time alike
    assert [p[2].utcoffset() for p in result] == [timedelta(hours=1), timedelta(hours=2), timedelta(hours=1)]
    assert result[0][2] == datetime(2020, 12, 31, 23, tzinfo=UTC)


def test_every_permutation_of_the_worked_example_gives_the_same_deadlines() -> None:
    facts = [fact_from_event(e) for e in WORKED_EXAMPLE]
    count = 0
    for order in itertools.permutations(facts):
        assert evaluate(list(order)) == EXPECTED, order
        count += 1
    assert count == 40320


def test_live_evaluation_in_any_order_the_watermarks_allow() -> None:
    """Live, the rule runs after every event. Ingest publishes a watermark only after every document dated up
    to it; within that constraint any arrival order publishes the same deadlines, each exactly when due."""
    events = [e for e in WORKED_EXAMPLE if e.type != "ingest.watermark"]
    marks = [watermark("2020-06-01"), watermark("2021-08-01"), watermark("2023-01-26")]
    rng = random.Random(20230126)
    for _ in range(300):
        shuffled = rng.sample(events, len(events))
        order: list[Envelope] = []
        for mark in marks:
            up_to = mark.payload().up_to  # type: ignore[attr-defined]
            covered = [e for e in shuffled if e.occurred_at is not None and e.occurred_at.date() <= up_to]
            order += [e for e in covered if e not in order]
            order.append(mark)
        rest = [e for e in shuffled if e not in order]
        order += rng.sample(rest, len(rest))
        facts, published = Facts.empty(), set()
        for event in order:
            facts.add(fact_from_event(event))
            published |= {(p.commitment_id, p.deadline, p.passed_at) for p in facts.passed()}
        assert sorted(published) == EXPECTED


def test_not_passed_until_the_watermark_is_past_the_deadline() -> None:
    stmt = DueStatement("s1", "c", "made", at("2020-01-10"), due("2020-01-01", "2020-06-30"))
    assert passed_deadlines("c", [stmt], [], None) == []
    assert passed_deadlines("c", [stmt], [], date(2020, 6, 30)) == []
    [passed] = passed_deadlines("c", [stmt], [], date(2020, 7, 1))
    assert passed.deadline == date(2020, 6, 30)
    assert passed.passed_at == datetime(2020, 7, 1, tzinfo=AMSTERDAM)
    assert passed.statement_id == "s1"


def test_no_due_is_never_overdue() -> None:
    stmt = DueStatement("s1", "c", "made", at("2019-01-01"), None)
    assert passed_deadlines("c", [stmt], [], date(2030, 1, 1)) == []


def test_a_revision_to_no_deadline_moves_the_old_one() -> None:
    made_ = DueStatement("s1", "c", "made", at("2019-01-01"), due("2019-01-01", "2019-12-31"))
    dropped = DueStatement("s2", "c", "revised", at("2019-06-01"), None)
    assert passed_deadlines("c", [made_, dropped], [], date(2030, 1, 1)) == []


@pytest.mark.parametrize(
    ("fulfilled_at", "passed"),
    [
        (datetime(2020, 6, 30, 23, 59, tzinfo=AMSTERDAM), False),  # on the last day: in time
        (datetime(2020, 6, 30, 21, 59, tzinfo=UTC), False),  # 23:59 Amsterdam summer time
        (datetime(2020, 6, 30, 22, 0, tzinfo=UTC), True),  # 00:00 the next day in Amsterdam
        (datetime(2020, 7, 1, tzinfo=AMSTERDAM), True),
        (datetime(2020, 6, 30, 23, 59), False),  # naive: taken as Dutch time
        (None, True),  # undated: cannot show it happened in time
    ],
)
def test_fulfilment_on_or_before_the_deadline_in_dutch_time(fulfilled_at: datetime | None, passed: bool) -> None:
    stmt = DueStatement("s1", "c", "made", at("2020-01-10"), due("2020-01-01", "2020-06-30"))
    result = passed_deadlines("c", [stmt], [Fulfilment("f1", "c", fulfilled_at)], date(2021, 1, 1))
    assert bool(result) is passed


def test_an_undated_revision_cannot_move_a_deadline() -> None:
    made_ = DueStatement("s1", "c", "made", at("2019-01-01"), due("2019-01-01", "2019-12-31"))
    undated = DueStatement("s2", "c", "revised", None, due("2020-01-01", "2020-03-31"))
    result = passed_deadlines("c", [made_, undated], [], date(2021, 1, 1))
    assert [p.deadline for p in result] == [date(2019, 12, 31), date(2020, 3, 31)]


def test_a_revision_after_the_deadline_does_not_undo_it() -> None:
    made_ = DueStatement("s1", "c", "made", at("2019-01-01"), due("2019-01-01", "2019-12-31"))
    late = DueStatement("s2", "c", "revised", at("2020-01-01"), due("2020-04-01", "2020-06-30"))
    result = passed_deadlines("c", [late, made_], [], date(2020, 2, 1))
    assert [p.deadline for p in result] == [date(2019, 12, 31)]


def test_a_revision_on_the_last_day_moves_it() -> None:
    made_ = DueStatement("s1", "c", "made", at("2019-01-01"), due("2019-01-01", "2019-12-31"))
    last_day = DueStatement("s2", "c", "revised", at("2019-12-31"), due("2020-04-01", "2020-06-30"))
    assert passed_deadlines("c", [made_, last_day], [], date(2020, 2, 1)) == []


def test_a_confirmed_deadline_passes_once() -> None:
    made_ = DueStatement("s1", "c", "made", at("2019-01-01"), due("2019-01-01", "2019-12-31"))
    again = DueStatement("s2", "c", "revised", at("2019-06-01"), due("2019-10-01", "2019-12-31"))
    [passed] = passed_deadlines("c", [again, made_], [], date(2020, 2, 1))
    assert passed.statement_id == "s2"


def test_a_date_already_past_when_written_promises_nothing() -> None:
    history = DueStatement("s1", "c", "made", at("2021-03-22"), due("2020-07-01", "2020-12-31"))
    assert passed_deadlines("c", [history], [], date(2023, 1, 1)) == []


def test_a_fulfilment_after_the_deadline_leaves_it_passed_but_stops_later_ones() -> None:
    made_ = DueStatement("s1", "c", "made", at("2019-01-01"), due("2019-01-01", "2019-12-31"))
    late = DueStatement("s2", "c", "revised", at("2020-05-01"), due("2020-10-01", "2020-12-31"))
    done = Fulfilment("f1", "c", at("2020-06-01"))
    result = passed_deadlines("c", [made_, late], [done], date(2022, 1, 1))
    assert [p.deadline for p in result] == [date(2019, 12, 31)]


def test_the_order_of_statements_is_by_event_time_with_made_first() -> None:
    made_ = DueStatement("s9", "c", "made", None, due("2019-01-01", "2019-12-31"))
    early = DueStatement("s2", "c", "revised", at("2019-03-01"), due("2019-04-01", "2019-06-30"))
    later = DueStatement("s1", "c", "revised", at("2019-05-01"), due("2020-01-01", "2020-03-31"))
    assert current_statement([later, made_, early]) == later
    assert current_statement([]) is None


def test_watermarks_take_the_newest_per_source_and_never_move_back() -> None:
    facts = Facts.empty()
    facts.add(WatermarkFact("w2", "feed", date(2023, 1, 26)))
    facts.add(WatermarkFact("w1", "feed", date(2020, 1, 1)))  # arrives late
    facts.add(WatermarkFact("w3", "upload", date(2021, 1, 1)))
    assert facts.watermarks == {"feed": date(2023, 1, 26), "upload": date(2021, 1, 1)}
    assert effective_watermark(facts.watermarks) == date(2023, 1, 26)
    assert effective_watermark({}) is None


def test_fact_from_event_ignores_unrelated_events() -> None:
    from schemas.events import MotionReferenced

    data = MotionReferenced(motion_id="33694-43", document_id="d", sentence="s")
    event = make_event(data, occurred_at=None, source=INGEST, unique=())
    assert fact_from_event(event) is None
    assert passes_at(date(2021, 6, 30)) == datetime(2021, 7, 1, tzinfo=AMSTERDAM)


def test_a_watermark_never_passes_the_real_clock() -> None:
    today = date(2026, 12, 4)
    assert next_watermark(None, [date(2026, 6, 1), date(2099, 1, 1)], today) == date(2026, 6, 1)
    assert next_watermark(date(2026, 6, 1), [date(2099, 1, 1)], today) is None  # recorded, no advance
    assert next_watermark(date(2026, 6, 1), [date(2026, 5, 1)], today) is None  # never backwards
    assert next_watermark(None, [today], today) == today
    # a future watermark already on the stream counts as today: nothing due after today has passed
    assert effective_watermark({"files": date(2099, 1, 1)}, today) == today
    assert effective_watermark({"files": date(2020, 1, 1)}, today) == date(2020, 1, 1)
    assert today_in_nl(datetime(2026, 12, 3, 23, 30, tzinfo=UTC)) == today  # 00:30 in Amsterdam
