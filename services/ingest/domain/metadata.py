"""Document-level facts: own date, title, Kamerstuk number and kind, read from the header only."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date

from services.ingest.domain.cleaning import CleanDocument
from services.ingest.domain.document_dates import own_date
from services.ingest.domain.model import DocumentInfo, Kamerstuk
from services.ingest.domain.needles import FastPattern, lower_for_needles

# The own date, number and subject sit above the salutation ("Geachte voorzitter,") or, in a Kamerstuk without
# one, above the first paragraph of prose; a long letterhead (addresses, "Kenmerk", "Bijlage(n)") is no limit.
_HEADER_PARAGRAPHS = 60  # a cap for texts with neither
_PROSE = 300  # characters: a paragraph this long with a sentence end is body text, not a header line
_SENTENCE_END = re.compile(r"[a-z)]\.\s+[A-Z]|[a-z)]\.\s*$")
_SALUTATION = re.compile(r"geachte\b", re.IGNORECASE)
_HEAD_PARAGRAPHS = 40  # where an Aanhangsel's answer heading and a letter's own date can be
# "Betreft ..." on its own line, or run on after the date line when the lines were joined ("Datum 3 mei 2023
# Betreft ..."; capitalised there, so that the verb "betreft" in prose does not count)
_SUBJECT = re.compile(
    r"^(?:betreft|onderwerp)\s*:?\s+(?P<t>.+)$|(?<=\d{4})\s+(?-i:Betreft|Onderwerp)\s*:?\s+(?P<t2>.+)$",
    re.IGNORECASE | re.MULTILINE,
)
_DOSSIER = re.compile(r"^(?P<d>\d{2}\s?\d{3}(?:\s?-\s?[0-9A-Z]{1,3}|\s[A-Z]{1,4})?)$")
# "33 694  Internationale Veiligheidsstrategie": the dossier number and title printed on one line
# (also with a part: "21 501-02 Raad ...", "36 410 VIII Vaststelling ...", "36 200 A Wijziging ...")
_DOSSIER_TITLED = re.compile(
    r"^(?P<d>\d{2}\s\d{3}(?:\s?-\s?[0-9]{1,3}|\s[IVXLC]{1,5}\b|\s[A-Z]{1,2}(?=\s+[A-Z][a-z]))?)(?:\s{2,}|\s(?=[A-Z][a-z]))(?P<t>[A-Z][^\n]{2,150}?)(?:\s+(?-i:Nr)\.\s*\d.*)?$"
)
_SESSION_YEAR = re.compile(r"^vergaderjaar\s+\d{4}\s*[-–]\s*\d{4}\s+", re.IGNORECASE)
# "Nr. 63" starting its line, or run on after the dossier title before the capitalised heading ("... Nr. 82
# MOTIE VAN HET LID ...")
_NUMBER = re.compile(r"^nr\.\s*(?P<n>\d{1,4})\b|\s(?-i:Nr)\.\s*(?P<m>\d{1,4})\s+(?=(?-i:[A-Z]{4,})\b)", re.IGNORECASE)
_LETTER_HEADING = re.compile(r"\b(BRIEF|ANTWOORD|VERSLAG|MOTIE|NOTA)\s+VAN\s+[A-Z ,]+", re.UNICODE)
# Answers to written questions: the questions numbered in the text ("Vraag 1"), or an answer heading at the top
# ("Antwoord van de minister ...", "Aanhangsel", a subject "Beantwoording Kamervragen ..."). A letter may cite
# earlier answers ("in de beantwoording van de Kamervragen van ...") in its first lines: that is no heading.
_QUESTIONS = FastPattern(
    r"^(?:vraag|antwoord(?:en)?(?:\s+op)?(?:\s+vra(?:ag|gen))?)\s+\d+\b", re.IGNORECASE | re.MULTILINE
)
_ANSWERS = FastPattern(
    r"^antwoord(?:en)?\s+van\s+(?:de\s+)?(?:minister|staatssecretaris)\b"
    r"|(?:^|\bvergaderjaar\s+\d{4}\s*[-–]\s*\d{4}\s+)aanhangsel\s+van\s+de\s+handelingen\b"
    r"|^(?:betreft|onderwerp)?\s*:?\s*(?:antwoord(?:en)?\s+(?:op\s+)?|beantwoording\s+(?:van\s+)?)(?:de\s+)?"
    r"(?:schriftelijke\s+)?(?:kamer)?vragen\b",
    re.IGNORECASE | re.MULTILINE,
)
_ANSWERS_HEAD = 3000  # characters
# A motion: its Kamerstuk heading, or the fixed formula of its text.
_MOTION_HEADING = re.compile(r"\b(?:GEWIJZIGDE\s+)?MOTIES?\s+VAN\s+(?:HET\s+LID|DE\s+LEDEN)\b")
_MOTION_FORMULA = FastPattern(
    r"^de\s+kamer,\s+gehoord\s+de\s+beraadslaging\b|\bgaat\s+over\s+tot\s+de\s+orde\s+van\s+de\s+dag\b",
    re.IGNORECASE | re.MULTILINE,
)
# A BNC-fiche: "Fiche 5: ..." as its heading, or the fixed fields of its first section.
_FICHE_HEADING = re.compile(r"^(?:bnc-?\s*)?fiche\s*(?:nr\.?\s*)?\d*\s*[:.-]\s*\S", re.IGNORECASE)
_FICHE_FIELDS = FastPattern(
    r"\bdatum\s+ontvangst\s+commissiedocument|\bnr\.?\s+commissiedocument|\bbehandelingstraject\s+raad"
    r"|\beerstverantwoordelijk\s+ministerie|\bbesluitvormingsprocedure\s+raad|\brol\s+europees\s+parlement",
    re.IGNORECASE,
)
# A resolution (UN, EU): "Resolution 1441 (2002)", "S/RES/1441", "Adopted by the General Assembly", as a heading.
_RESOLUTION = re.compile(
    r"^(?:resolution|resolutie)\s+(?:\d|[A-Z]{1,3}/)|\b[AS]/RES/\d|^adopted\s+by\s+the\b|^resolutie\s+van\s+het\b",
    re.IGNORECASE,
)
_CABINET_RESPONSE = FastPattern(
    r"\bdank(?:en|t)\b[^.]{0,300}\bvoor\s+(?:hun|het|zijn|haar)\s+(?:\w+\s+)?advies"
    r"|^aanbeveling\s+\d+\b|\bkabinetsreactie\s+op\s+het\s+(?:\w+[-\s])?advies\b",
    re.IGNORECASE | re.MULTILINE,
)
# A letter's salutation ("Geachte voorzitter", "Geachte leden van de commissie", "Geachte dames en heren"), its
# Kamerstuk heading ("BRIEF VAN DE MINISTER ...") or its address; not "de brief van de minister" in a report's prose
_LETTER = FastPattern(
    r"\bgeachte\s+(?:(?:\w+\s+){0,2}?(?:voorzitter|heer|mevrouw|leden|kamerleden|dames|college|bestuur\w*|minister)\b)"
    r"|^(?:\w+\s+)?brief\s+van\s+de\b|(?-i:BRIEF\s+VAN\s+DE)\b|^aan\s+de\s+(?:voorzitter|leden)\b",
    re.IGNORECASE | re.MULTILINE,
)


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
    """ "33 694" -> ("33 694", None); "33 694  Internationale Veiligheidsstrategie" -> (dossier, title); also
    after the session year on the same line ("Vergaderjaar 2023–2024 36 410 XVI Vaststelling ...")."""
    line = _SESSION_YEAR.sub("", line, count=1)
    match = _DOSSIER.match(line)
    if match:
        return match.group("d"), None
    titled = _DOSSIER_TITLED.match(line)
    return (titled.group("d"), titled.group("t").strip()) if titled else None


def document_date(doc: CleanDocument) -> date | None:
    """The document's own date by the conventions of its header (`document_dates.own_date`); never a date
    from the body."""
    return _own_date(doc, _header(doc))


def _own_date(doc: CleanDocument, header: list[str]) -> date | None:
    return own_date(header, list(_first_paragraphs(doc, _HEAD_PARAGRAPHS)), doc.paragraphs)


def kamerstuk(doc: CleanDocument) -> Kamerstuk | None:
    """Dossier + number from a Kamerstuk header ("33 694" ... "Nr. 63"), else the publication id printed in
    the page footer ("kst-32545-143", ending its line; not inside a link); None without either."""
    return _kamerstuk_in(_header(doc)) or _footer_id(doc)


_FOOTER_ID = re.compile(r"(?:^|(?<=\s))kst-(?P<d>\d{5}(?:-(?:\d{1,3}|[A-Z]{1,5}))?)-(?P<n>\d{1,4})\s*$", re.MULTILINE)


def _footer_id(doc: CleanDocument) -> Kamerstuk | None:
    match = _FOOTER_ID.search(doc.body) if "kst-" in doc.body else None
    return Kamerstuk(match["d"], match["n"]) if match else None


def _kamerstuk_in(header: list[str]) -> Kamerstuk | None:
    dossier = number = None
    for paragraph in header:
        line = paragraph.strip()
        dossier_match = _dossier_of(line)
        if dossier_match and dossier is None:
            dossier = re.sub(r"\s*-\s*", "-", dossier_match[0])
            dossier = re.sub(r"^(\d{2})\s(\d{3})", r"\1\2", dossier).replace(" ", "-")
        number_match = _NUMBER.search(line)
        if number_match and number is None:
            number = number_match.group("n") or number_match.group("m")
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
    return _kind(doc, _header(doc))


def _kind(doc: CleanDocument, header: list[str]) -> str:
    """letter | answers | motion | fiche | resolution | cabinet_response | other, from the document's
    conventions: its heading, its fixed formulas and fields, its salutation."""
    head, start = doc.body[:30000], doc.body[:20000]
    # lowered once: its first 20000 characters are start.lower() (up to a final Greek sigma, which no
    # start word of these patterns contains)
    lowered = lower_for_needles(head)
    lowered_start = lowered[:20000] if lowered is not None else None
    top = start[:_ANSWERS_HEAD]
    if _QUESTIONS.search_long(start, lowered_start) or _ANSWERS.search(top):
        return "answers"
    salutation = _LETTER.search_long(start, lowered_start)
    heading = _MOTION_HEADING.search(top)  # its own heading, above any letter's heading or salutation
    if (heading and (salutation is None or heading.start() < salutation.start())) or (
        not salutation and len(list(_MOTION_FORMULA.finditer(start, lowered_start))) >= 2
    ):
        return "motion"
    fiche = _FICHE_FIELDS.search_long(start, lowered_start)
    if any(_FICHE_HEADING.match(p) for p in header[:8]) or (
        fiche and (salutation is None or salutation.start() > fiche.start())
    ):
        return "fiche"
    if _CABINET_RESPONSE.search_long(head, lowered):
        return "cabinet_response"
    if salutation:
        return "letter"
    if any(_RESOLUTION.search(p) for p in header[:12]):
        return "resolution"
    return "other"


def read_document_info(doc: CleanDocument) -> DocumentInfo:
    header = _header(doc)
    return DocumentInfo(date=_own_date(doc, header), title=_title_in(header), kind=_kind(doc, header),
                        kamerstuk=_kamerstuk_in(header) or _footer_id(doc))  # fmt: skip
