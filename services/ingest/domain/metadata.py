"""Document-level facts: own date, title, Kamerstuk number and kind, read from the header only."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date

from services.ingest.domain.cleaning import CleanDocument
from services.ingest.domain.dates import parse_explicit_date
from services.ingest.domain.model import DocumentInfo, Kamerstuk
from services.ingest.domain.needles import FastPattern, lower_for_needles

# The own date, number and subject sit above the salutation ("Geachte voorzitter,") or, in a Kamerstuk without
# one, above the first paragraph of prose; a long letterhead (addresses, "Kenmerk", "Bijlage(n)") is no limit.
_HEADER_PARAGRAPHS = 60  # a cap for texts with neither
_PROSE = 300  # characters: a paragraph this long with a sentence end is body text, not a header line
_SENTENCE_END = re.compile(r"[a-z)]\.\s+[A-Z]|[a-z)]\.\s*$")
_SALUTATION = re.compile(r"geachte\b", re.IGNORECASE)
_DATE_LINE = re.compile(
    r"^(?:datum|date)\s*:?\s+(?P<d>\d{1,2}\s+\w+\.?\s+\d{4})"
    r"|^(?:den\s+haag|'s-gravenhage|amsterdam|\w+)\s*,\s*(?P<p>\d{1,2}\s+\w+\.?\s+\d{4})\s*$"
    r"|\(ontvangen\s+(?P<r>\d{1,2}\s+\w+\.?\s+\d{4})\)",
    re.IGNORECASE,
)
# "Betreft ..." on its own line, or run on after the date line when the lines were joined ("Datum 3 mei 2023
# Betreft ..."; capitalised there, so that the verb "betreft" in prose does not count)
_SUBJECT = re.compile(
    r"^(?:betreft|onderwerp)\s*:?\s+(?P<t>.+)$|(?<=\d{4})\s+(?-i:Betreft|Onderwerp)\s*:?\s+(?P<t2>.+)$",
    re.IGNORECASE | re.MULTILINE,
)
_DOSSIER = re.compile(r"^(?P<d>\d{2}\s?\d{3}(?:\s?-\s?[0-9A-Z]{1,3}|\s[A-Z]{1,4})?)$")
# "33 694  Internationale Veiligheidsstrategie": the dossier number and title printed on one line
_DOSSIER_TITLED = re.compile(r"^(?P<d>\d{2}\s\d{3})(?:\s{2,}|\s(?=[A-Z][a-z]))(?P<t>[A-Z][^\n]{2,150})$")
_NUMBER = re.compile(r"^nr\.\s*(?P<n>\d{1,4})\b", re.IGNORECASE)
_LETTER_HEADING = re.compile(r"\b(BRIEF|ANTWOORD|VERSLAG|MOTIE|NOTA)\s+VAN\s+[A-Z ,]+", re.UNICODE)
_ANSWERS = FastPattern(
    r"^vraag\s+\d+\b|\bantwoord\s+van\s+(?:de\s+)?(?:minister|staatssecretaris)\b|\baanhangsel\b"
    r"|\bantwoord(?:en)?\s+op\s+(?:de\s+)?(?:kamer)?vragen\b",
    re.IGNORECASE | re.MULTILINE,
)
_CABINET_RESPONSE = FastPattern(
    r"\bdank(?:en|t)\b[^.]{0,300}\bvoor\s+(?:hun|het|zijn|haar)\s+(?:\w+\s+)?advies"
    r"|^aanbeveling\s+\d+\b|\bkabinetsreactie\s+op\s+het\s+(?:\w+[-\s])?advies\b",
    re.IGNORECASE | re.MULTILINE,
)
_LETTER = FastPattern(r"\bgeachte\s+(?:voorzitter|heer|mevrouw)\b|\bbrief\s+van\s+de\b|^aan\s+de\s+voorzitter\b",
                     re.IGNORECASE | re.MULTILINE)  # fmt: skip


def _first_paragraphs(doc: CleanDocument, count: int) -> Iterator[str]:
    """doc.paragraphs[:count], one at a time: the header usually ends long before `count`."""
    body, start, given = doc.body, 0, 0
    while given < count and start < len(body):
        end = body.find("\n\n", start)
        end = len(body) if end == -1 else end
        paragraph = body[start:end]
        start = end + 2
        if paragraph.strip():
            given += 1
            yield paragraph


def _header(doc: CleanDocument) -> list[str]:
    header: list[str] = []
    for paragraph in _first_paragraphs(doc, _HEADER_PARAGRAPHS):
        if _SALUTATION.match(paragraph):
            break
        if header and len(paragraph) >= _PROSE and _SENTENCE_END.search(paragraph):
            break  # the first paragraph of the letter's text
        header.append(paragraph)
    return header


def _dossier_of(line: str) -> tuple[str, str | None] | None:
    """ "33 694" -> ("33 694", None); "33 694  Internationale Veiligheidsstrategie" -> (dossier, title)."""
    match = _DOSSIER.match(line)
    if match:
        return match.group("d"), None
    titled = _DOSSIER_TITLED.match(line)
    return (titled.group("d"), titled.group("t").strip()) if titled else None


def document_date(doc: CleanDocument) -> date | None:
    """The letter's own date ("Datum ...", "Den Haag, ...", "(ontvangen ...)"); never a date from the body."""
    return _date_in(_header(doc))


def _date_in(header: list[str]) -> date | None:
    for paragraph in header:
        match = _DATE_LINE.search(paragraph)
        if match:
            found = parse_explicit_date(match.group("d") or match.group("p") or match.group("r"))
            if found:
                return found
    return None


def kamerstuk(doc: CleanDocument) -> Kamerstuk | None:
    """Dossier + number from a Kamerstuk header ("33 694" ... "Nr. 63"); None without a printed dossier."""
    return _kamerstuk_in(_header(doc))


def _kamerstuk_in(header: list[str]) -> Kamerstuk | None:
    dossier = number = None
    for paragraph in header:
        line = paragraph.strip()
        dossier_match = _dossier_of(line)
        if dossier_match and dossier is None:
            dossier = re.sub(r"\s*-\s*", "-", dossier_match[0])
            dossier = re.sub(r"^(\d{2})\s(\d{3})", r"\1\2", dossier).replace(" ", "-")
        number_match = _NUMBER.match(line)
        if number_match and number is None:
            number = number_match.group("n")
    return Kamerstuk(dossier, number) if dossier and number else None


def title(doc: CleanDocument) -> str | None:
    return _title_in(_header(doc))


def _title_in(header: list[str]) -> str | None:
    for paragraph in header:
        match = _SUBJECT.search(paragraph)
        if match:
            return (match.group("t") or match.group("t2")).strip()
    dossier_seen = False
    for paragraph in header:
        dossier = _dossier_of(paragraph.strip())
        if dossier and dossier[1]:
            return dossier[1]
        if dossier:
            dossier_seen = True
            continue
        # the dossier title follows the dossier number in a Kamerstuk header
        if dossier_seen and not _NUMBER.match(paragraph) and len(paragraph) < 200:
            return paragraph.strip()
    for paragraph in header:
        heading = _LETTER_HEADING.search(paragraph)
        if heading:
            return heading.group(0).strip().capitalize()
    return None


def document_kind(doc: CleanDocument) -> str:
    head, start = doc.body[:30000], doc.body[:20000]
    # lowered once: its first 20000 characters are start.lower() (up to a final Greek sigma, which no
    # start word of these patterns contains)
    lowered = lower_for_needles(head)
    lowered_start = lowered[:20000] if lowered is not None else None
    if _ANSWERS.search_long(start, lowered_start):
        return "answers"
    if _CABINET_RESPONSE.search_long(head, lowered):
        return "cabinet_response"
    if _LETTER.search_long(start, lowered_start):
        return "letter"
    return "other"


def read_document_info(doc: CleanDocument) -> DocumentInfo:
    header = _header(doc)
    return DocumentInfo(date=_date_in(header), title=_title_in(header), kind=document_kind(doc),
                        kamerstuk=_kamerstuk_in(header))  # fmt: skip
