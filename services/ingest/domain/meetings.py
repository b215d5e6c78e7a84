"""Dated meetings of international forums ("Van 11 tot 15 november vindt ... (CCW) plaats")."""

from __future__ import annotations

import re
from datetime import date

from services.ingest.domain.cleaning import CleanDocument
from services.ingest.domain.dates import MONTHS, find_date_spans
from services.ingest.domain.forums import forum_mentions
from services.ingest.domain.model import Meeting
from services.ingest.domain.needles import FastPattern, lower_for_needles
from services.ingest.domain.patterns import compile_guarded
from services.ingest.domain.sentences import split_sentences

_MEETING_WORDS = FastPattern(
    r"bijeen|vergader|conferentie|summit|\btop\b|topontmoeting|zitting|sessie|\bplaats|workshop|ministeri[eë]le|"
    r"meeting",
    re.IGNORECASE,
)
# A date right after a document noun dates that document, not a meeting.
_DOCUMENT_DATE = FastPattern(
    r"\b(?:brief|kamerbrief|debat|commissiedebat|motie|nota|verslag|advies|rapport|fiche)\b[^;]*\b(?:van|uit)\s+$"
    r"|\b(?:debat|commissiedebat|overleg|notaoverleg)\b[^;.]{0,60}\bop\s+$",
    re.IGNORECASE,
)
_MAX_WORD_DISTANCE = 150  # characters between the date and "bijeenkomst", "kwam ... bijeen", ...
_MAX_FORUM_DISTANCE = 120  # characters between the date and the forum's name
_DIGIT = re.compile(r"\d")
# A Council formation names a meeting by itself ("de Milieuraad van 14 oktober"); looked for (in the lowered
# sentence) only when one of these words occurs, so the scan for _MEETING_WORDS stays cheap
_COUNCIL_WORDS = ("raad", "ecofin", "eurogroep")
_COUNCIL_WORD = re.compile(r"raad\b|ecofin|eurogroep")
_MONTH_NAME = compile_guarded(r"\b(?:" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")\b", re.IGNORECASE)
_MONTH_STEMS = ("jan", "feb", "maart", "mrt", "apr", "mei", "jun", "jul", "aug", "sep", "okt", "nov", "dec")


def _has_month(sentence: str, lowered: str) -> bool:
    """_MONTH_NAME.search(sentence), after a cheap test (on sentence.lower()) for the letters every month name
    starts with."""
    return any(stem in lowered for stem in _MONTH_STEMS) and _MONTH_NAME.search(sentence) is not None


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
        lowered = lower_for_needles(sentence)
        folded = sentence.lower() if lowered is None else lowered
        if not _DIGIT.search(sentence) and not _has_month(sentence, folded):
            continue  # a dated meeting needs a number or a month ("in mei jl.")
        council = any(word in folded for word in _COUNCIL_WORDS) and _COUNCIL_WORD.search(folded) is not None
        if not council and not _MEETING_WORDS.search(sentence, lowered):
            continue
        mentions = forum_mentions(sentence)
        if not mentions:
            continue
        past = bool(_PAST.search(sentence, lowered))
        words = [m.start() for m in _MEETING_WORDS.finditer(sentence, lowered)]
        if council:
            words += [m.start() for m in _COUNCIL_WORD.finditer(folded)]
        if not words:
            continue
        for span in find_date_spans(sentence, document_date):
            if _DOCUMENT_DATE.search(sentence[max(0, span.position - 80) : span.position]):
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
