"""Dated meetings of international forums ("Van 11 tot 15 november vindt ... (CCW) plaats")."""

from __future__ import annotations

import re
from datetime import date

from services.ingest.domain.cleaning import CleanDocument
from services.ingest.domain.dates import find_date_spans
from services.ingest.domain.forums import forum_mentions
from services.ingest.domain.model import Meeting
from services.ingest.domain.needles import FastPattern, lower_for_needles
from services.ingest.domain.sentences import split_sentences

_MEETING_WORDS = FastPattern(
    r"bijeen|vergader|conferentie|summit|\btop\b|topontmoeting|zitting|sessie|\bplaats|workshop|ministeri[eë]le|"
    r"meeting",
    re.IGNORECASE,
)
# A date right after a document noun dates that document, not a meeting.
_DOCUMENT_DATE = FastPattern(
    r"\b(?:brief|kamerbrief|debat|commissiedebat|motie|nota|verslag|advies|rapport|fiche)\b[^;]*\b(?:van|uit)\s+$",
    re.IGNORECASE,
)
_MAX_WORD_DISTANCE = 150  # characters between the date and "bijeenkomst", "kwam ... bijeen", ...
_MAX_FORUM_DISTANCE = 120  # characters between the date and the forum's name
_DIGIT = re.compile(r"\d")
_PAST = FastPattern(
    r"\b(?:jl\.|kwam|kwamen|vond|vonden|werd|werden|heeft|hebben|hadden|had|besloten|plaatsgevonden|"
    r"afgelopen|bereikte|organiseerde)\b",
    re.IGNORECASE,
)


def _nearest_forum(mentions: list[tuple[int, str]], position: int) -> str | None:
    """The forum named closest to the date, preferring one named before it."""
    if not mentions:
        return None
    return min(mentions, key=lambda m: abs(m[0] - position) * (1 if m[0] <= position else 1.5))[1]


def find_meetings(doc: CleanDocument, document_date: date | None) -> tuple[Meeting, ...]:
    meetings: dict[tuple[str, date, date], Meeting] = {}
    for sentence in split_sentences(doc.body):
        if not _DIGIT.search(sentence):
            continue  # a dated meeting needs a day or year number
        lowered = lower_for_needles(sentence)
        if not _MEETING_WORDS.search(sentence, lowered):
            continue
        mentions = forum_mentions(sentence)
        if not mentions:
            continue
        past = bool(_PAST.search(sentence, lowered))
        words = [m.start() for m in _MEETING_WORDS.finditer(sentence, lowered)]
        for span in find_date_spans(sentence, document_date):
            if _DOCUMENT_DATE.search(sentence[max(0, span.position - 50) : span.position]):
                continue  # "de brief van 8 juli 2022", "de motie ... uit april 2019"
            if min(abs(w - span.position) for w in words) > _MAX_WORD_DISTANCE:
                continue
            near = [m for m in mentions if abs(m[0] - span.position) <= _MAX_FORUM_DISTANCE]
            forum = _nearest_forum(near, span.position)
            if forum is None:
                continue
            held = span.end < document_date if document_date else past
            key = (forum, span.start, span.end)
            meetings.setdefault(key, Meeting(forum, span.start, span.end, " ".join(sentence.split()), held))
    return tuple(meetings.values())
