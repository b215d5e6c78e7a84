"""Document-level facts: own date, title, Kamerstuk number and kind, read from the header only."""

from __future__ import annotations

import re
from datetime import date

from services.ingest.domain.cleaning import CleanDocument
from services.ingest.domain.dates import parse_explicit_date
from services.ingest.domain.model import DocumentInfo, Kamerstuk
from services.ingest.domain.needles import FastPattern, lower_for_needles

_HEADER_PARAGRAPHS = 14  # the own date and number sit above the salutation
_SALUTATION = re.compile(r"geachte\b", re.IGNORECASE)
_DATE_LINE = re.compile(
    r"^(?:datum|date)\s*:?\s+(?P<d>\d{1,2}\s+\w+\.?\s+\d{4})"
    r"|^(?:den\s+haag|'s-gravenhage|amsterdam|\w+)\s*,\s*(?P<p>\d{1,2}\s+\w+\.?\s+\d{4})\s*$"
    r"|\(ontvangen\s+(?P<r>\d{1,2}\s+\w+\.?\s+\d{4})\)",
    re.IGNORECASE,
)
_SUBJECT = re.compile(r"^(?:betreft|onderwerp)\s*:?\s+(?P<t>.+)$", re.IGNORECASE)
_DOSSIER = re.compile(r"^(?P<d>\d{2}\s?\d{3}(?:\s?-\s?[0-9A-Z]{1,3}|\s[A-Z]{1,4})?)$")
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


def _first_paragraphs(doc: CleanDocument, count: int) -> list[str]:
    """doc.paragraphs[:count], without splitting the whole body."""
    parts = doc.body.split("\n\n", 4 * count)
    first = [p for p in parts[:-1] if p.strip()]
    return first[:count] if len(first) >= count else doc.paragraphs[:count]


def _header(doc: CleanDocument) -> list[str]:
    header: list[str] = []
    for paragraph in _first_paragraphs(doc, _HEADER_PARAGRAPHS):
        if _SALUTATION.match(paragraph):
            break
        header.append(paragraph)
    return header


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
        dossier_match = _DOSSIER.match(line)
        if dossier_match and dossier is None:
            dossier = re.sub(r"\s*-\s*", "-", dossier_match.group("d"))
            dossier = re.sub(r"^(\d{2})\s(\d{3})", r"\1\2", dossier).replace(" ", "-")
        number_match = _NUMBER.match(line)
        if number_match and number is None:
            number = number_match.group("n")
    return Kamerstuk(dossier, number) if dossier and number else None


def title(doc: CleanDocument) -> str | None:
    return _title_in(_header(doc))


def _title_in(header: list[str]) -> str | None:
    for paragraph in header:
        match = _SUBJECT.match(paragraph)
        if match:
            return match.group("t").strip()
    dossier_seen = False
    for paragraph in header:
        if _DOSSIER.match(paragraph.strip()):
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
