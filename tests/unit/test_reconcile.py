"""`reconcile`: the corrections that make published facts equal a new plan. Pure, on hand-built events."""

from __future__ import annotations

import datetime as dt

from schemas.codec import day_start, make_event
from schemas.events import CommitmentDeadlineRevised, CommitmentFulfilled, CommitmentMade, Due, Envelope, Source
from services.ingest.relinking import Fact, Fold, Registry, reconcile

SOURCE = Source(service="ingest", version="test")
Q2 = Due(start=dt.date(2021, 4, 1), end=dt.date(2021, 6, 30), precision="quarter")
H2 = Due(start=dt.date(2021, 7, 1), end=dt.date(2021, 12, 31), precision="half")


def made(cid: str, doc: str, text: str, due: Due | None = Q2) -> Envelope:
    data = CommitmentMade(commitment_id=cid, text=text, actor="kabinet", due=due, document_id=doc)
    return make_event(data, occurred_at=day_start(dt.date(2021, 3, 22)), source=SOURCE, unique=(doc, text))


def revised(cid: str, doc: str, text: str) -> Envelope:
    data = CommitmentDeadlineRevised(commitment_id=cid, due=H2, previous_due=Q2, text=text, document_id=doc)
    return make_event(data, occurred_at=day_start(dt.date(2021, 5, 1)), source=SOURCE, unique=(doc, text))


def fulfilled(cid: str, doc: str, on: dt.date) -> Envelope:
    data = CommitmentFulfilled(commitment_id=cid, evidence="Het advies verscheen", document_id=doc, fulfilled_on=on)
    return make_event(data, occurred_at=day_start(on), source=SOURCE, unique=(doc, "fulfilled"))


def plan(*events: Envelope, statements: dict[tuple[str, str], str] | None = None) -> Fold:
    return Fold(list(events), Registry(), statements or {})


def stored(*events: Envelope) -> dict[str, Fact]:
    return {e.id: Fact.of(e) for e in events}


def run(facts: dict[str, Fact], planned: Fold, scope: set[str] | None = None) -> tuple[list[Envelope], dict]:
    done = reconcile(facts, planned, reason="test", source=SOURCE, scope=scope)
    again = reconcile(done.facts, planned, reason="test", source=SOURCE, scope=scope)
    assert again.publish == [], "reconciling twice publishes nothing the second time"
    return done.publish, done.facts


def test_a_revision_no_longer_linked_is_retracted_and_its_commitment_stays() -> None:
    conference, moved = made("c-1", "d1", "Een conferentie in Q2."), revised("c-1", "d2", "Later: tweede helft.")
    published, facts = run(stored(conference, moved), plan(conference))
    assert [(e.type, e.data["retracts"]) for e in published] == [("commitment.statement_retracted", moved.id)]
    assert facts[moved.id].live is False and facts[conference.id].live is True


def test_a_commitment_read_again_after_its_withdrawal_is_published_under_a_new_id() -> None:
    promise = made("c-1", "d1", "Een conferentie in Q2.")
    withdrawn, facts = run(stored(promise), plan())
    assert [e.type for e in withdrawn] == ["commitment.withdrawn"]
    back, facts = run(facts, plan(promise))
    assert [e.type for e in back] == ["commitment.made"] and back[0].id != promise.id
    assert facts[promise.id].live is True


def test_a_later_statement_of_an_older_commitment_is_merged_into_it() -> None:
    newer = made("c-new", "d2", "Later: tweede helft.", H2)
    older, moved = made("c-old", "d1", "Een conferentie in Q2."), revised("c-old", "d2", "Later: tweede helft.")
    published, _ = run(stored(newer), plan(older, moved, statements={("d2", "later: tweede helft."): "c-old"}))
    assert [e.type for e in published] == ["commitment.made", "commitment.deadline_revised", "commitment.merged"]
    assert published[-1].subject == "c-new" and published[-1].data["into"] == "c-old"


def test_a_changed_reading_is_one_correction_naming_old_and_new() -> None:
    before, after = made("c-1", "d1", "Een conferentie.", Q2), made("c-1", "d1", "Een conferentie.", H2)
    assert before.id == after.id
    published, facts = run(stored(before), plan(after))
    assert [e.type for e in published] == ["commitment.reading_changed"]
    assert (published[0].data["old"]["due"]["end"], published[0].data["new"]["due"]["end"]) == (
        "2021-06-30",
        "2021-12-31",
    )
    assert published[0].data["corrects"] == before.id and facts[before.id].data["due"]["end"] == "2021-12-31"


def test_a_fulfilment_read_differently_is_retracted_and_published_again() -> None:
    promise = made("c-1", "d1", "Een advies.")
    early, late = fulfilled("c-1", "d3", dt.date(2021, 12, 3)), fulfilled("c-1", "d3", dt.date(2021, 12, 13))
    published, _ = run(stored(promise, early), plan(promise, late))
    assert [e.type for e in published] == ["commitment.fulfilled", "commitment.statement_retracted"]
    assert published[0].id not in (early.id, late.id) and published[1].data["retracts"] == early.id


def test_facts_of_documents_outside_the_scope_stay() -> None:
    first, second = made("c-1", "d1", "Een conferentie."), made("c-2", "d2", "Een advies.")
    published, facts = run(stored(first), plan(second), scope={"d2"})
    assert [e.id for e in published] == [second.id] and facts[first.id].live is True


def test_a_fact_corrected_twice_corrects_the_event_that_carries_it_now() -> None:
    promise = made("c-1", "d1", "Een advies.")
    first, second = fulfilled("c-1", "d3", dt.date(2021, 12, 3)), fulfilled("c-1", "d3", dt.date(2021, 12, 13))
    once, facts = run(stored(promise, first), plan(promise, second))
    twice, facts = run(facts, plan(promise, first))
    assert twice[1].data["retracts"] == once[0].id  # the republished one, not the first again
    gone, facts = run(facts, plan(promise))
    back, _ = run(facts, plan(promise, first))
    assert gone[0].data["retracts"] == twice[0].id
    every = [e.id for e in [*once, *twice, *gone, *back]]
    assert len(every) == len(set(every)) == 6, "every correction and republication is a new event"
