"""Reading PDF letters: characters with positions from pdfminer.six, and our own layout analysis."""

from __future__ import annotations

import io
import itertools
import re
import statistics
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from services.ingest.domain.readers.text import DocumentTooLarge, UnreadableDocument, _normalise, _short

if TYPE_CHECKING:
    from pypdf import PdfReader

# PDF: pdfminer.six for characters with positions and sizes; our own layout analysis on top.
#
# pdfminer's own LAParams grouping is not used: it merges superscripts and footnotes into body lines, orders
# boxes in ways that interleave columns, and its box grouping is quadratic. Raw characters (laparams=None)
# are fast and give everything the cleaning needs: position, size, font.


@dataclass(slots=True)
class _Glyph:
    text: str
    x0: float
    x1: float
    y0: float  # bottom of the glyph box: baseline plus a size-dependent descent
    size: float
    bold: bool = False
    sup: bool = False


@dataclass
class _Frag:
    """A run of glyphs on one baseline without a wide horizontal gap: part of one layout line."""

    page: int
    glyphs: list[_Glyph]
    x0: float = 0.0
    x1: float = 0.0
    y0: float = 0.0
    size: float = 0.0
    text: str = ""
    lead_note: int | None = None  # a raised number at the start: a footnote's own number
    bold: bool = False

    def finish(self) -> _Frag:
        self.glyphs.sort(key=lambda g: g.x0)
        sizes = Counter(round(g.size * 2) / 2 for g in self.glyphs if g.text.strip())
        self.size = sizes.most_common(1)[0][0] if sizes else self.glyphs[0].size
        main = [g.y0 for g in self.glyphs if abs(g.size - self.size) < 0.3] or [self.glyphs[0].y0]
        self.y0 = statistics.median(main)
        self.x0 = min(g.x0 for g in self.glyphs)
        self.x1 = max(g.x1 for g in self.glyphs)
        for g in self.glyphs:
            g.sup = g.y0 - self.y0 >= 0.2 * self.size and g.size <= 0.9 * self.size
        self.text, self.lead_note = _frag_text(self.glyphs, self.size)
        self.bold = all(g.bold for g in self.glyphs if g.text.strip() and not g.sup)
        return self


@dataclass
class _Line:
    """One output line: the fragments of one row within one column."""

    page: int
    frags: list[_Frag]
    text: str = ""
    x0: float = 0.0
    x1: float = 0.0
    y0: float = 0.0
    size: float = 0.0
    lead_note: int | None = None
    column_start: bool = False  # first line after a column or page change
    bold: bool = False

    def __post_init__(self) -> None:
        self.frags.sort(key=lambda f: f.x0)
        self.text = " ".join(f.text for f in self.frags if f.text)
        self.x0 = self.frags[0].x0
        self.x1 = max(f.x1 for f in self.frags)
        main = max(self.frags, key=lambda f: len(f.text))
        self.y0, self.size = main.y0, main.size
        self.lead_note = self.frags[0].lead_note
        self.bold = all(f.bold for f in self.frags)


@dataclass
class _Page:
    number: int
    width: float
    height: float
    frags: list[_Frag] = field(default_factory=list)


_GLYPH_MAP = str.maketrans({"\u00a0": " ", "\u00ad": "-", "\u2010": "-", "\u2011": "-", "\ufffd": ""})
_BOLD_FONT = re.compile(r"bold|black|heavy|semibold|demi", re.IGNORECASE)
_SUPERSCRIPT_DIGITS = str.maketrans("⁰¹²³⁴⁵⁶⁷⁸⁹", "0123456789")


def _read_pdf(name: str, data: bytes, max_pages: int) -> str:
    if not data.lstrip(b" \t\r\n").startswith(b"%PDF-"):
        raise UnreadableDocument(name, "not a PDF (no %PDF- header)")
    _check_pdf_structure(name, data, max_pages)
    pages = _pdf_pages(name, data, max_pages)
    if not any(p.frags for p in pages):
        raise UnreadableDocument(name, "PDF has no text layer (scanned?)")
    text = _Layout(pages).text()
    if not text.strip():
        raise UnreadableDocument(name, "PDF has no text layer (scanned?)")
    return _normalise(text)


def _check_pdf_structure(name: str, data: bytes, max_pages: int) -> None:
    """pypdf for a quick, strict look: a cut-off file has no %%EOF; a broken xref or page tree fails here."""
    from pypdf import PdfReader
    from pypdf.errors import PyPdfError

    if b"%%EOF" not in data[-2048:]:
        raise UnreadableDocument(name, "truncated or corrupt PDF: no %%EOF marker at the end (file cut short?)")
    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted and not reader.decrypt(""):
            raise UnreadableDocument(name, "encrypted PDF: a password is needed to read it")
        pages = len(reader.pages)
        if pages == 0:
            raise UnreadableDocument(name, "truncated or corrupt PDF: no pages")
        if pages > max_pages:
            raise DocumentTooLarge(name, f"too many pages: {pages} (limit {max_pages})")
        missing = _missing_object(reader)
        if missing is not None:
            raise UnreadableDocument(name, f"truncated or corrupt PDF: object {missing} is missing")
    except UnreadableDocument:
        raise
    except (PyPdfError, ValueError, KeyError, TypeError, AttributeError, IndexError, OSError) as e:
        raise UnreadableDocument(name, f"truncated or corrupt PDF: {_short(e)}") from None


def _missing_object(reader: PdfReader) -> int | None:
    """The number of an object the document refers to but does not contain: a damaged xref or a cut-out
    middle leaves such holes, and pypdf's lenient mode silently resolves them to null (or drops pages)."""
    from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject, NullObject

    seen: set[int] = set()
    stack: list[object] = [reader.trailer["/Root"]]
    while stack:
        obj = stack.pop()
        if isinstance(obj, IndirectObject):
            if obj.idnum in seen:
                continue
            seen.add(obj.idnum)
            target = obj.get_object()
            if target is None or isinstance(target, NullObject):
                return obj.idnum
            stack.append(target)
        elif isinstance(obj, DictionaryObject):
            stack.extend(v for k, v in obj.items() if k != "/Parent")
        elif isinstance(obj, ArrayObject):
            stack.extend(obj)
    return None


def _pdf_pages(name: str, data: bytes, max_pages: int) -> list[_Page]:
    """Characters per page. Not `extract_pages`: it runs pdfminer's layout analysis even when asked not to
    (laparams=None becomes the defaults), which costs a third of the time and is not used here."""
    from pdfminer.converter import PDFPageAggregator
    from pdfminer.layout import LTChar, LTContainer
    from pdfminer.pdfinterp import PDFPageInterpreter, PDFResourceManager
    from pdfminer.pdfpage import PDFPage

    pages: list[_Page] = []
    try:
        manager = PDFResourceManager(caching=True)
        device = PDFPageAggregator(manager, laparams=None)
        interpreter = PDFPageInterpreter(manager, device)
        for number, pdf_page in enumerate(PDFPage.get_pages(io.BytesIO(data), password="")):
            if number >= max_pages:  # pypdf counted the page tree; pdfminer finds more: still the limit
                raise DocumentTooLarge(name, f"too many pages: more than {max_pages}")
            interpreter.process_page(pdf_page)
            lt_page = device.get_result()
            glyphs: list[_Glyph] = []
            stack = list(lt_page)
            while stack:
                obj = stack.pop()
                if isinstance(obj, LTChar):
                    if obj.upright and obj.size > 0.5:  # rotated margin text is not body text
                        bold = bool(_BOLD_FONT.search(obj.fontname))
                        glyphs.append(_Glyph(obj.get_text(), obj.x0, obj.x1, obj.y0, obj.size, bold))
                elif isinstance(obj, LTContainer):
                    stack.extend(obj)
            x0, y0, x1, y1 = lt_page.bbox
            pages.append(_Page(number, x1 - x0, y1 - y0, _fragments(number, _clean_glyphs(name, glyphs))))
    except UnreadableDocument:
        raise
    except Exception as e:  # pdfminer raises many types on damaged files; none of them is a bug of ours
        raise UnreadableDocument(name, f"truncated or corrupt PDF: {_short(e)}") from None
    return pages


def _clean_glyphs(name: str, glyphs: list[_Glyph]) -> list[_Glyph]:
    unmapped = sum(1 for g in glyphs if g.text.startswith("(cid:"))
    if glyphs and unmapped > len(glyphs) // 2:
        raise UnreadableDocument(name, "PDF text layer cannot be decoded (fonts without a Unicode map)")
    out = []
    for g in glyphs:
        if g.text.startswith("(cid:"):
            continue
        text = g.text.translate(_GLYPH_MAP)
        if "\ufb00" <= text <= "\ufb06":  # ligatures ﬁ ﬂ ...
            text = unicodedata.normalize("NFKC", text)
        if text:
            g.text = text
            out.append(g)
    return out


def _fragments(page: int, glyphs: list[_Glyph]) -> list[_Frag]:
    """Glyphs -> fragments: cluster on baseline, split on wide gaps, then hang raised small runs
    (superscripts, footnote numbers) onto the fragment whose line they belong to."""
    glyphs.sort(key=lambda g: -g.y0)
    rows: list[list[_Glyph]] = []
    for g in glyphs:
        if rows and rows[-1][0].y0 - g.y0 <= 0.25 * max(rows[-1][0].size, g.size):
            rows[-1].append(g)
        else:
            rows.append([g])
    frags: list[_Frag] = []
    for row in rows:
        row.sort(key=lambda g: g.x0)
        current = [row[0]]
        for prev, g in itertools.pairwise(row):
            if g.text == prev.text and abs(g.x0 - prev.x0) < 0.3 * max(prev.x1 - prev.x0, 0.1):
                continue  # the same glyph drawn twice (fake bold)
            if g.x0 - prev.x1 > max(g.size, prev.size):
                frags.append(_Frag(page, current))
                current = []
            current.append(g)
        frags.append(_Frag(page, current))
    return _attach_raised([f.finish() for f in frags if any(g.text.strip() for g in f.glyphs)])


def _attach_raised(frags: list[_Frag]) -> list[_Frag]:
    small = [f for f in frags if len(f.text) <= 4]
    for f in small:
        best = None
        for g in frags:
            if g is f or g.size * 0.9 < f.size or len(g.glyphs) <= len(f.glyphs):
                continue
            rise = f.y0 - g.y0
            near = f.x1 >= g.x0 - 1.5 * g.size and f.x0 <= g.x1 + 1.5 * g.size
            if near and 0.15 * g.size <= rise <= 0.8 * g.size and (best is None or rise < best[0]):
                best = (rise, g)
        if best:
            best[1].glyphs += f.glyphs
            best[1].finish()
            f.glyphs = []
    return [f for f in frags if f.glyphs]


def _frag_text(glyphs: list[_Glyph], size: float) -> tuple[str, int | None]:
    """Words from glyph gaps; raised digit runs become "[^N]"; letter-spaced runs are closed up."""
    words: list[_Word] = []
    cur: list[_Glyph] = []
    spaced = False

    def close() -> None:
        nonlocal spaced
        if cur:
            words.append(_Word("".join(g.text for g in cur), cur[0].x0, cur[-1].x1, cur[0].sup, spaced))
            cur.clear()
            spaced = False

    for g in glyphs:
        if not g.text.strip():
            close()
            spaced = True
            continue
        gap = g.x0 - cur[-1].x1 if cur else 0.0
        if cur and (g.sup != cur[-1].sup or gap > 0.15 * size):
            close()
            spaced = gap > 0.15 * size
        cur.append(g)
    close()
    words = _close_spaced(words, size)
    lead_note = None
    parts: list[str] = []
    for i, w in enumerate(words):
        digits = w.text.translate(_SUPERSCRIPT_DIGITS)
        if w.raised and digits.isdigit() and len(digits) <= 3:
            if i == 0 and len(words) > 1:
                lead_note = int(digits)
            parts.append(f"[^{int(digits)}]")
        else:
            parts.append((" " if parts and w.space_before else "") + w.text)
    return "".join(parts).strip(), lead_note


@dataclass(slots=True)
class _Word:
    text: str
    x0: float
    x1: float
    raised: bool
    space_before: bool


def _close_spaced(words: list[_Word], size: float) -> list[_Word]:
    """Close up letter-spaced text, "B E T R E F T  M O T I E" -> "BETREFT MOTIE": in a run of single
    characters with 3+ letters or digits, a gap clearly wider than the letter gap separates words.
    Punctuation is spaced like the letters: "c . s ." -> "c.s.", "( o n t v a n g e n" -> "(ontvangen"."""
    out: list[_Word] = []
    i = 0
    while i < len(words):
        j = i
        while j < len(words) and len(words[j].text) == 1 and not words[j].raised:
            j += 1
        while j > i + 1 and not words[j - 1].text.isalnum() and words[j - 1].text not in ".,;:!?)]»”’'\"":
            j -= 1  # an opening bracket or a dash at the end belongs to what follows
        if sum(w.text.isalnum() for w in words[i:j]) < 3:
            out.append(words[i])
            i += 1
            continue
        run = words[i:j]
        gaps = [b.x0 - a.x1 for a, b in itertools.pairwise(run)]
        letter_gap = min(gaps)
        group = [run[0]]
        for gap, w in zip([*gaps, float("inf")], [*run[1:], None], strict=True):
            if w is None or gap > 1.6 * letter_gap + 0.1 * size:
                text = "".join(x.text for x in group)
                out.append(_Word(text, group[0].x0, group[-1].x1, False, group[0].space_before))
                group = []
            if w is not None:
                if not group:
                    w = _Word(w.text, w.x0, w.x1, False, True)
                group.append(w)
        i = j
    return out


_PAGE_NUMBER = re.compile(
    r"^(?:(?:pagina|page|blad|blz\.?|p\.)\s*\d+(?:\s*(?:van|of|/)\s*\d+)?|\d+\s*(?:/|van|of)\s*\d+|[-–]?\s*\d{1,4}\s*[-–]?)$",
    re.IGNORECASE,
)
_PAGE_NUMBER_WORDED = re.compile(r"^(?:pagina|page|blad|blz\.?)\s*\d+", re.IGNORECASE)
_SENTENCE_END = re.compile(r"[.!?:;]['\")\]»”’]*$|\[\^\d+\]$")
_NOTE_START = re.compile(r"^(\d{1,3})[.)]?\s+(\S.*)$")


class _Layout:
    """Layout analysis over all pages: furniture (running headers/footers, sidebar), footnotes, columns."""

    def __init__(self, pages: list[_Page]):
        self.pages = pages
        sizes = Counter(round(f.size * 2) / 2 for p in pages for f in p.frags for _ in f.text)
        self.body_size = sizes.most_common(1)[0][0]
        long_x1 = sorted(f.x1 for p in pages for f in p.frags if self._is_body(f) and len(f.text) >= 20)
        self.sidebar_x = long_x1[int(len(long_x1) * 0.9)] + 0.5 * self.body_size if long_x1 else float("inf")
        self.running = self._running_fragments()
        self.gutters: list[tuple[float, float]] = []  # column gutters found by the last _order calls
        self.last_note = 0  # the number of the last footnote read so far

    def _is_body(self, f: _Frag) -> bool:
        return f.size > 0.88 * self.body_size

    def _in_band(self, f: _Frag, page: _Page) -> bool:
        return f.y0 + f.size >= page.height * 0.88 or f.y0 <= page.height * 0.12

    def _running_fragments(self) -> dict[int, str | None]:
        """Fragments repeated at the same place on several pages in the top/bottom band: id -> the text
        to keep once (None: drop). Texts may differ only in a number that follows the page number."""
        groups: list[list[_Frag]] = []
        for page in self.pages:
            for f in page.frags:
                if not self._in_band(f, page) or f.lead_note is not None or _note_number(f, page):
                    continue  # a footnote (number first) is never furniture
                key = re.sub(r"\d+", "#", f.text)
                for g in groups:
                    if re.sub(r"\d+", "#", g[0].text) == key and abs(g[0].y0 - f.y0) <= 3 and g[-1].page != f.page:
                        g.append(f)
                        break
                else:
                    groups.append([f])
        running: dict[int, str | None] = {}
        for g in groups:
            if len(g) < 2:
                continue
            numbers = [[int(n) for n in re.findall(r"\d+", f.text)] for f in g]
            varying = [i for i in range(len(numbers[0])) if len({ns[i] for ns in numbers}) > 1]
            if varying and (
                len(varying) > 1 or len({ns[varying[0]] - f.page for ns, f in zip(numbers, g, strict=True)}) > 1
            ):
                continue  # differs in more than a page number: not furniture
            keep = g[0].text
            if varying:  # drop the page number itself: "..., nr. 63 2" -> "..., nr. 63"
                parts = re.split(r"(\d+)", keep)
                parts[2 * varying[0] + 1] = ""
                keep = " ".join("".join(parts).split())
            page_number = _PAGE_NUMBER.match(g[0].text)
            for i, f in enumerate(g):
                running[id(f)] = keep if i == 0 and keep and not page_number else None
        return running

    def text(self) -> str:
        furniture: list[_Line] = []
        seen: set[str] = set()
        body: list[_Line] = []
        notes_after: dict[int, list[str]] = {}  # index of a page's last body line -> that page's notes
        for page in self.pages:
            side, main = self._split_furniture(page)
            page_seen = set()
            for line in self._order(side):
                if line.text not in seen:  # a sidebar repeated on every page is kept once
                    furniture.append(line)
                    page_seen.add(line.text)
            seen |= page_seen
            notes, main = self._footnotes(main)
            lines = self._order(main)
            _mark_plain_markers(lines, [n for n, _ in notes])
            body += lines
            if notes:
                notes_after.setdefault(len(body) - 1, []).extend(f"[^{n}]: {t}" for n, t in notes)
        in_body = {line.text for line in body}
        furniture = [line for line in furniture if line.text not in in_body]
        head = self._paragraphs(furniture, {}, styled=False)
        text = self._paragraphs(body, notes_after, styled=True)
        return (head + "\n\n" + text if head else text).strip() + "\n"

    def _split_furniture(self, page: _Page) -> tuple[list[_Frag], list[_Frag]]:
        """(furniture to keep once: running headers and the sidebar, body fragments); page numbers go."""
        side, main = [], []
        for f in page.frags:
            if id(f) in self.running:
                if self.running[id(f)]:
                    f.text = self.running[id(f)] or ""
                    side.append(f)
            elif _PAGE_NUMBER.match(f.text) and (
                _PAGE_NUMBER_WORDED.match(f.text) or (self._in_band(f, page) and not _note_number(f, page))
            ):
                continue  # "Pagina 3 van 9" anywhere; a bare number in the top or bottom band
            elif f.x0 >= self.sidebar_x:
                side.append(f)
            else:
                main.append(f)
        return side, main

    # -- reading order

    def _order(self, frags: list[_Frag]) -> list[_Line]:
        rows = _rows(frags)
        lines: list[_Line] = []
        i = 0
        while i < len(rows):
            end, gutter = self._column_run(rows, i)
            if gutter is None:
                lines.append(_Line(rows[i][0].page, rows[i]))
                i += 1
                continue
            run = [f for r in rows[i:end] for f in r]
            self.gutters.append(gutter)
            mid = (gutter[0] + gutter[1]) / 2
            for side in ([f for f in run if f.x1 <= mid], [f for f in run if f.x0 >= mid]):
                part = self._order(side)
                if part:
                    part[0].column_start = True
                lines += part
            i = end
        return lines

    def _column_run(self, rows: list[list[_Frag]], i: int) -> tuple[int, tuple[float, float] | None]:
        """Rows i..end share a vertical gutter; it is a real column gutter when 3+ rows have text on both
        sides and the left text reaches the gutter (not a "Datum   20 september" label column)."""
        left = min(f.x0 for r in rows for f in r)
        right = max(f.x1 for r in rows for f in r)
        min_gap = self.body_size
        free = _subtract([(left, right)], rows[i], min_gap)
        end = i + 1
        while end < len(rows) and free:
            nxt = _subtract(free, rows[end], min_gap)
            if not nxt:
                break
            free, end = nxt, end + 1
        best = None
        for a, b in free:
            both = [r for r in rows[i:end] if any(f.x1 <= a for f in r) and any(f.x0 >= b for f in r)]
            lefts = [f.x1 for r in rows[i:end] for f in r if f.x1 <= a]
            if len(both) < 3 or (best and len(both) <= best[0]):
                continue
            reach = statistics.median(lefts)  # left text fills its column, up to the gutter
            if reach >= a - 3 * self.body_size and reach - left >= 8 * self.body_size:
                best = (len(both), (a, b))
        return (end, best[1]) if best else (i + 1, None)

    # -- footnotes

    def _footnotes(self, main: list[_Frag]) -> tuple[list[tuple[int, str]], list[_Frag]]:
        """Small text below the last body line of its column, starting with a number: footnotes.
        Returns the notes and the fragments that stay body text."""
        zone = [
            f
            for f in main
            if not self._is_body(f)
            and not any(self._is_body(g) and g.y0 < f.y0 and g.x0 < f.x1 and f.x0 < g.x1 for g in main)
        ]
        if not zone:
            return [], main
        zone_ids = {id(f) for f in zone}
        self.gutters = []
        self._order([f for f in main if id(f) not in zone_ids])  # learn the page's column gutters
        notes: list[tuple[int, str]] = []
        used: set[int] = set()
        prev: _Line | None = None
        lines = self._zone_lines(zone)
        raised_style = any(line.lead_note is not None for line in lines)
        for line in lines:
            m = None if raised_style else _NOTE_START.match(line.text)
            bare = re.fullmatch(r"\[\^(\d{1,3})\]|(\d{1,3})", line.text)  # the number alone, its text below
            if line.lead_note is not None:
                notes.append((line.lead_note, re.sub(r"^\[\^\d+\]\s*", "", line.text)))
            elif bare and self._next_note(int(bare[1] or bare[2]), notes, main):
                notes.append((int(bare[1] or bare[2]), ""))
            elif m and (not notes or int(m[1]) == notes[-1][0] + 1):  # "300 X, nr. 88" continues a note
                notes.append((int(m[1]), m[2]))
            elif notes and prev is not None and 0 < prev.y0 - line.y0 <= 2.2 * line.size:
                text = notes[-1][1]
                notes[-1] = (notes[-1][0], _join_wrapped(text, line.text) if text else line.text)
            else:
                prev = None
                continue
            used.update(id(f) for f in line.frags)
            prev = line
        if notes:
            self.last_note = notes[-1][0]
        return notes, [f for f in main if id(f) not in used]

    def _next_note(self, n: int, notes: list[tuple[int, str]], main: list[_Frag]) -> bool:
        """A bare number in the footnote zone starts note n: the next number, or one marked on the page."""
        last = notes[-1][0] if notes else self.last_note
        return n == last + 1 or (n > last and any(f"[^{n}]" in f.text for f in main))

    def _zone_lines(self, zone: list[_Frag]) -> list[_Line]:
        """Footnote lines per body column: notes of two columns can share a baseline."""
        groups: list[list[_Frag]] = [zone]
        for a, b in self.gutters:
            mid = (a + b) / 2
            groups = [part for g in groups for part in ([f for f in g if f.x1 <= mid], [f for f in g if f.x1 > mid])]
        return [_Line(r[0].page, r) for g in groups for r in _rows(g)]

    # -- paragraphs

    def _pitch(self, lines: list[_Line]) -> dict[float, float]:
        deltas: dict[float, list[float]] = {}
        for a, b in itertools.pairwise(lines):
            d = a.y0 - b.y0
            if a.page == b.page and a.size == b.size and 0.9 * a.size < d < 3 * a.size and not b.column_start:
                deltas.setdefault(a.size, []).append(round(d * 2) / 2)
        return {s: Counter(ds).most_common(1)[0][0] for s, ds in deltas.items() if len(ds) >= 3}

    def _paragraphs(self, lines: list[_Line], notes_after: dict[int, list[str]], styled: bool) -> str:
        """Lines joined with blank lines between paragraphs; each page's footnotes follow the paragraph
        that runs at the page's end, so they never split a sentence."""
        pitch = self._pitch(lines)
        out: list[str] = []
        pending: list[str] = notes_after.get(-1, [])
        for i, line in enumerate(lines):
            if i and self._breaks(lines[i - 1], line, pitch, styled):
                if pending:
                    out += ["", *pending]
                    pending = []
                out.append("")
            out.append(line.text)
            pending += notes_after.get(i, [])
        if pending:
            out += ["", *pending]
        return "\n".join(out)

    def _breaks(self, prev: _Line, line: _Line, pitch: dict[float, float], styled: bool) -> bool:
        if line.page != prev.page or line.column_start or line.y0 >= prev.y0:
            return bool(_SENTENCE_END.search(prev.text))  # a page or column break rarely ends a paragraph
        if abs(line.size - prev.size) > 0.15 * max(line.size, prev.size):
            return True
        if styled and line.bold != prev.bold:  # a bold heading line
            return True
        step = pitch.get(line.size, 1.25 * line.size)
        return prev.y0 - line.y0 > 1.35 * step


def _mark_plain_markers(lines: list[_Line], numbers: list[int]) -> None:
    """A footnote marker printed without rise ("advies1 een", "investeren.1 Hiermee") becomes "[^1]" when
    the page has note 1, no raised marker for it, and exactly one such spot."""
    for n in numbers:
        if any(f"[^{n}]" in line.text for line in lines):
            continue
        spot = re.compile(rf"(?<=[a-zà-ÿ.,;:)’”']){n}(?=[\s,.;:)]|$)")
        hits = [line for line in lines for _ in spot.finditer(line.text)]
        if len(hits) == 1:
            hits[0].text = spot.sub(f"[^{n}]", hits[0].text)


def _note_number(f: _Frag, page: _Page) -> bool:
    """A bare number with text right after it ("1   Kamerstuk ...") labels a note; it is no page number. So
    does a number alone on its line with small text hanging after it on the next line (a note whose first
    word, a long URL, did not fit beside the number)."""
    return f.text.isdigit() and any(
        g is not f
        and 0 <= g.x0 - f.x1 <= 3 * max(f.size, g.size)
        and (abs(g.y0 - f.y0) <= 0.3 * f.size or (0 < f.y0 - g.y0 <= 2.2 * g.size and g.size <= 1.5 * f.size))
        for g in page.frags
    )


def _join_wrapped(a: str, b: str) -> str:
    """Joins a wrapped footnote line; "woord-" + "vervolg" is a hyphenated word, "EU-" + "en" is not;
    a URL broken at the line end goes on without a space."""
    if re.search(r"(?:https?://|www\.)\S*[/?&=%#_-]$", a) and re.match(r"[\w/?&=%#.-]+", b):
        return a + b
    if re.search(r"[a-zà-ÿ]-$", a) and b[:1].islower() and not re.match(r"(?:en|of|tot)\b", b):
        return a[:-1] + b
    return f"{a} {b}"


def _rows(frags: list[_Frag]) -> list[list[_Frag]]:
    rows: list[list[_Frag]] = []
    for f in sorted(frags, key=lambda f: -f.y0):
        if rows and rows[-1][0].y0 - f.y0 <= 0.3 * max(rows[-1][0].size, f.size):
            rows[-1].append(f)
        else:
            rows.append([f])
    for r in rows:
        r.sort(key=lambda f: f.x0)
    return rows


def _subtract(free: list[tuple[float, float]], row: list[_Frag], min_gap: float) -> list[tuple[float, float]]:
    """Free x-intervals minus the row's fragments, keeping intervals at least `min_gap` wide."""
    for f in row:
        nxt = []
        for a, b in free:
            if f.x1 <= a or f.x0 >= b:
                nxt.append((a, b))
                continue
            if f.x0 - a >= min_gap:
                nxt.append((a, f.x0))
            if b - f.x1 >= min_gap:
                nxt.append((f.x1, b))
        free = nxt
    return free
