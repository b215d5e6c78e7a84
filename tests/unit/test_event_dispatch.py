"""Every event type defined in schemas/ is handled or explicitly ignored by each service's table."""

from __future__ import annotations

import pytest

from services.notify.domain.messages import SUMMARIES
from services.notify.handlers import HANDLERS
from tests.helpers.dispatch import assert_dispatches_every_event_type


def test_notify_handles_or_ignores_every_event_type() -> None:
    assert_dispatches_every_event_type("notify", HANDLERS)


def test_every_type_notify_alerts_on_has_a_summary() -> None:
    alerting = {event_type for event_type, how in HANDLERS.items() if how.alerts}
    assert alerting <= set(SUMMARIES), sorted(alerting - set(SUMMARIES))


def test_the_check_names_what_a_table_leaves_out() -> None:
    partial = {t: h for t, h in HANDLERS.items() if t != "forum.meeting_reported"}
    with pytest.raises(AssertionError, match=r"forum\.meeting_reported"):
        assert_dispatches_every_event_type("notify", partial)
    with pytest.raises(AssertionError, match=r"motion\.forgotten"):
        assert_dispatches_every_event_type("notify", {**HANDLERS, "motion.forgotten": HANDLERS["motion.referenced"]})
