"""Deliveries: evidence in a letter or its footnotes that a deliverable now exists ("AIV-advies 119 ...")."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date

from services.ingest.domain.actors import body_actor
from services.ingest.domain.cleaning import CleanDocument
from services.ingest.domain.dates import find_date_spans
from services.ingest.domain.deliverables import deliverable_of
from services.ingest.domain.model import Delivery, DocumentInfo
from services.ingest.domain.needles import FastPattern, lower_for_needles
from services.ingest.domain.sentences import sentences_of
from services.ingest.domain.topics import topic_words

_FOOTNOTE_MARKER = re.compile(r"\[\^(\d+)\]")
# A delivery sentence names one of these (in lower case); the others are skipped before any pattern runs.
_DELIVERY_CUES = ("advies", "rapport", "verslag", "hierbij", "geactualiseerd", "vervangen", "herzien", "bijgewerkt")
_BODY_PRODUCT = FastPattern(
    r"\b(?P<body>AIV|CAVV|WRR|Raad\s+van\s+State|Rekenkamer)[-\s](?P<kind>advies|rapport)\s+(?:nr\.?\s*|no\.?\s*)?\d+",
    re.IGNORECASE,
)
_THANKS = FastPattern(
    r"\bdank(?:en|t|)\b.*\bvoor\s+(?:hun|het|zijn|haar)\s+(?:\w+\s+)?(?P<kind>advies|rapport|verslag)\b", re.I
)
_UPDATED = FastPattern(
    r"\bhiermee\s+(?:wordt|is|worden)\b.*\b(?P<kind>advies|rapport|beleidskader|strategie)\b.*"
    r"\b(?:geactualiseerd|vervangen|herzien|bijgewerkt)\b",
    re.IGNORECASE,
)
_HEREWITH = FastPattern(
    r"\bhierbij\s+(?:ontvangt\s+u|bied\s+(?:ik|wij)\s+u|stuur\s+(?:ik|wij)\s+u|zend\s+(?:ik|wij)\s+u)\s+"
    r"(?:\w+\s+){0,4}?(?P<kind>[\w-]+)",
    re.IGNORECASE,
)


def _has_cue(text: str) -> bool:
    lowered = text.lower()
    for cue in _DELIVERY_CUES:  # noqa: SIM110 - a plain loop: cheaper than any() over a generator
        if cue in lowered:
            return True
    return False


def _delivery_in(text: str, context: str, document_date: date | None, footnote_text: str) -> Delivery | None:
    """The delivery `text` reports (`context`: the sentence before; `footnote_text`: its footnotes)."""
    lowered = lower_for_needles(text)
    product = _BODY_PRODUCT.search(text, lowered)
    if product:
        spans = [s for s in find_date_spans(text, None) if s.precision == "day"]
        return Delivery(body_actor(text), product.group("kind").lower(), spans[0].start if spans else None,
                        " ".join(text.split()), topic_words(text))  # fmt: skip
    for pattern in (_THANKS, _UPDATED):
        match = pattern.search(text, lowered)
        if match:
            actor = body_actor(text) or body_actor(context)
            return Delivery(actor, match.group("kind").lower(), None, " ".join(text.split()),
                            topic_words(f"{text} {footnote_text}"))  # fmt: skip
    herewith = _HEREWITH.search(text, lowered)
    if herewith:
        kind = deliverable_of(herewith.group("kind")) or herewith.group("kind").lower()
        return Delivery("kabinet", kind, document_date, " ".join(text.split()), topic_words(text))
    return None


def find_deliveries(doc: CleanDocument, info: DocumentInfo) -> tuple[Delivery, ...]:
    """Deliveries in the body and in footnotes, one per (actor, deliverable, date); topic words merged."""
    found: dict[tuple[str | None, str, date | None], Delivery] = {}
    sentences = sentences_of(doc.body)
    texts: list[tuple[str, str, str]] = []
    for index, sentence in enumerate(sentences):
        if not _has_cue(sentence.text):
            continue  # most sentences: no delivery words, no need for their context and footnotes
        previous = sentences[index - 1].text if index else ""
        notes = " ".join(doc.footnotes.get(n, "") for n in _FOOTNOTE_MARKER.findall(sentence.text))
        texts.append((sentence.text, previous, notes))
    texts.extend((note, "", "") for note in doc.footnotes.values() if _has_cue(note))
    for text, context, notes in texts:
        delivery = _delivery_in(text, context, info.date, notes)
        if delivery is None:
            continue
        key = (delivery.actor, delivery.deliverable, delivery.on)
        if key in found:
            found[key] = replace(found[key], topic=found[key].topic | delivery.topic)
        else:
            found[key] = delivery
    return tuple(found.values())
