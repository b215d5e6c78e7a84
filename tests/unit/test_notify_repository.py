"""The notify store's contract: the production SQL repository on SQLite and PostgreSQL, and the in-memory fake
the handler tests use, must answer alike. PostgreSQL comes from PTL_TEST_POSTGRES_URL (see tests/conftest.py)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime, timedelta

import pytest

from schemas.codec import AMSTERDAM, day_start
from schemas.deadline_rule import DueStatement, Fulfilment
from schemas.events import Due
from services.common.db import make_engine
from services.notify.adapters import orm
from services.notify.adapters.fakes import FakeTransactions
from services.notify.adapters.repository import SqlTransactions, Transactions
from services.notify.domain.model import Attempt, Delivery, PublishedDeadline, Subscription
from tests.helpers.events import worked_example_aiv

T0 = datetime(2024, 5, 1, 12, 0, tzinfo=UTC)
H2_2020 = Due(start=date(2020, 7, 1), end=date(2020, 12, 31), precision="half")


@pytest.fixture(params=["sql", "memory"])
def transactions(request: pytest.FixtureRequest, new_database: Callable[[], str]) -> Iterator[Transactions]:
    url = new_database()
    if request.param == "memory":
        if not url.startswith("sqlite"):
            pytest.skip("the in-memory fake does not depend on the database: it runs once")
        yield FakeTransactions()
        return
    engine = make_engine(url)
    orm.create_all(engine)
    try:
        yield SqlTransactions(engine)
    finally:
        engine.dispose()


def sub(n: int, channel: str = "webhook", **fields: object) -> Subscription:
    values: dict[str, object] = dict(
        id=f"sub-{n}", channel=channel, target=f"http://hooks.test/{n}", since=day_start(date(2019, 1, 1)),
        created_at=T0 + timedelta(minutes=n), motion_id="33694-43", event_types=["commitment.deadline_passed"],
        secret="whsec_c2VjcmV0",
    ) | fields  # fmt: skip
    return Subscription(**values)  # type: ignore[arg-type]


def delivery(n: int, sub_id: str = "sub-1", status: str = "pending", at: datetime = T0, **fields: object) -> Delivery:
    values: dict[str, object] = dict(
        id=f"dlv-{n}", subscription_id=sub_id, event_id=f"ev-{n}", event_type="commitment.made", summary=f"alert {n}",
        context={"text": "een toezegging", "due": None}, envelope="{}", status=status, next_attempt_at=at,
        created_at=T0 + timedelta(seconds=n),
    ) | fields  # fmt: skip
    return Delivery(**values)  # type: ignore[arg-type]


def test_commitments_statements_fulfilments_and_watermarks(transactions: Transactions) -> None:
    made = DueStatement("ev-made", "c-1", "made", day_start(date(2019, 9, 20)), H2_2020, "zal worden geactualiseerd")
    moved = DueStatement("ev-rev", "c-1", "revised", day_start(date(2021, 3, 22)), H2_2020, "opnieuw")
    with transactions() as repo:
        repo.add_commitment("c-1", "zal worden geactualiseerd", "AIV", "doc-0", ["33694-43"], ["gge-laws"])
        repo.add_commitment("c-1", "a second copy is ignored", None, "doc-9", [], [])
        repo.add_due_statement(made, "doc-0")
        repo.add_due_statement(made, "doc-9")  # the same event again: ignored
        repo.add_due_statement(moved, "doc-2")
        repo.add_due_statement(DueStatement("ev-other", "c-2", "made", None, None, "no deadline"), "doc-5")
        repo.add_fulfilment(Fulfilment("ev-f", "c-1", day_start(date(2021, 12, 3))), "doc-4", "advies 119")
        repo.raise_watermark("files", date(2023, 1, 26), "ev-w1")
        repo.raise_watermark("files", date(2022, 1, 1), "ev-w0")  # older: never moves it back
        repo.raise_watermark("feed", date(2021, 1, 1), "ev-w2")
    with transactions() as repo:
        assert repo.commitment_links("c-1") == (["33694-43"], ["gge-laws"])
        assert repo.commitment_links("c-unknown") == ([], [])
        assert repo.commitment_context("c-1") == {
            "commitment_id": "c-1", "text": "zal worden geactualiseerd", "actor": "AIV", "document_id": "doc-0",
        }  # fmt: skip
        assert repo.commitment_context("c-unknown") == {"commitment_id": "c-unknown"}
        assert sorted(repo.load_statements(["c-1"]), key=lambda s: s.event_id) == [made, moved]
        assert {s.event_id for s in repo.load_statements()} == {"ev-made", "ev-rev", "ev-other"}
        assert repo.deadline_document("c-1", "2020-12-31") == "doc-2"  # the latest statement that set it
        assert repo.deadline_document("c-1", "2021-06-30") is None
        assert repo.load_fulfilments(["c-1"]) == [Fulfilment("ev-f", "c-1", day_start(date(2021, 12, 3)))]
        assert repo.load_fulfilments(["c-2"]) == []
        assert repo.load_watermarks() == {"files": date(2023, 1, 26), "feed": date(2021, 1, 1)}
        assert repo.latest_watermark_event() == "ev-w1"


def test_the_event_index_keeps_order_refs_and_envelope(transactions: Transactions) -> None:
    events = worked_example_aiv()
    with transactions() as repo:
        assert not repo.event_seen(events[0].id)
        for sequence, event in reversed(list(enumerate(events, start=1))):
            repo.index_event(event, sequence, {("commitment", event.subject), ("motion", "33694-43")})
    with transactions() as repo:
        assert all(repo.event_seen(e.id) for e in events)
        indexed = repo.indexed_events(["commitment.deadline_passed", "commitment.made"])
        assert [i.sequence for i in indexed] == sorted(i.sequence for i in indexed)
        assert {i.type for i in indexed} == {"commitment.deadline_passed", "commitment.made"}
        first = indexed[0]
        original = next(e for e in events if e.id == first.event_id)
        assert first.refs == {("commitment", original.subject), ("motion", "33694-43")}
        assert (first.occurred_at, first.recorded_at) == (original.occurred_at, original.recorded_at)
        assert first.envelope == original.model_dump_json()
        assert repo.indexed_events(["no.such_type"]) == []


def test_published_deadlines_are_stored_once_and_read_with_the_commitment_text(transactions: Transactions) -> None:
    early = PublishedDeadline("c-1", date(2020, 12, 31), "ev-p1", datetime(2021, 1, 1, tzinfo=AMSTERDAM), T0, 7)
    later = PublishedDeadline("c-0", date(2021, 6, 30), "ev-p2", datetime(2021, 7, 1, tzinfo=AMSTERDAM), T0, None)
    with transactions() as repo:
        repo.add_commitment("c-1", "het advies", None, "doc-0", [], [])
        repo.add_published_deadline(later)
        repo.add_published_deadline(early)
        repo.add_published_deadline(PublishedDeadline("c-1", date(2020, 12, 31), "ev-other", T0, T0, 9))
    with transactions() as repo:
        assert repo.published_keys() == {("c-1", date(2020, 12, 31)), ("c-0", date(2021, 6, 30))}
        got = repo.published_deadlines()
        assert got == [early, later]  # by passed_at
        assert [p.text for p in got] == ["het advies", None]
        assert (got[0].event_id, got[0].stream_sequence, got[1].stream_sequence) == ("ev-p1", 7, None)


def test_subscriptions_are_listed_in_creation_order_and_deleting_cancels_what_is_pending(
    transactions: Transactions,
) -> None:
    with transactions() as repo:
        repo.add_subscription(sub(2, "email", target="griffie@tweedekamer.test", secret=None, event_types=None))
        repo.add_subscription(sub(1))
        repo.add_deliveries([delivery(1, "sub-1"), delivery(2, "sub-1", status="delivered"), delivery(3, "sub-2")])
    with transactions() as repo:
        assert [s.id for s in repo.subscriptions()] == ["sub-1", "sub-2"]
        stored = repo.subscription("sub-2")
        assert stored == sub(2, "email", target="griffie@tweedekamer.test", secret=None, event_types=None)
        assert repo.subscription("sub-1") == sub(1)
        assert repo.subscription("sub-nope") is None
        repo.delete_subscription("sub-1", T0 + timedelta(days=1))
    with transactions() as repo:
        assert [s.id for s in repo.subscriptions()] == ["sub-2"]
        assert [s.id for s in repo.subscriptions(include_deleted=True)] == ["sub-1", "sub-2"]
        deleted = repo.subscription("sub-1")
        assert deleted and not deleted.active and deleted.deleted_at == T0 + timedelta(days=1)
        assert {d.id: d.status for d in repo.deliveries()} == {"dlv-1": "cancelled", "dlv-2": "delivered",
                                                               "dlv-3": "pending"}  # fmt: skip


def test_deliveries_are_unique_per_subscription_and_event(transactions: Transactions) -> None:
    with transactions() as repo:
        repo.add_subscription(sub(1))
        assert repo.add_deliveries([delivery(1), delivery(2)]) == 2
        assert repo.add_deliveries([delivery(1), delivery(9, event_id="ev-2"), delivery(3)]) == 1
    with transactions() as repo:
        assert [d.id for d in repo.deliveries()] == ["dlv-3", "dlv-2", "dlv-1"]  # newest first
        assert [d.id for d in repo.deliveries(limit=2)] == ["dlv-3", "dlv-2"]
        assert repo.deliveries("delivered") == []
        assert [d.id for d in repo.deliveries_of("sub-1")] == ["dlv-1", "dlv-2", "dlv-3"]
        assert repo.delivery("dlv-1") == delivery(1)
        assert repo.delivery_counts() == {"pending": 3}


def test_claiming_sending_and_recording_attempts(transactions: Transactions) -> None:
    lease = timedelta(seconds=40)
    with transactions() as repo:
        repo.add_subscription(sub(1))
        repo.add_deliveries([delivery(1), delivery(2, at=T0 + timedelta(minutes=5)), delivery(3, status="failed")])
    with transactions() as repo:
        assert repo.claim(10, T0, lease) == ["dlv-1"]  # dlv-2 is not due yet
        assert repo.claim(10, T0 + timedelta(seconds=1), lease) == []  # claimed: not taken twice
    with transactions() as repo:
        # a claim older than the lease (a crashed worker) is taken again, with what is due by then
        assert sorted(repo.claim(10, T0 + timedelta(minutes=6), lease)) == ["dlv-1", "dlv-2"]
        first = Attempt(1, T0, T0 + timedelta(seconds=1), "retry", 500, "HTTP 500")
        repo.finish("dlv-1", first, attempts=1, last_error="HTTP 500", status="pending", next_attempt_at=T0)
        done = Attempt(1, T0, T0 + timedelta(seconds=2), "delivered", 200)
        repo.finish("dlv-2", done, attempts=1, last_error=None, status="delivered", delivered_at=T0)
        repo.finish("dlv-3", done, attempts=1, status="delivered")  # not claimed: the attempt is logged only
        repo.cancel_claimed("dlv-1")  # not claimed any more: nothing happens
    with transactions() as repo:
        one, two, three = (repo.delivery(f"dlv-{n}") for n in (1, 2, 3))
        assert (one.status, one.attempts, one.last_error, one.claimed_at) == ("pending", 1, "HTTP 500", None)
        assert (two.status, two.delivered_at, three.status) == ("delivered", T0, "failed")
        assert repo.attempts_of(["dlv-1", "dlv-2", "dlv-9"]) == {"dlv-1": [first], "dlv-2": [done]}
        assert repo.claim(10, T0, lease) == ["dlv-1"]
        repo.cancel_claimed("dlv-1")
    with transactions() as repo:
        assert repo.delivery_counts() == {"cancelled": 1, "delivered": 1, "failed": 1}


def test_a_failing_unit_of_work_leaves_nothing(transactions: Transactions) -> None:
    with pytest.raises(RuntimeError), transactions() as repo:
        repo.add_subscription(sub(1))
        repo.add_deliveries([delivery(1)])
        raise RuntimeError("crash before commit")
    with transactions() as repo:
        assert repo.subscriptions(include_deleted=True) == [] and repo.deliveries() == []
