"""Render the sample letters into the files users really upload: ministry PDFs and officielebekendmakingen.nl
pages, so a test can check that a letter gives the same extraction whatever format it arrives in.

A letter is taken apart from its text version (`clean(text)`: paragraphs and footnotes) and laid out again:

- PDF (tests/pdf_factory.py): the ministry name as a running header, the date line ("Datum ...") and the
  reference block in a narrow right sidebar repeated on every page, "Pagina N van M", footnotes at the foot
  of their column with raised markers, words hyphenated at line ends; single- or two-column, the title
  letter-spaced on request. A Kamerstuk-style date ("Den Haag, 11 oktober 2021") stays in the body, as there.
- HTML: an officielebekendmakingen.nl page, with its header, menus, cookie bar, breadcrumb, scripts,
  metadata list and footer around `#broodtekst`; "nootnum" markers and a notes block at the end.

Only the layout is derived from the letter; nothing here knows a particular sample.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from services.ingest.domain.cleaning import clean
from tests.pdf_factory import build_letter_pdf

ROOT = Path(__file__).resolve().parents[1]
LETTERS = ROOT / "samples" / "letters"

PDF_VARIANTS = ("pdf", "pdf-spaced-title", "pdf-two-column")
VARIANTS = (*PDF_VARIANTS, "html")

# Lines of the address and reference block: they go to the sidebar.
_SIDEBAR_LINE = re.compile(
    r"^(?:datum\b|onze referentie|uw referentie|ons kenmerk|uw kenmerk|kenmerk\b|bijlage|postbus\b|"
    r"\d{4}\s?[A-Z]{2}\b|www\.|rijnstraat\b|nederland(?:\s+www\.\S+)?$|[A-Z0-9]{2,}[-/][A-Z0-9/-]+$)",
    re.IGNORECASE,
)
_DATE_LINE = re.compile(r"^datum\b", re.IGNORECASE)
# "Ministerie van Defensie", "MINISTER VAN BUITENLANDSE ZAKEN", "minister Blok (Buitenlandse Zaken)"
_MINISTRY = re.compile(
    r"\bminister(?:ie|s)?\s+(?:van\s+|[A-Z]\w+\s+\()(buitenlandse zaken|defensie|[a-z]+ zaken)\b", re.IGNORECASE
)
_SUBJECT = re.compile(r"^(?:betreft|onderwerp)\b", re.IGNORECASE)
_HEADING = re.compile(r"^[A-Z(][^.!?;:]{0,70}$")
_MARKER = re.compile(r"\[\^(\d+)\]")
_TITLE = re.compile(
    r"\b(?:BRIEF|ANTWOORD|NOTA)\s+VAN\s+[A-Z]|^antwoord van (?:de )?(?:minister|staatssecretaris)\b", re.IGNORECASE
)
_DOSSIER = re.compile(r"^\d{2}\s?\d{3}$")

DEFAULT_REFERENCES = ["Onze referentie", "BZDOC-1048576-12"]
DEFAULT_ADDRESS = ["Directie Veiligheidsbeleid", "Rijnstraat 8", "2515 XP Den Haag", "Postbus 20061"]


@dataclass(frozen=True)
class Letter:
    """A sample letter taken apart for layout."""

    name: str
    ministry: str
    paragraphs: tuple[str, ...]  # body paragraphs, footnote markers as "[^N]"
    footnotes: tuple[tuple[int, str], ...]
    sidebar: tuple[str, ...]  # date line first (if the letter has one), "" separates blocks
    title: int | None  # index of the title paragraph in `paragraphs`


def letter_path(name: str) -> Path:
    """A letter by path, or the sample letter with that file name or name prefix ("000")."""
    for path in (Path(name), LETTERS / name):
        if path.suffix == ".txt" and path.is_file():
            return path
    return next(LETTERS.glob(f"{name}*.txt"))


@cache
def letter_parts(name: str) -> Letter:
    path = letter_path(name)
    text = path.read_text(encoding="utf-8")
    doc = clean(text)
    paragraphs = list(doc.paragraphs)
    match = _MINISTRY.search(text)
    ministry = f"Ministerie van {match.group(1).title().replace(' Van ', ' van ')}" if match else "Rijksoverheid"
    if paragraphs and paragraphs[0].lower() == ministry.lower():
        paragraphs.pop(0)  # the letterhead: drawn as the running header instead
    header_end = next(
        (i for i, p in enumerate(paragraphs) if p.lower().startswith("geachte") or len(p) > 200), len(paragraphs)
    )
    date = [p for p in paragraphs[:header_end] if _DATE_LINE.match(p)]
    references = [p for p in paragraphs[:header_end] if _SIDEBAR_LINE.match(p) and not _DATE_LINE.match(p)]
    moved = set(date) | set(references)
    paragraphs = [p for i, p in enumerate(paragraphs) if i >= header_end or p not in moved]
    if len(references) < 3:  # a letter without its own reference block gets the usual one
        references = [*DEFAULT_ADDRESS, "", *DEFAULT_REFERENCES, *([""] if references else []), *references]
    sidebar = [*date, *([""] if date else []), *references]
    footnotes = tuple(sorted((int(k), v) for k, v in doc.footnotes.items() if f"[^{k}]" in doc.body))
    return Letter(path.name, ministry, tuple(paragraphs), footnotes, tuple(sidebar), _title_index(paragraphs))


def _title_index(paragraphs: list[str]) -> int | None:
    """The letter's title: its "Betreft" line, the dossier title of a Kamerstuk or its "BRIEF VAN ..." heading."""
    header = paragraphs[: next((i for i, p in enumerate(paragraphs) if p.lower().startswith("geachte")), 14)]
    for i, p in enumerate(header):
        if _SUBJECT.match(p):
            return i
    for i, p in enumerate(header[:-1]):
        if _DOSSIER.match(p) and len(header[i + 1]) < 120:
            return i + 1
    return next((i for i, p in enumerate(header) if _TITLE.search(p) and len(p) < 160), None)


def spaced_heading(letter: Letter) -> int | None:
    """The paragraph to letter-space: the title, or in an untitled letter its first section heading."""
    if letter.title is not None:
        return letter.title
    return next(
        (
            i
            for i, p in enumerate(letter.paragraphs)
            if len(p) < 60 and p[:1].isupper() and not re.search(r"[.,;?!]$|\[\^", p)
        ),
        None,
    )


# --- PDF -----------------------------------------------------------------------------------------------------


@cache
def render_pdf(name: str, *, two_columns: bool = False, spaced_title: bool = False) -> bytes:
    letter = letter_parts(name)
    heading = spaced_heading(letter)
    spaced = {heading} if spaced_title and heading is not None else set()
    return build_letter_pdf(
        list(letter.paragraphs),
        date_line="",
        sidebar=list(letter.sidebar),
        header=letter.ministry,
        footnotes=dict(letter.footnotes),
        two_columns=two_columns,
        spaced=spaced,
    )


# --- HTML ----------------------------------------------------------------------------------------------------

_PAGE = """<!DOCTYPE html>
<html lang="nl" class="no-js">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <meta name="DC.identifier" content="{ident}">
  <title>{title} | Overheid.nl &gt; Officiële bekendmakingen</title>
  <link rel="stylesheet" href="/css/main.css">
  <style>.nootnum {{ vertical-align: super; }} .cookiebar {{ position: fixed; }}</style>
  <script>var dataLayer = window.dataLayer || []; dataLayer.push({{"pagina": "{ident}"}});</script>
</head>
<body>
  <div class="skiplinks"><a href="#content">Direct naar content</a> <a href="#zoeken">Direct naar zoeken</a></div>
  <div class="cookiebar" role="dialog"><p>Deze website gebruikt functionele cookies.</p><button>Akkoord</button></div>
  <header class="header">
    <div class="header__logo"><a href="/"><img src="/img/logo.svg" alt="Logo Overheid.nl">Overheid.nl</a></div>
    <nav class="header__nav" aria-label="Hoofdmenu">
      <ul class="menu"><li><a href="/">Home</a></li><li><a href="/zoeken">Zoeken</a></li></ul>
    </nav>
    <form id="zoeken" action="/resultaten"><label for="q">Zoeken</label><input id="q" name="q"></form>
  </header>
  <div class="breadcrumb"><ol><li><a href="/">Home</a></li><li>{title}</li></ol></div>
  <main id="content">
    <div class="row">
      <h1 class="page-title">{title}</h1>
      <ul class="list--metadata"><li>{title}</li><li>Publicatiedatum 01-02-2024</li></ul>
      <div id="broodtekst" class="stuk">
        <div class="stuk">
{body}
        </div>
      </div>
      <div id="noten">
        <hr>
{notes}
      </div>
      <aside class="sidebar"><h2>Gerelateerde documenten</h2><ul><li><a href="/x.html">Kamerstuk</a></li></ul></aside>
    </div>
  </main>
  <footer class="footer">
    <ul><li><a href="/over">Over deze site</a></li><li><a href="/cookies">Cookies</a></li></ul>
    <p>Overheid.nl is de wegwijzer naar informatie en diensten van alle overheden.</p>
  </footer>
  <script src="/js/supernote.js"></script>
</body>
</html>
"""


def _note_id(ident: str, n: int) -> str:
    return f"ID-{ident}-d37e{60 + n}"


def _html_text(text: str, ident: str) -> str:
    """Escaped paragraph text with "[^N]" as a nootnum link in <sup>; Dutch page text has &nbsp; in numbers."""
    out = html.escape(text, quote=False)
    out = re.sub(r"\b(\d{2}) (\d{3})\b", r"\1&nbsp;\2", out)
    return _MARKER.sub(
        lambda m: (
            f'<sup><a class="nootnum supernote-click-{_note_id(ident, int(m[1]))}" '
            f'href="#{_note_id(ident, int(m[1]))}">{m[1]}</a></sup>'
        ),
        out,
    )


@cache
def render_html(name: str) -> bytes:
    letter = letter_parts(name)
    ident = re.sub(r"\W", "", Path(letter.name).stem)[-8:]
    body: list[str] = []
    # the date line and references of a letter sit in its header block, above the salutation
    header = [p for p in letter.sidebar if _DATE_LINE.match(p)]
    body += [f'          <p class="kamerstukdatum">{html.escape(p)}</p>' for p in header]
    for i, p in enumerate(letter.paragraphs):
        if i == letter.title:
            body.append(f'          <h1 class="stuktitel">{_html_text(p, ident)}</h1>')
        elif _HEADING.match(p) and not _MARKER.search(p) and i > 3:
            body.append(f'          <h2 class="divisiekop1">{_html_text(p, ident)}</h2>')
        else:
            body.append(f"          <p>{_html_text(p, ident)}</p>")
    notes = [
        f'        <div class="voet noot snp-mouseoffset snb-pinned notedefault" id="supernote-note-{note_id}">\n'
        f'          <h5 class="note-close"><a class="note-close" href="#close-{note_id}">X</a> Noot</h5>\n'
        f'          <sup><span class="nootnum" id="{note_id}">{n}</span></sup>\n'
        f"          <p>{html.escape(text, quote=False)}</p>\n        </div>"
        for n, text in letter.footnotes
        for note_id in [_note_id(ident, n)]
    ]
    title = html.escape(letter.ministry)
    page = _PAGE.format(ident=ident, title=title, body="\n".join(body), notes="\n".join(notes))
    return page.encode("utf-8")


# --- all formats ---------------------------------------------------------------------------------------------


def render(name: str, variant: str) -> tuple[str, bytes]:
    """(file name, bytes) of the sample letter `name` in format `variant` (one of VARIANTS)."""
    stem = Path(letter_parts(name).name).stem
    if variant == "html":
        return f"{stem}.html", render_html(name)
    if variant not in PDF_VARIANTS:
        raise ValueError(f"unknown variant {variant!r}")
    pdf = render_pdf(name, two_columns=variant == "pdf-two-column", spaced_title=variant == "pdf-spaced-title")
    return f"{stem}.pdf", pdf
