"""Linking over the whole registry, and the corrections that make published events converge on it. Pure.

Linking a document looks back at what earlier documents promised, so the events of a set of documents depend
on the order they are linked in. The canonical order is document-date order (undated last, ties by document
id): `fold` links every stored document in that order and gives the events a date-ordered ingest would have
published. `reconcile` compares them with the facts ingest published before (its stored plan) and plans only
the differences: new facts, `commitment.reading_changed` for a statement read differently, `commitment.merged`
for a commitment that turns out to be a later statement of an older one, `commitment.withdrawn` for one no
longer read at all and `commitment.statement_retracted` for a revision or fulfilment no longer linked to it, and
`document.reading_changed` when a document's own facts (title, date, motions, counts) read differently.
Every correction's id is derived from what it corrects and the new content, so reconciling twice is a no-op.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from schemas import ids
from schemas.codec import make_event
from schemas.events import (
    READING_FIELDS,
    CommitmentFulfilled,
    CommitmentMade,
    CommitmentMerged,
    CommitmentReadingChanged,
    CommitmentStatementRetracted,
    CommitmentWithdrawn,
    DocumentIngested,
    DocumentReading,
    DocumentReadingChanged,
    Envelope,
    Reading,
    Source,
)
from services.ingest.domain.linking import KnownCommitment, link_document
from services.ingest.planning import CommitmentChange, DocumentFacts, plan_document, resolve_motions


@dataclass(frozen=True)
class Registry:
    """What linking knows after a run of documents: the commitments and the motions seen so far."""

    commitments: Mapping[str, KnownCommitment] = field(default_factory=dict)
    origins: Mapping[str, tuple[str, str]] = field(default_factory=dict)  # id -> (text, document id) of the made
    submitters: Mapping[str, str | None] = field(default_factory=dict)  # motion id -> submitter, first seen
    documents: frozenset[str] = frozenset()  # ids of the documents linked so far

    def by_submitter(self) -> dict[str, set[str]]:
        found: dict[str, set[str]] = {}
        for motion, submitter in self.submitters.items():
            if submitter:
                found.setdefault(submitter.lower(), set()).add(motion)
        return found

    def known(self) -> list[KnownCommitment]:
        return [self.commitments[k] for k in sorted(self.commitments)]


def order_key(facts: DocumentFacts) -> tuple[bool, dt.date, str, str]:
    """Document-date order, undated last; ties by document id and content, never by arrival."""
    return (facts.date is None, facts.date or dt.date.min, facts.document_id, facts.content_sha256)


@dataclass(frozen=True)
class Step:
    events: list[Envelope]
    changes: list[CommitmentChange]
    registry: Registry
    facts: DocumentFacts  # with motions resolved


def step(registry: Registry, facts: DocumentFacts, source: Source, correlation_id: str | None = None) -> Step:
    """Link one document to what the registry knows and plan its events: the one rule of every ingest.

    The same document again in another format (another content, the same id) is recorded as ingested but not
    linked again: its statements would restate themselves."""
    if facts.document_id in registry.documents:
        ingested = plan_document(facts, [], {}, source, correlation_id)[0][0]
        return Step([ingested], [], registry, facts)
    facts = replace(facts, extraction=resolve_motions(facts.extraction, registry.by_submitter()))
    known = registry.known()
    links = link_document(facts.extraction, known)
    events, changes = plan_document(facts, links, {k.id: k for k in known}, source, correlation_id)
    return Step(events, changes, _apply(registry, facts, changes), facts)


def _apply(registry: Registry, facts: DocumentFacts, changes: list[CommitmentChange]) -> Registry:
    commitments = dict(registry.commitments)
    origins = dict(registry.origins)
    for change in changes:
        statement, current = change.statement, commitments.get(change.commitment_id)
        if change.kind == "made" and statement is not None:
            if current is None:
                commitments[change.commitment_id] = KnownCommitment(
                    id=change.commitment_id,
                    actor=statement.actor,
                    deliverable=statement.deliverable,
                    topic=frozenset(statement.topic),
                    due=statement.due,
                    stated_on=change.stated_on,
                    fulfilled=False,
                )
                origins[change.commitment_id] = (statement.text, facts.document_id)
            continue
        if current is None:
            continue
        if change.kind == "revised":
            current = replace(current, due=change.due)
        if change.kind == "fulfilled":
            current = replace(current, fulfilled=True)
        if statement is not None:  # later wording of the same promise helps link the next letter
            current = replace(current, topic=current.topic | statement.topic)
        if change.stated_on and (current.stated_on is None or change.stated_on > current.stated_on):
            current = replace(current, stated_on=change.stated_on)
        commitments[change.commitment_id] = current
    submitters = dict(registry.submitters)
    for mention in facts.extraction.motions:
        if mention.id:
            submitters.setdefault(mention.id, mention.submitter)
    return Registry(commitments, origins, submitters, registry.documents | {facts.document_id})


@dataclass(frozen=True)
class Fold:
    events: list[Envelope]
    registry: Registry
    statements: dict[tuple[str, str], str]  # (document id, normalised sentence) -> the commitment it speaks of


def fold(
    documents: Iterable[DocumentFacts], source: Source, correlation_id: str | None = None, start: Registry | None = None
) -> Fold:
    """Link the documents in canonical order, from an empty registry (or `start`: what the documents before
    these made known)."""
    registry, events, statements = start or Registry(), [], {}
    for facts in sorted(documents, key=order_key):
        done = step(registry, facts, source, correlation_id)
        registry = done.registry
        events.extend(done.events)
        for change in done.changes:
            if change.statement is not None:
                statements[(facts.document_id, _normal(change.statement.text))] = change.commitment_id
    return Fold(events, registry, statements)


@dataclass(frozen=True)
class Fact:
    """An event ingest published, as it now reads (a reading_changed updates it); `live` False once corrected
    away (merged, withdrawn, retracted)."""

    event_id: str
    type: str
    subject: str
    document_id: str | None
    occurred_at: dt.datetime | None
    data: dict[str, Any]
    live: bool = True
    published_as: str = ""  # the id of the event that now carries it (the key, unless it was published again)

    @classmethod
    def of(cls, event: Envelope, published_as: str | None = None) -> Fact:
        document_id = event.data.get("document_id")
        return cls(event.id, event.type, event.subject, document_id, event.occurred_at, event.data,
                   published_as=published_as or event.id)  # fmt: skip


@dataclass(frozen=True)
class Reconciled:
    publish: list[Envelope]  # new facts first (canonical order), then corrections
    facts: dict[str, Fact]  # the stored facts after publishing (key: the id of the event that first stated it)


def reconcile(
    stored: Mapping[str, Fact],
    planned: Fold,
    *,
    reason: str,
    source: Source,
    scope: set[str] | None = None,
    correlation_id: str | None = None,
) -> Reconciled:
    """Plan what makes the published facts equal to `planned`. Only facts of documents in `scope` (all when
    None) can be corrected away; facts of documents, motions and forums are only ever added."""
    facts = dict(stored)
    publish: list[Envelope] = []
    corrections: list[Envelope] = []

    def correct(data: Any, *unique: object) -> None:
        corrections.append(
            make_event(data, occurred_at=None, source=source, unique=unique, correlation_id=correlation_id)
        )

    planned_ids = {e.id for e in planned.events}
    made = {e.subject for e in planned.events if e.type == CommitmentMade.TYPE}
    for event in planned.events:
        old = facts.get(event.id)
        carrier = event.id
        if old is None:
            publish.append(event)
        elif not old.live or (event.type == CommitmentFulfilled.TYPE and old.data != event.data):
            # Corrected away before, or a fulfilment read differently: a new event under a new id.
            if old.live:
                correct(_retraction(old, reason), old.published_as)
            again = _again(event, old)
            publish.append(again)
            carrier = again.id
        elif event.type in READING_FIELDS and Reading.of(old.type, old.data) != Reading.of(event.type, event.data):
            carrier = old.published_as
            correct(
                CommitmentReadingChanged(
                    commitment_id=event.subject,
                    corrects=carrier,
                    statement=event.type,
                    document_id=event.data["document_id"],
                    old=Reading.of(old.type, old.data),
                    new=Reading.of(event.type, event.data),
                    reason=reason,
                ),
                carrier,
                _digest(event.data),
            )
        elif event.type == DocumentIngested.TYPE and _document(old.data) != _document(event.data):
            carrier = old.published_as
            correct(
                DocumentReadingChanged(
                    document_id=event.subject,
                    corrects=carrier,
                    old=_document(old.data),
                    new=_document(event.data),
                    reason=reason,
                ),
                carrier,
                _digest(event.data),
            )
        elif old is not None:
            carrier = old.published_as
        facts[event.id] = Fact.of(event, carrier)
    for old in stored.values():
        if not old.live or old.event_id in planned_ids or not old.type.startswith("commitment."):
            continue
        if scope is not None and old.document_id not in scope:
            continue
        facts[old.event_id] = replace(old, live=False)
        if old.type == CommitmentMade.TYPE:
            into = planned.statements.get((old.document_id or "", _normal(old.data["text"])))
            if into is not None and into != old.subject and into in made:
                correct(CommitmentMerged(commitment_id=old.subject, into=into, reason=reason), into, old.published_as)
            else:
                correct(
                    CommitmentWithdrawn(commitment_id=old.subject, document_id=old.document_id, reason=reason),
                    old.published_as,
                )
        elif old.subject in made:  # a revision or fulfilment of a commitment that stays: only it goes
            correct(_retraction(old, reason), old.published_as)
    return Reconciled(publish + corrections, facts)


def _document(data: Mapping[str, Any]) -> DocumentReading:
    return DocumentReading.model_validate({k: data.get(k) for k in DocumentReading.model_fields})


def _retraction(old: Fact, reason: str) -> CommitmentStatementRetracted:
    return CommitmentStatementRetracted(
        commitment_id=old.subject, retracts=old.published_as, statement=old.type, document_id=old.document_id,
        reason=reason,
    )  # fmt: skip


def _again(event: Envelope, old: Fact) -> Envelope:
    """The event under an id of its own: the fact's key was used by an event now corrected away."""
    unique = (event.id, old.published_as, _digest(event.data))
    return event.model_copy(update={"id": ids.event_id(event.type, event.subject, *unique)})


def _digest(data: Mapping[str, Any]) -> str:
    return ids.digest(json.dumps(data, sort_keys=True, default=str))


def _normal(sentence: str) -> str:
    return " ".join(sentence.lower().split())
