"""The time table of DESIGN.md: Dutch deadline phrases -> closed date intervals.

This is the one place that turns words into dates. Every rule resolves relative phrases against the
document date; without one, relative phrases give None (never guess). A phrase without a year takes the
document's year and, for deadlines, the next occurrence on or after the document date.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Literal

from services.ingest.domain.model import DueInterval
from services.ingest.domain.needles import Needles, lower_for_needles
from services.ingest.domain.patterns import compile_guarded

Direction = Literal["past", "future"] | None

MONTHS: dict[str, int] = {
    "januari": 1, "februari": 2, "maart": 3, "april": 4, "mei": 5, "juni": 6, "juli": 7,
    "augustus": 8, "september": 9, "oktober": 10, "november": 11, "december": 12,
    "jan": 1, "feb": 2, "febr": 2, "mrt": 3, "apr": 4, "jun": 6, "jul": 7, "aug": 8,
    "sep": 9, "sept": 9, "okt": 10, "nov": 11, "dec": 12,
}  # fmt: skip
ORDINALS: dict[str, int] = {
    "eerste": 1, "tweede": 2, "derde": 3, "vierde": 4, "laatste": 4,
    "1e": 1, "2e": 2, "3e": 3, "4e": 4, "1ste": 1, "2de": 2, "3de": 3, "4de": 4,
}  # fmt: skip
NUMBER_WORDS: dict[str, int] = {
    "een": 1, "één": 1, "twee": 2, "drie": 3, "vier": 4, "vijf": 5, "zes": 6, "zeven": 7,
    "acht": 8, "negen": 9, "tien": 10, "elf": 11, "twaalf": 12, "enkele": 3, "paar": 2,
}  # fmt: skip

_MONTH = r"(?:" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")\.?"
_YEAR = r"(?:19|20)\d{2}"
# A year reference: "2020", "het jaar 2020", "dit jaar", "(het) komend jaar", "volgend jaar", "vorig jaar".
_YR = (
    r"(?:(?:het\s+)?jaar\s+" + _YEAR + r"|" + _YEAR + r"(?![\w/-])"
    r"|(?:het\s+)?(?:dit|komend|komende|volgend|volgende|vorig|vorige|aankomend|aankomende)\s+jaar)"
)
# Also "het jaar" alone (only after "eind(e) van", "helft van", "voor het einde van").
_YR_ALL = r"(?:" + _YR + r"|het\s+jaar\b)"
_NUM = r"(?:\d{1,3}|" + "|".join(NUMBER_WORDS) + r")"
_BEFORE = r"(?:voor|vóór|uiterlijk|ten\s+laatste|tegen)"

_SEASON_MONTHS: dict[str, int] = {"voorjaar": 3, "lente": 3, "zomer": 6, "najaar": 9, "herfst": 9, "winter": 12}
# Start months of the parts of a year, inclusive month ranges.
_PART_MONTHS: dict[str, tuple[int, int]] = {"begin": (1, 3), "medio": (5, 8), "eind": (10, 12)}
# Parliamentary recesses, approximated by the day they usually start.
_RECESS_END: dict[str, tuple[int, int]] = {
    "zomer": (6, 30), "zomerreces": (6, 30), "kerstreces": (12, 20),
    "herfstreces": (10, 15), "voorjaarsreces": (2, 15), "krokusreces": (2, 15),
    "kerst": (12, 24), "kerstmis": (12, 24),  # "voor de kerst": before Christmas Day
}  # fmt: skip
# "begin juli" 1-10, "medio juli" 11-20, "eind mei" 21 to the month's last day
_MONTH_PART_DAYS: dict[str, tuple[int, int | None]] = {"begin": (1, 10), "medio": (11, 20), "half": (11, 20),
                                                        "eind": (21, None), "einde": (21, None)}  # fmt: skip


@dataclass(frozen=True)
class DateSpan:
    """An explicit date or date range found in text ("20-21 augustus jl.", "september 2019")."""

    start: date
    end: date
    precision: str  # day | days | month | season
    phrase: str
    position: int


def month_number(word: str) -> int | None:
    return MONTHS.get(word.lower().rstrip("."))


def number_value(word: str) -> int | None:
    word = word.lower()
    return int(word) if word.isdigit() else NUMBER_WORDS.get(word)


def last_day(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def add_months(day: date, months: int) -> date:
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def resolve_year_text(text: str | None, document_date: date | None) -> int | None:
    """ "2020" -> 2020; "dit jaar" / "het jaar" -> document year; "komend jaar" -> +1; "vorig jaar" -> -1."""
    if not text:
        return document_date.year if document_date else None
    digits = re.search(_YEAR, text)
    if digits:
        return int(digits.group())
    if document_date is None:
        return None
    lowered = text.lower()
    if re.search(r"komend|volgend|aankomend", lowered):
        return document_date.year + 1
    if "vorig" in lowered:
        return document_date.year - 1
    return document_date.year


def _safe_date(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _shift_years(start: date, end: date, years: int) -> tuple[date, date]:
    def shift(day: date) -> date:
        return day.replace(year=day.year + years, day=min(day.day, calendar.monthrange(day.year + years, day.month)[1]))

    return shift(start), shift(end)


def resolve_missing_year(start: date, end: date, document_date: date, direction: Direction) -> tuple[date, date]:
    """Dates written without a year: "jl." -> most recent past, future -> next occurrence, else as is."""
    if direction == "past" and start > document_date:
        return _shift_years(start, end, -1)
    if direction == "future" and end < document_date:
        return _shift_years(start, end, 1)
    return start, end


# ---------------------------------------------------------------- explicit dates (meetings, deliveries)

_DAY = r"(?P<d1>\d{1,2})"
_EXPLICIT_SOURCES: tuple[str, ...] = (
    # 11 november tot 2 december 2019, 30 juni - 1 juli
    r"\b" + _DAY + r"\s+(?P<m1>" + _MONTH + r")\s*(?:-|–|tot\s+en\s+met|t/m|tot)\s*(?P<d2>\d{1,2})\s+"
    r"(?P<m2>" + _MONTH + r")(?:\s+(?P<y>" + _YEAR + r"))?",
    # 20-21 augustus, van 11 tot 15 november, 15 en 16 februari, 11 t/m 15 november 2019
    r"\b" + _DAY + r"\s*(?:-|–|tot\s+en\s+met|t/m|tot|en)\s*(?P<d2>\d{1,2})\s+(?P<m2>" + _MONTH + r")"
    r"(?:\s+(?P<y>" + _YEAR + r"))?",
    # 3 december 2021, 17 mei jl.
    r"\b" + _DAY + r"\s+(?P<m2>" + _MONTH + r")(?:\s+(?P<y>" + _YEAR + r"))?",
    # september 2019, (in) december 2021
    r"\b(?P<m2>" + _MONTH + r")\s+(?:van\s+)?(?P<yr>" + _YR + r")",
    # in november, eind mei (month without year needs a preposition to be a date)
    r"\b(?:in|begin|medio|eind|einde|vanaf|per|rond|sinds|tot)\s+(?P<m2>" + _MONTH + r")\b(?!\s+(?:\d))",
)
_EXPLICIT_PATTERNS: tuple[re.Pattern[str], ...] = tuple(compile_guarded(p, re.IGNORECASE) for p in _EXPLICIT_SOURCES)
_EXPLICIT_NEEDLES: tuple[Needles, ...] = tuple(Needles(p, re.IGNORECASE) for p in _EXPLICIT_SOURCES)
_JL = re.compile(r"^\s*(?:jl\.?|jongstleden|j\.l\.)", re.IGNORECASE)


def find_date_spans(text: str, document_date: date | None, direction: Direction = None) -> tuple[DateSpan, ...]:
    """Explicit dates and ranges in `text`, earliest first. A missing year comes from the document date
    ("jl." = most recent past occurrence); without a document date such dates are skipped."""
    spans: list[DateSpan] = []
    taken: list[tuple[int, int]] = []
    lowered = lower_for_needles(text)
    for pattern, needles in zip(_EXPLICIT_PATTERNS, _EXPLICIT_NEEDLES, strict=True):
        if not needles.may_match(text, lowered):
            continue  # none of the words the pattern needs: skip the scan
        for match in pattern.finditer(text):
            if any(match.start() < e and s < match.end() for s, e in taken):
                continue
            span = _explicit_span(match, text, document_date, direction)
            if span is not None:
                spans.append(span)
                taken.append((match.start(), match.end()))
    for match in _SEASON_WITH_YEAR.finditer(text) if _SEASON_NEEDLES.may_match(text, lowered) else ():
        if not any(match.start() < e and s < match.end() for s, e in taken):
            year = int(match.group("y"))
            first = _SEASON_MONTHS[match.group("season").lower()]
            end = last_day(year + 1, 2) if first == 12 else last_day(year, first + 2)
            spans.append(DateSpan(date(year, first, 1), end, "season", match.group(0), match.start()))
    return tuple(sorted(spans, key=lambda s: s.position))


_SEASON_SOURCE = r"\b(?P<season>voorjaar|lente|zomer|najaar|herfst|winter)\s+(?:van\s+)?(?P<y>" + _YEAR + r")\b"
_SEASON_WITH_YEAR = compile_guarded(_SEASON_SOURCE, re.IGNORECASE)
_SEASON_NEEDLES = Needles(_SEASON_SOURCE, re.IGNORECASE)


def _explicit_span(
    match: re.Match[str], text: str, document_date: date | None, direction: Direction
) -> DateSpan | None:
    groups = match.groupdict()
    month2 = month_number(groups["m2"])
    if month2 is None:
        return None
    month1 = month_number(groups["m1"]) if groups.get("m1") else month2
    year_text = groups.get("y") or groups.get("yr")
    year = resolve_year_text(year_text, document_date) if year_text else None
    has_year = year is not None
    if not has_year:
        if document_date is None:
            return None
        year = document_date.year
    assert year is not None
    d1, d2 = groups.get("d1"), groups.get("d2")
    if d1 is None and d2 is None:
        start, end, precision = date(year, month2, 1), last_day(year, month2), "month"
    else:
        first_day = int(d1) if d1 else int(d2 or 1)
        start_or_none = _safe_date(year, month1 or month2, first_day)
        end_or_none = _safe_date(year, month2, int(d2)) if d2 else start_or_none
        if start_or_none is None or end_or_none is None:
            return None
        start, end = start_or_none, end_or_none
        if month1 and month1 > month2:  # 30 december - 2 januari
            start = start.replace(year=year - 1)
        precision = "day" if start == end else "days"
    if end < start:
        return None
    if not has_year and document_date is not None:
        past = _JL.match(text[match.end() :]) is not None
        start, end = resolve_missing_year(start, end, document_date, "past" if past else direction)
    return DateSpan(start, end, precision, match.group(0), match.start())


def parse_explicit_date(text: str) -> date | None:
    """The first full date written with day, month name and year ("3 december 2021")."""
    for span in find_date_spans(text, None):
        if span.precision == "day":
            return span.start
    return None


# ---------------------------------------------------------------- deadline rules

Handler = Callable[[re.Match[str], date | None], DueInterval | None]


def _interval(
    start: date, end: date, precision: str, match: re.Match[str], recurring: str | None = None
) -> DueInterval:
    return DueInterval(start, end, precision, recurring, " ".join(match.group(0).split()))


def _next_occurrence(start: date, end: date, year_given: bool, document_date: date | None) -> tuple[date, date]:
    if not year_given and document_date is not None:
        return resolve_missing_year(start, end, document_date, "future")
    return start, end


def _year_of(match: re.Match[str], document_date: date | None) -> tuple[int | None, bool]:
    text = match.groupdict().get("yr")
    return resolve_year_text(text, document_date), bool(text)


def _before_start(end: date, document_date: date | None) -> date:
    if document_date is not None and document_date <= end:
        return document_date
    return date(end.year, 1, 1)


def _on_year(match: re.Match[str], document_date: date | None) -> DueInterval | None:
    year, _ = _year_of(match, document_date)
    return None if year is None else _interval(date(year, 1, 1), date(year, 12, 31), "year", match)


def _on_half(match: re.Match[str], document_date: date | None) -> DueInterval | None:
    year, given = _year_of(match, document_date)
    if year is None:
        return None
    first = ORDINALS[match.group("ord").lower()] == 1
    start, end = (date(year, 1, 1), date(year, 6, 30)) if first else (date(year, 7, 1), date(year, 12, 31))
    start, end = _next_occurrence(start, end, given, document_date)
    return _interval(start, end, "half", match)


def _on_quarter(match: re.Match[str], document_date: date | None) -> DueInterval | None:
    year, given = _year_of(match, document_date)
    if year is None:
        return None
    quarter = ORDINALS.get((match.groupdict().get("ord") or "").lower()) or int(match.groupdict().get("q") or 0)
    if not 1 <= quarter <= 4:
        return None
    first_month = 3 * quarter - 2
    start, end, precision = date(year, first_month, 1), last_day(year, first_month + 2), "quarter"
    edge = (match.groupdict().get("edge") or "").lower()
    if "eind" in edge:
        start, precision = date(year, first_month + 2, 1), "month"
    elif "begin" in edge:
        end, precision = last_day(year, first_month), "month"
    start, end = _next_occurrence(start, end, given, document_date)
    return _interval(start, end, precision, match)


def _on_quarter_before(match: re.Match[str], document_date: date | None) -> DueInterval | None:
    """ "uiterlijk in het eerste kwartaal van 2026": any time from the document date to the quarter's end."""
    quarter = _on_quarter(match, document_date)
    if quarter is None:
        return None
    return DueInterval(_before_start(quarter.end, document_date), quarter.end, "before", None, quarter.phrase)


def _on_part(match: re.Match[str], document_date: date | None) -> DueInterval | None:
    year, _ = _year_of(match, document_date)
    if year is None:
        return None
    part = match.group("part").lower()
    key = "begin" if "begin" in part else "eind" if "eind" in part else "medio"
    first, last = _PART_MONTHS[key]
    return _interval(date(year, first, 1), last_day(year, last), "part_of_year", match)


def _on_season(match: re.Match[str], document_date: date | None) -> DueInterval | None:
    season = match.group("season").lower()
    first_month = _SEASON_MONTHS[season]
    modifier = (match.groupdict().get("mod") or "").lower()
    year_text = match.groupdict().get("yr")
    if year_text:
        year = resolve_year_text(year_text, document_date)
    elif document_date is None:
        return None
    else:
        year = document_date.year
    if year is None:
        return None
    start = date(year, first_month, 1)
    end = last_day(year + 1, 2) if first_month == 12 else last_day(year, first_month + 2)
    upcoming = modifier.startswith(("komend", "volgend", "aankomend"))
    passed = document_date is not None and (end < document_date or (upcoming and start <= document_date))
    if not year_text and passed:
        start, end = _shift_years(start, end, 1)
    return _interval(start, end, "season", match)


def _on_month_part(match: re.Match[str], document_date: date | None) -> DueInterval | None:
    """ "eind mei" -> 21-31 May; "eind maart/begin april" -> 21 March - 10 April (the first part's start, the
    last part's end)."""
    year, given = _year_of(match, document_date)
    last = month_number(match.group("m2"))
    first = month_number(match.group("m1")) if match.groupdict().get("m1") else last
    if year is None or first is None or last is None:
        return None
    first_part = _MONTH_PART_DAYS[(match.groupdict().get("p1") or match.group("p2")).lower()]
    last_part = _MONTH_PART_DAYS[match.group("p2").lower()]
    start = date(year - (first > last), first, first_part[0])
    end = date(year, last, last_part[1] or last_day(year, last).day)
    start, end = _next_occurrence(start, end, given, document_date)
    return _interval(start, end, "days", match)


def _on_half_month(match: re.Match[str], document_date: date | None) -> DueInterval | None:
    """ "de tweede helft van juni" -> 16-30 June; "de eerste helft van juni" -> 1-15 June."""
    year, given = _year_of(match, document_date)
    month = month_number(match.group("m2"))
    if year is None or month is None:
        return None
    first = ORDINALS[match.group("ord").lower()] == 1
    start = date(year, month, 1 if first else 16)
    end = date(year, month, 15) if first else last_day(year, month)
    start, end = _next_occurrence(start, end, given, document_date)
    return _interval(start, end, "days", match)


def _third_tuesday_of_september(year: int) -> date:
    first = date(year, 9, 1)
    return first + timedelta(days=(1 - first.weekday()) % 7 + 14)


def _on_prinsjesdag(match: re.Match[str], document_date: date | None) -> DueInterval | None:
    """Prinsjesdag is the third Tuesday of September; "voor Prinsjesdag" runs up to the day before it."""
    year, given = _year_of(match, document_date)
    if year is None:
        return None
    day = _third_tuesday_of_september(year)
    if not given and document_date is not None and day < document_date:
        day = _third_tuesday_of_september(year + 1)
    if match.group("kw") and match.group("kw").lower().startswith(("voor", "vóór")):
        end = day - timedelta(days=1)
        return _interval(_before_start(end, document_date), end, "before", match)
    return _interval(day, day, "day", match)


def _on_later_this_year(match: re.Match[str], document_date: date | None) -> DueInterval | None:
    if document_date is None:
        return None
    return _interval(document_date, date(document_date.year, 12, 31), "before", match)


def _on_after_summer(match: re.Match[str], document_date: date | None) -> DueInterval | None:
    year, given = _year_of(match, document_date)
    if year is None:
        return None
    start, end = _next_occurrence(date(year, 9, 1), date(year, 11, 30), given, document_date)
    return _interval(start, end, "season", match)


def _on_recess(match: re.Match[str], document_date: date | None) -> DueInterval | None:
    year, given = _year_of(match, document_date)
    if year is None:
        return None
    recess = match.group("recess").lower().replace("het ", "").replace("de ", "").strip()
    month, day = _RECESS_END.get(recess, (6, 30))
    end = date(year, month, day)
    if not given and document_date is not None and end < document_date:
        end = end.replace(year=end.year + 1)
    recurring = "yearly" if match.groupdict().get("yearly") else None
    return _interval(_before_start(end, document_date), end, "before", match, recurring)


def _on_yearly_recess(match: re.Match[str], document_date: date | None) -> DueInterval | None:
    if document_date is None:
        return None  # "jaarlijks" is relative to the document date
    return _on_recess(match, document_date)


def _on_before_year_end(match: re.Match[str], document_date: date | None) -> DueInterval | None:
    year, _ = _year_of(match, document_date)
    if year is None:
        return None
    end = date(year, 12, 31)
    return _interval(_before_start(end, document_date), end, "before", match)


def _on_before_month_end(match: re.Match[str], document_date: date | None) -> DueInterval | None:
    month = month_number(match.group("m2"))
    year, given = _year_of(match, document_date)
    if month is None or year is None:
        return None
    end = last_day(year, month)
    if not given and document_date is not None and end < document_date:
        end = last_day(year + 1, month)
    return _interval(_before_start(end, document_date), end, "before", match)


def _on_before_day(match: re.Match[str], document_date: date | None) -> DueInterval | None:
    month = month_number(match.group("m2"))
    year, given = _year_of(match, document_date)
    if month is None or year is None:
        return None
    day = _safe_date(year, month, int(match.group("d1")))
    if day is None:
        return None
    if not given and document_date is not None and day < document_date:
        day = day.replace(year=day.year + 1)
    # "voor 1 januari" excludes that day; "uiterlijk 1 januari" includes it.
    end = day - timedelta(days=1) if match.group("kw").lower().startswith(("voor", "vóór")) else day
    return _interval(_before_start(end, document_date), end, "before", match)


def _on_explicit(match: re.Match[str], document_date: date | None) -> DueInterval | None:
    span = _explicit_span(match, match.string, document_date, "future")
    if span is None:
        return None
    return DueInterval(span.start, span.end, span.precision, None, " ".join(span.phrase.split()))


_VAGUE_MONTHS: dict[str, int] = {
    "de komende maanden": 6, "de komende periode": 6, "de komende weken": 2, "op korte termijn": 3,
    "binnenkort": 3, "zo spoedig mogelijk": 3, "zo snel mogelijk": 3, "spoedig": 3, "de komende tijd": 6,
}  # fmt: skip
_UNIT_DAYS: dict[str, int] = {"dag": 1, "dagen": 1, "week": 7, "weken": 7}
_UNIT_MONTHS: dict[str, int] = {"maand": 1, "maanden": 1, "jaar": 12, "jaren": 12}


def _on_vague(match: re.Match[str], document_date: date | None) -> DueInterval | None:
    if document_date is None:
        return None
    phrase = " ".join(match.group(0).lower().split())
    months = next((m for words, m in _VAGUE_MONTHS.items() if words in phrase), 3)
    return _interval(document_date, add_months(document_date, months), "vague", match)


_AFTER_OTHER_EVENT = re.compile(r"\s+(?:na|nadat|vanaf|volgend\s+op)\b", re.IGNORECASE)


def _on_within(match: re.Match[str], document_date: date | None) -> DueInterval | None:
    count = number_value(match.group("n"))
    if document_date is None or count is None:
        return None
    if _AFTER_OTHER_EVENT.match(match.string, match.end()):
        return None  # "binnen acht weken na publicatie": counted from another event, not from the letter
    unit = match.group("unit").lower()
    if unit in _UNIT_DAYS:
        end = document_date + timedelta(days=count * _UNIT_DAYS[unit])
    else:
        end = add_months(document_date, count * _UNIT_MONTHS[unit])
    return _interval(document_date, end, "vague", match)


# (priority, pattern, handler, words): a lower priority number wins when several phrases match one sentence.
_RULES: tuple[tuple[int, re.Pattern[str], Handler, frozenset[str] | None], ...] = tuple(
    (priority, compile_guarded(pattern, re.IGNORECASE), handler, Needles(pattern, re.IGNORECASE).folded_words)
    for priority, pattern, handler in (
        (0, r"\b(?P<yearly>jaarlijks|ieder\s+jaar|elk\s+jaar)\s+" + _BEFORE + r"\s+(?P<recess>de\s+zomer|"
         r"het\s+(?:zomer|kerst|herfst|voorjaars|krokus)reces)\b", _on_yearly_recess),
        (1, r"\b" + _BEFORE + r"\s+(?P<recess>de\s+zomer|het\s+(?:zomer|kerst|herfst|voorjaars|krokus)reces|"
         r"(?:de\s+)?kerst(?:mis)?)\b"
         r"(?:\s+(?:van\s+)?(?P<yr>" + _YR + r"))?", _on_recess),
        (1, r"\b" + _BEFORE + r"\s+(?:het\s+)?(?:eind|einde)\s+(?:van\s+)?(?P<yr>" + _YR_ALL + r")",
         _on_before_year_end),
        (1, r"\buiterlijk\s+(?:in\s+)?(?P<yr>" + _YEAR + r")\b(?!\s*(?:-|\d))", _on_before_year_end),
        (1, r"\b" + _BEFORE + r"\s+(?:het\s+)?(?:eind|einde)\s+(?:van\s+)?(?P<m2>" + _MONTH + r")"
         r"(?:\s+(?P<yr>" + _YEAR + r"))?", _on_before_month_end),
        (1, r"\buiterlijk\s+(?:in\s+)?(?P<m2>" + _MONTH + r")(?:\s+(?P<yr>" + _YEAR + r"))?(?!\s*\d)",
         _on_before_month_end),
        (1, r"\b(?:uiterlijk|ten\s+laatste)\s+(?:in\s+)?(?:het\s+)?(?P<ord>eerste|tweede|derde|vierde|laatste|[1-4]e|"
         r"1ste|2de|3de|4de)\s+kwartaal(?:\s+(?:van\s+)?(?P<yr>" + _YR + r"))?", _on_quarter_before),
        (1, r"\b(?P<kw>voor|vóór|uiterlijk(?:\s+op)?|ten\s+laatste(?:\s+op)?)\s+(?P<d1>\d{1,2})\s+"
         r"(?P<m2>" + _MONTH + r")(?:\s+(?P<yr>" + _YEAR + r"))?", _on_before_day),
        (1, r"\bna\s+(?:de\s+zomer|het\s+zomerreces)\b(?:\s+(?:van\s+)?(?P<yr>" + _YR + r"))?",
         _on_after_summer),
        (1, r"\b(?P<p1>eind|einde)\s+(?P<m1>" + _MONTH + r")\s*(?:/|of|en|-|–|tot)\s*(?P<p2>begin)\s+(?P<m2>"
         + _MONTH + r")(?:\s+(?P<yr>" + _YEAR + r"))?", _on_month_part),
        (1, r"\b(?:(?P<kw>voor|vóór|uiterlijk|op|met|rond|bij)\s+)?prinsjesdag(?:\s+(?P<yr>" + _YEAR + r"))?\b",
         _on_prinsjesdag),
        (2, r"\b(?P<ord>eerste|tweede|1e|2e)\s+helft\s+van\s+(?P<m2>" + _MONTH + r")(?:\s+(?P<yr>" + _YEAR + r"))?",
         _on_half_month),
        (2, r"\b(?P<p2>begin|medio|half|eind|einde)\s+(?P<m2>" + _MONTH + r")(?:\s+(?P<yr>" + _YEAR + r"))?(?!\s*\d)",
         _on_month_part),
        (2, _EXPLICIT_SOURCES[0], _on_explicit),
        (2, _EXPLICIT_SOURCES[1], _on_explicit),
        (2, r"\b(?P<edge>aan\s+het\s+(?:eind|einde|begin)\s+van|(?:het\s+)?(?:eind|einde|begin)\s+van)\s+"
         r"(?:het\s+)?(?P<ord>eerste|tweede|derde|vierde|laatste|[1-4]e|1ste|2de|3de|4de)\s+kwartaal"
         r"(?:\s+(?:van\s+)?(?P<yr>" + _YR + r"))?", _on_quarter),
        (3, r"\b(?:het\s+)?(?P<ord>eerste|tweede|derde|vierde|laatste|[1-4]e|1ste|2de|3de|4de)\s+kwartaal"
         r"(?:\s+(?:van\s+)?(?P<yr>" + _YR + r"))?", _on_quarter),
        (3, r"\bQ(?P<q>[1-4])(?:\s+(?:van\s+)?(?P<yr>" + _YR + r"))?\b", _on_quarter),
        (3, r"\b(?P<ord>eerste|tweede|1e|2e)\s+(?:helft|halfjaar|half\s+jaar)(?:\s+van)?"
         r"(?:\s+(?P<yr>" + _YR_ALL + r"))?", _on_half),
        (3, _EXPLICIT_SOURCES[2], _on_explicit),
        (3, _EXPLICIT_SOURCES[3], _on_explicit),
        (4, _EXPLICIT_SOURCES[4], _on_explicit),
        (4, r"\b(?P<part>begin|medio|midden|eind|einde|halverwege|(?:aan\s+)?het\s+(?:begin|eind|einde)\s+van|"
         r"(?:aan\s+|tegen\s+)het\s+(?:begin|eind|einde)\s+van)\s+(?P<yr>" + _YR_ALL + r")", _on_part),
        (4, r"\b(?:(?P<mod>dit|deze|komend|komende|volgend|volgende|aankomend|aankomende)\s+|"
         r"(?:in\s+|rond\s+)?(?:het|de)\s+)(?P<season>voorjaar|lente|zomer|najaar|herfst|winter)\b"
         r"(?:\s+(?:van\s+)?(?P<yr>" + _YR + r"))?", _on_season),
        (4, r"\b(?P<season>voorjaar|lente|zomer|najaar|herfst|winter)\s+(?P<yr>" + _YEAR + r")\b", _on_season),
        (4, r"\blater\s+dit\s+jaar\b", _on_later_this_year),
        (5, r"\b(?P<yr>" + _YR + r")", _on_year),
        (6, r"\b(?:in\s+)?(?:de\s+komende\s+(?:maanden|weken|periode|tijd)|op\s+korte\s+termijn|binnenkort|"
         r"zo\s+(?:spoedig|snel)\s+mogelijk)\b", _on_vague),
        (6, r"\bbinnen\s+(?P<n>" + _NUM + r")\s+(?P<unit>dagen|dag|weken|week|maanden|maand|jaren|jaar)\b",
         _on_within),
    )
)  # fmt: skip


# The words the rules need, each looked up once per sentence.
_RULE_WORDS = tuple(sorted({word for *_, words in _RULES for word in words or ()}))

# Every rule above needs one of these: a digit, a month, a season, a calendar word or a vague phrase.
_TIME_WORDS = (
    _MONTH + r"|jaar|kwartaal|helft|voorjaar|lente|zomer|najaar|herfst|winter|reces|komende|termijn|kerst|"
    r"prinsjesdag|"
    r"binnen|spoedig|snel\s+mogelijk"
)
_TIME_CUE = compile_guarded(r"\d|" + _TIME_WORDS + r"|Q[1-4]", re.IGNORECASE)
_TIME_WORD_NEEDLES = Needles(_TIME_WORDS, re.IGNORECASE)
_DIGIT = re.compile(r"\d")


def has_time_cue(text: str, lowered: str | None) -> bool:
    """_TIME_CUE.search(text), cheaper: a digit, or (words checked first) a time word ("Q1" has a digit)."""
    if _DIGIT.search(text):
        return True
    return _TIME_WORD_NEEDLES.may_match(text, lowered) and _TIME_CUE.search(text) is not None


def parse_due(phrase_or_sentence: str, document_date: date | None) -> DueInterval | None:
    """The deadline a sentence states, as an interval; None when it states none (or only a relative one
    in an undated document). When several phrases match, the most specific rule wins; deadlines that
    ended before the document date are ignored."""
    lowered = lower_for_needles(phrase_or_sentence)
    if not has_time_cue(phrase_or_sentence, lowered):
        return None  # most sentences name no time at all: skip the rule scan
    best: tuple[int, int, DueInterval] | None = None
    present = None if lowered is None else {word for word in _RULE_WORDS if word in lowered}
    for priority, pattern, handler, words in _RULES:
        if best is not None and priority > best[0]:
            break
        if present is not None and words is not None and present.isdisjoint(words):
            continue  # none of the words the rule needs: skip the scan
        for match in pattern.finditer(phrase_or_sentence):
            interval = handler(match, document_date)
            if interval is None or (document_date is not None and interval.end < document_date):
                continue
            candidate = (priority, match.start(), interval)
            if best is None or candidate[:2] < best[:2]:
                best = candidate
    return best[2] if best else None


_has_time_cue = has_time_cue  # the name tests/unit/test_patterns.py checks
