"""Links one new document's statements and deliveries to commitments already known.

Similarity of a statement (or delivery) to a known commitment:

    score = deliverable_similarity * (ACTOR_WEIGHT * actor_similarity + TOPIC_WEIGHT * topic_similarity)

- deliverable: same head noun 1.0, related nouns ("conferentie"/"bijeenkomst") 0.7, one unknown 0.3,
  otherwise 0 (no link);
- actor: the same advisory body 1.0 (a body names its own deliverables, so this is strong evidence), two
  government actors ("kabinet", "minister", "Nederland") 0.5 (the government is the actor of almost every
  commitment, so this says little), one unknown 0.3, government vs a body or two different bodies 0;
- topic: overlap coefficient of the stemmed content words |A & B| / min(|A|, |B|), after removing the words
  both sides share with every commitment of their kind (the deliverable noun itself).

A pair links when score >= LINK_THRESHOLD. Each known commitment and each new item is used at most once
per document, best score first. Statements only link to open commitments; a delivery may also confirm an
already fulfilled one (a later letter citing the advice gives its date).
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Literal

from services.ingest.domain.commitments import is_government, stem
from services.ingest.domain.model import CommitmentStatement, Delivery, DueInterval, Extraction
from services.ingest.domain.vocabulary import RELATED_DELIVERABLES

ACTOR_WEIGHT = 0.45
TOPIC_WEIGHT = 0.55
TOPIC_SATURATION = 6.0
# Pretend this many unrelated topics exist, so that weights do not swing with the size of a small pool.
BACKGROUND_TOPICS = 20
LINK_THRESHOLD = 0.52


@dataclass(frozen=True)
class KnownCommitment:
    id: str
    actor: str | None
    deliverable: str | None
    topic: frozenset[str]
    due: DueInterval | None
    stated_on: date | None  # date of the latest statement
    fulfilled: bool


@dataclass(frozen=True)
class Link:
    kind: Literal["made", "revised", "restated", "fulfilled"]
    commitment_id: str | None  # None when kind == "made" (a new commitment)
    statement: CommitmentStatement | None
    delivery: Delivery | None
    fulfilled_on: date | None  # for kind "fulfilled": when (delivery.on, else the document date, else None)


def deliverable_similarity(first: str | None, second: str | None) -> float:
    if first is None or second is None:
        return 0.3
    if first == second:
        return 1.0
    return 0.7 if any(first in group and second in group for group in RELATED_DELIVERABLES) else 0.0


def actor_similarity(first: str | None, second: str | None) -> float:
    if first is None or second is None:
        return 0.3
    if is_government(first) and is_government(second):
        return 0.5
    if is_government(first) or is_government(second):
        return 0.0
    if first == second:
        return 1.0
    parts_first, parts_second = set(first.split("/")), set(second.split("/"))
    return 0.8 if parts_first & parts_second else 0.0  # "AIV" within "AIV/CAVV"


def word_weights(topics: Iterable[frozenset[str]]) -> dict[str, float]:
    """Inverse document frequency over the topics at hand, scaled to (0, 1]: a word that only one
    commitment has weighs 1, a word most commitments share weighs little."""
    pool = list(topics)
    frequency = Counter(word for topic in pool for word in topic)
    size = len(pool) + BACKGROUND_TOPICS
    top = math.log(1 + size)
    return {word: math.log(1 + size / count) / top for word, count in frequency.items()}


def topic_similarity(
    first: frozenset[str], second: frozenset[str], weights: Mapping[str, float] | None = None,
    ignore: frozenset[str] = frozenset(),
) -> float:  # fmt: skip
    """Weighted evidence of a shared subject: the summed weight of shared words, saturating at
    TOPIC_SATURATION distinctive words. An absolute amount rather than a ratio, so that a short statement
    is not drawn to an unrelated one by two generic words ("verantwoord gebruik")."""
    shared = (first & second) - ignore
    mass = sum(weights.get(w, 1.0) if weights else 1.0 for w in shared)
    return min(1.0, mass / TOPIC_SATURATION)


def similarity(
    actor: str | None, deliverable: str | None, topic: frozenset[str], known: KnownCommitment,
    weights: Mapping[str, float] | None = None,
) -> float:  # fmt: skip
    weight = deliverable_similarity(deliverable, known.deliverable)
    if weight == 0.0:
        return 0.0
    actors = actor_similarity(actor, known.actor)
    if actors == 0.0:
        return 0.0
    ignore = frozenset(stem(d) for d in (deliverable, known.deliverable) if d)
    topics = topic_similarity(topic, known.topic, weights, ignore)
    return weight * (ACTOR_WEIGHT * actors + TOPIC_WEIGHT * topics)


def _due_changed(old: DueInterval | None, new: DueInterval | None) -> bool:
    if new is None:
        return False  # restating without a date keeps the old deadline
    return old is None or (old.start, old.end) != (new.start, new.end)


def link_document(extraction: Extraction, known: Sequence[KnownCommitment]) -> list[Link]:
    document_date = extraction.document.date
    items: list[CommitmentStatement | Delivery] = [*extraction.commitments, *extraction.deliveries]
    weights = word_weights([*(k.topic for k in known), *(i.topic for i in items)])
    candidates: list[tuple[float, int, int]] = []
    for item_index, item in enumerate(items):
        for known_index, candidate in enumerate(known):
            if isinstance(item, Delivery):
                if item.on and candidate.stated_on and item.on < candidate.stated_on:
                    continue  # delivered before it was promised: another deliverable
                score = similarity(item.actor, item.deliverable, item.topic, candidate, weights)
            else:
                if candidate.fulfilled:
                    continue
                score = similarity(item.actor, item.deliverable, item.topic, candidate, weights)
            if score >= LINK_THRESHOLD:
                candidates.append((score, item_index, known_index))
    matched: dict[int, int] = {}
    used: set[int] = set()
    for _, item_index, known_index in sorted(candidates, key=lambda c: (-c[0], c[1], c[2])):
        if item_index in matched or known_index in used:
            continue
        matched[item_index] = known_index
        used.add(known_index)
    links: list[Link] = []
    for item_index, item in enumerate(items):
        commitment = known[matched[item_index]] if item_index in matched else None
        if isinstance(item, Delivery):
            if commitment is not None:
                links.append(Link("fulfilled", commitment.id, None, item, item.on or document_date))
            continue
        if commitment is None:
            links.append(Link("made", None, item, None, None))
        elif item.fulfilled_here:
            links.append(Link("fulfilled", commitment.id, item, None, document_date))
        elif _due_changed(commitment.due, item.due):
            links.append(Link("revised", commitment.id, item, None, None))
        else:
            links.append(Link("restated", commitment.id, item, None, None))
    return links
