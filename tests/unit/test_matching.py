"""Which events a subscription alerts on."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from schemas.codec import AMSTERDAM
from schemas.events import EVENT_TYPES
from schemas.refs import Ref
from services.notify.domain.matching import DEFAULT_EVENT_TYPES, Filter, matches

SINCE = datetime(2021, 1, 1, tzinfo=AMSTERDAM)
LATER = datetime(2022, 5, 1, tzinfo=UTC)
EARLIER = datetime(2020, 5, 1, tzinfo=UTC)
REFS: set[Ref] = {("commitment", "c-1"), ("motion", "33694-43"), ("forum", "gge-laws"), ("document", "kst-1")}


def test_criteria_are_all_required() -> None:
    passed = "commitment.deadline_passed"
    assert matches(Filter(SINCE, motion_id="33694-43"), passed, LATER, LATER, REFS)
    assert matches(Filter(SINCE, forum_id="gge-laws", commitment_id="c-1"), passed, LATER, LATER, REFS)
    assert not matches(Filter(SINCE, motion_id="35848-8"), passed, LATER, LATER, REFS)
    assert not matches(Filter(SINCE, motion_id="33694-43", forum_id="ccw"), passed, LATER, LATER, REFS)
    assert not matches(Filter(SINCE, commitment_id="c-2"), passed, LATER, LATER, REFS)
    assert matches(Filter(SINCE), passed, LATER, LATER, set())  # no criteria: every event of the types


def test_event_types() -> None:
    only_passed = Filter(SINCE, event_types=frozenset({"commitment.deadline_passed"}))
    assert matches(only_passed, "commitment.deadline_passed", LATER, LATER, REFS)
    assert not matches(only_passed, "commitment.made", LATER, LATER, REFS)
    # watermarks are bookkeeping: only for subscriptions that ask for them
    assert set(EVENT_TYPES) - {"ingest.watermark"} == DEFAULT_EVENT_TYPES
    assert not matches(Filter(SINCE), "ingest.watermark", LATER, LATER, {("source", "seeds")})
    marks = Filter(SINCE, event_types=frozenset({"ingest.watermark"}))
    assert matches(marks, "ingest.watermark", LATER, LATER, {("source", "seeds")})


@pytest.mark.parametrize(
    ("occurred_at", "recorded_at", "expected"),
    [
        (SINCE, EARLIER, True),  # at `since`: included
        (datetime(2020, 12, 31, 23, tzinfo=UTC), EARLIER, True),  # the same instant in UTC
        (datetime(2020, 12, 31, 22, 59, tzinfo=UTC), LATER, False),  # before, however late we learned it
        (LATER, EARLIER, True),
        (None, LATER, True),  # undated: learned after `since`
        (None, EARLIER, False),  # undated, learned before `since`
        (datetime(2021, 1, 1), EARLIER, True),  # naive: Dutch time
    ],
)
def test_since(occurred_at: datetime | None, recorded_at: datetime, expected: bool) -> None:
    assert matches(Filter(SINCE), "commitment.fulfilled", occurred_at, recorded_at, REFS) is expected


def test_naive_since_is_dutch_time() -> None:
    naive = Filter(datetime(2021, 1, 1))
    assert matches(naive, "commitment.made", datetime(2020, 12, 31, 23, tzinfo=UTC), LATER, REFS)
    assert not matches(naive, "commitment.made", datetime(2020, 12, 31, 22, 59, tzinfo=UTC), LATER, REFS)
