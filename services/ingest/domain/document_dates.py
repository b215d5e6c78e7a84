"""A document's own date, read by the conventions of Dutch government documents: the letterhead's "Datum"
field in its many layouts, "Den Haag, 3 mei 2023", an Aanhangsel's "(ontvangen ...)", a motion's "Voorgesteld
...", and an English document's adoption date. Header date forms that `dates.py` does not parse (numeric,
English, a stamp's letter-spaced digits) are parsed here."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from datetime import date

from services.ingest.domain.dates import parse_explicit_date

# A full date: "3 mei 2023", "dinsdag 3 mei 2023", "03-05-2023"; English "8 November 2002", "November 8, 2002";
# a date stamp's letter-spaced digits ("2 2 APR. 2026").
_WEEKDAY = r"(?:(?:maan|dins|woens|donder|vrij|zater|zon)dag\s+)?"
_YEAR = r"(?:19|20)\d{2}\b"
_DAY_DATE = (
    rf"{_WEEKDAY}(?:(?:\d\s\d|\d{{1,2}})\s+[a-z]+\.?\s+{_YEAR}|\d{{1,2}}[-.]\d{{1,2}}[-.]{_YEAR}"
    rf"|[a-z]+\s+\d{{1,2}},\s+{_YEAR})"
)
# The own date in a header paragraph: a letterhead "Datum" field (on its own line, after "|" in a Word table,
# or run on after other fields: capitalised there, as prose says "de datum"), "Den Haag, 3 mei 2023",
# a motion's "Voorgesteld 6 juli 2021" (a report's "Vastgesteld ..."), "Brussel, 12.3.2024", an English
# "Adopted by the Security Council ... on 8 November 2002".
_DATE_LINE = re.compile(
    r"(?:^|(?<=[\s|]))(?:(?-i:Datum|Date)|^datum|^date)\s*[:|]?\s*(?P<d>" + _DAY_DATE + r")"
    r"|^(?:den\s+haag|'s-gravenhage|[’']s-gravenhage|amsterdam|\w+)\s*,\s*(?P<p>" + _DAY_DATE + r")\s*$"
    r"|^(?:voorgesteld|vastgesteld)\s+(?:(?:in\s+de\s+vergadering\s+)?(?:van|op)\s+)?(?P<v>" + _DAY_DATE + r")"
    r"|\badopted\s+by\s+the\s+[^.;]{3,80}?[\s,]+on\s+(?P<e>" + _DAY_DATE + r")",
    re.IGNORECASE | re.MULTILINE,
)
# An Aanhangsel's answer heading: "Antwoord van Minister X ... (ontvangen 22 augustus 2024)"; the questions'
# "(ingezonden 5 juli 2024)" dates a document that holds no answer (yet).
_RECEIVED = re.compile(r"\(\s*ontvangen\s+(?P<d>" + _DAY_DATE + r")\s*\)", re.IGNORECASE)
_ANSWER_HEADING = re.compile(r"^(?:antwoord|mededeling)\b|[.)]\s+(?:antwoord|mededeling)\s+van\b", re.IGNORECASE)
_SUBMITTED = re.compile(r"\(\s*ingezonden\s+(?P<d>" + _DAY_DATE + r")\s*\)", re.IGNORECASE)
# A letterhead "Datum" field anywhere: a Word letterhead is a table, read after the text ("Datum | 4 december
# 2023" may come last), and a PDF sidebar may be read after the first paragraphs, glued to other lines.
_LETTERHEAD_DATE = re.compile(r"(?:^|(?<=[\s|]))(?-i:Datum)\s*[|:]?\s*(?P<d>" + _DAY_DATE + r")", re.IGNORECASE)
# A "Datum" label alone, its value in the paragraph after it or, for a date stamp set beside the label, before
# it. A date alone in a header with a "Datum" label is the last resort.
_LABEL_ALONE = re.compile(r"^\s*(?:datum|date)\s*:?\s*$", re.IGNORECASE)
_LABEL_VALUE = re.compile(r"^\s*(?P<d>" + _DAY_DATE + r")\s*$", re.IGNORECASE)
_SPACED_DAY = re.compile(r"(?<!\d)(\d)\s(\d)(?=\s+[a-z])", re.IGNORECASE)
_ENGLISH_MONTHS = {m: i for i, m in enumerate(
    ("january", "february", "march", "april", "may", "june", "july", "august", "september", "october", "november",
     "december"), start=1)}  # fmt: skip
_ENGLISH_DATE = re.compile(
    r"(?:(?P<d>\d{1,2})\s+(?P<m>[a-z]+)|(?P<m2>[a-z]+)\s+(?P<d2>\d{1,2}),)\s+(?P<y>" + _YEAR + ")", re.IGNORECASE
)
_NUMERIC_DATE = re.compile(r"(?P<d>\d{1,2})([-.])(?P<m>\d{1,2})\2(?P<y>" + _YEAR + ")")


def own_date(header: list[str], head: list[str], paragraphs: Iterable[str]) -> date | None:
    """The date of a document from its `header` (the paragraphs above the salutation or the first prose),
    `head` (its first paragraphs) and all its `paragraphs`, by convention: an Aanhangsel's "(ontvangen ...)",
    else the header's "Datum ...", "Den Haag, ...", "Voorgesteld ...", "Adopted ... on ...", else the
    questions' "(ingezonden ...)", else a letterhead "Datum" field anywhere (a Word letterhead table)."""
    return (
        _first_date(_RECEIVED, _answer_headings(head))
        or _date_in(header)
        or _first_date(_SUBMITTED, head)
        or _first_date(_LETTERHEAD_DATE, paragraphs)
    )


def _answer_headings(paragraphs: list[str]) -> Iterator[str]:
    """Paragraphs of an answer heading ("Antwoord van Minister X ... (ontvangen ...)"), which the layout may
    split in two: those starting with the heading word and the paragraph after them."""
    for i, paragraph in enumerate(paragraphs):
        if _ANSWER_HEADING.search(paragraph) or (i and _ANSWER_HEADING.search(paragraphs[i - 1])):
            yield paragraph


def _first_date(pattern: re.Pattern[str], paragraphs: Iterable[str]) -> date | None:
    for paragraph in paragraphs:
        for match in pattern.finditer(paragraph):
            found = parse_day(match.group("d"))
            if found:
                return found
    return None


def parse_day(text: str) -> date | None:
    """One full date: Dutch ("dinsdag 3 mei 2023", a stamp's "2 2 APR. 2026"), numeric ("03-05-2023") or
    English ("8 November 2002")."""
    text = _SPACED_DAY.sub(r"\1\2", text)
    found = parse_explicit_date(text)
    if found:
        return found
    numeric = _NUMERIC_DATE.search(text)
    english = None if numeric else _ENGLISH_DATE.search(text)
    if numeric:
        day, month, year = int(numeric["d"]), int(numeric["m"]), int(numeric["y"])
    elif english:
        day, year = int(english["d"] or english["d2"]), int(english["y"])
        month = _ENGLISH_MONTHS.get((english["m"] or english["m2"]).lower(), 0)
    else:
        return None
    try:
        return date(year, month, day)
    except ValueError:  # no such month or day
        return None


def _label_alone_date(header: list[str]) -> date | None:
    for i, paragraph in enumerate(header):
        if _LABEL_ALONE.match(paragraph):
            for value in header[i + 1 : i + 2] + header[max(0, i - 1) : i]:
                found = _date_alone(value)
                if found:
                    return found
    return None


def _date_alone(paragraph: str) -> date | None:
    """The date a paragraph consists of ("3 mei 2023", a stamp's "2 2 APR. 2026"), else None."""
    match = _LABEL_VALUE.match(paragraph)
    return parse_day(match["d"]) if match else None


def _date_in(header: list[str]) -> date | None:
    found = _label_alone_date(header)
    if found:
        return found
    for paragraph in header:
        for match in _DATE_LINE.finditer(paragraph):
            found = parse_day(next(g for g in match.groups() if g))
            if found:
                return found
    # a letterhead read label column first, values after ("Datum", "Betreft", "3 mei 2023", ...)
    if any(_LABEL_ALONE.match(p) for p in header):
        return next((found for p in header if (found := _date_alone(p))), None)
    return None
