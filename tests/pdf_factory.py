"""Build realistic Dutch ministry-letter PDFs with fpdf2, for the reader tests and benchmarks.

The layout copies what the Rijkshuisstijl letters do and what PDF extraction trips over: a logo line and a
date line as a running header, a reference block in a narrow right sidebar repeated on every page,
"Pagina N van M" at the bottom of the sidebar, footnotes in a smaller font at the bottom of the text column
with raised (text-rise) markers in the body, words hyphenated at line ends, optionally two body columns and
a letter-spaced title. Text is placed line by line, so the tests know exactly what the layout looks like.

Paragraph text may carry footnote markers as "[^N]" right after a word; `footnotes` gives their text.
"""

from __future__ import annotations

import re
from collections.abc import Collection
from dataclasses import dataclass, field
from pathlib import Path

from fpdf import FPDF

PAGE_W, PAGE_H = 595.28, 841.89  # A4 in points
BODY_X, BODY_W = 78.0, 340.0
GUTTER = 18.0
SIDEBAR_X, SIDEBAR_W = 455.0, 115.0
BODY_TOP, BODY_BOTTOM = 112.0, 772.0  # baselines of the body text stay within these
BODY_SIZE, BODY_PITCH = 10.0, 14.0
NOTE_SIZE, NOTE_PITCH = 7.5, 9.5
SIDE_SIZE, SIDE_PITCH = 7.0, 9.0
SUP_SIZE, SUP_RISE = 6.0, 3.5
SPACING = 3.5  # extra room after every character of a letter-spaced heading
NOTE_INDENT = "00 "  # footnote text hangs after the number

DEFAULT_SIDEBAR = [
    "Directie Veiligheidsbeleid",
    "Rijnstraat 8",
    "2515 XP Den Haag",
    "Postbus 20061",
    "Nederland",
    "www.rijksoverheid.nl",
    "",
    "Onze Referentie",
    "BZDOC-236315591-59",
    "",
    "Uw Referentie",
    "2019Z09349/2019D20220",
    "",
    "Bijlage(n)",
    "1",
]

# Sentences adapted from the seed letters, long enough to fill several pages when repeated.
DUTCH_PARAGRAPHS = [
    "Op 17 mei jl. heeft de vaste Kamercommissie voor Buitenlandse Zaken verzocht uw Kamer te informeren "
    "over de uitvoering van de motie Koopmans c.s. over de beheersing van nieuwe potentiële "
    "massavernietigingswapens.",
    "In dit kader verwijs ik graag naar mijn brief van 13 mei jl. waarin ik uw Kamer informeer over het "
    "gebruik van nieuwe technologieën als onderdeel van wapensystemen. Het uitgangspunt is dat de mogelijke "
    "veiligheidsrisico's moeten worden geadresseerd, terwijl positieve toepassingen niet worden belemmerd.",
    "Het bestaande internationaal recht geldt voor het gebruik van nieuwe technologieën evenzeer als voor "
    "bestaande technologieën in wapensystemen. Alle wapensystemen moeten voldoen aan de eisen die het "
    "internationaal recht daaraan stelt.",
    "Zowel de Europese Unie als de Organisatie voor Economische Samenwerking en Ontwikkeling heeft recent "
    "internationale beginselen uitgewerkt voor het verantwoord ontwikkelen en gebruiken van "
    "kunstmatige-intelligentietechnologie. In beide gevallen gaat het om aanbevelingen die niet juridisch "
    "bindend zijn.",
    "De kabinetspositie ten aanzien van autonome wapensystemen berust grotendeels op het in 2015 "
    "gepubliceerde advies van de Adviesraad Internationale Vraagstukken. Zoals werd aangekondigd ten tijde "
    "van de publicatie zal dit advies in de tweede helft van het jaar 2020 worden geactualiseerd.",
    "Van 11 tot 15 november vindt tenslotte de jaarlijkse bijeenkomst van de verdragspartijen bij het "
    "Conventionele Wapenverdrag plaats. Nederland zal zich daar inspannen voor omarming van het rapport van "
    "de deskundigengroep door de statenpartijen.",
    "Nederland heeft de afgelopen jaren intensief bijgedragen aan het opstellen van internationale "
    "standaarden voor de export en het gebruik van onbemande vliegtuigen. Het kabinet spant zich in voor "
    "een verbreding van het draagvlak van deze standaarden.",
    "De ontwikkeling van nieuwe sleuteltechnologieën vormt een wezenlijk deel van de beleidsopgaven van het "
    "hele kabinet. Het ministerie werkt daarom nauw samen met andere departementen om kennis te delen.",
    "In 2021 heeft het kabinet de Nederlandse inzet op het gebied van nieuwe technologieën en "
    "wapenbeheersing geïntensiveerd. In dit kader is het kabinet voornemens om eind 2022 een internationale "
    "conferentie over nieuwe technologieën en wapenbeheersing te organiseren.",
    "De conferentie en de daaruit voortvloeiende initiatieven zullen zich richten op een verantwoorde "
    "toepassing van nieuwe technologieën in het militaire domein, specifiek op het gebied van kunstmatige "
    "intelligentie.",
    "De komende maanden zullen expertbijeenkomsten worden georganiseerd om verschillende aspecten van het "
    "thema te belichten. Daartoe zullen ook consultaties worden gehouden met denktanks, "
    "maatschappelijke organisaties en het bedrijfsleven.",
    "In het tweede kwartaal van dit jaar zal de gezamenlijke commissie een nieuw advies publiceren over "
    "autonome wapensystemen. Het kabinet zal uw Kamer daarna zo spoedig mogelijk informeren over zijn "
    "reactie op dit advies.",
    "Met de ministeriële top op 15 en 16 februari in Den Haag wil het kabinet de mogelijkheden van het "
    "gebruik van kunstmatige intelligentie binnen het militaire domein inzichtelijker maken en zo breed "
    "mogelijk gedeelde kaders initiëren.",
    "Het kabinet vindt het belangrijk dat dit onderwerp hoger op de internationale politieke agenda komt te "
    "staan. Daarom werken de ministeries van Buitenlandse Zaken en Defensie nauw samen op dit dossier.",
    "Ik zal uw Kamer blijven informeren over de voortgang van de internationale besprekingen en over de "
    "uitkomsten van de jaarlijkse bijeenkomst van de verdragspartijen.",
]

_MARKER = re.compile(r"\[\^(\d+)\]")


def _font_paths() -> tuple[Path, Path] | None:
    base = Path("/usr/share/fonts/truetype/dejavu")
    regular, bold = base / "DejaVuSans.ttf", base / "DejaVuSans-Bold.ttf"
    return (regular, bold) if regular.exists() and bold.exists() else None


@dataclass
class _Run:
    text: str
    sup: bool = False


@dataclass
class _Line:
    runs: list[_Run]
    gap_before: bool = False  # a paragraph starts here
    notes: list[int] = field(default_factory=list)  # footnotes whose marker sits on this line
    spaced: bool = False  # letter-spaced title


@dataclass
class _Frame:
    """One text column on one page: body lines from the top, footnotes at its bottom."""

    page: int
    x: float
    width: float
    lines: list[tuple[float, _Line]] = field(default_factory=list)
    notes: list[int] = field(default_factory=list)


class _Builder:
    def __init__(self) -> None:
        self.pdf = FPDF(unit="pt", format="A4")
        self.pdf.set_auto_page_break(False)
        fonts = _font_paths()
        if fonts:
            self.pdf.add_font("Body", "", str(fonts[0]))
            self.pdf.add_font("Body", "B", str(fonts[1]))
            self.family = "Body"
        else:  # core font fallback: latin-1 only
            self.family = "Helvetica"

    def clean(self, text: str) -> str:
        if self.family == "Body":
            return text
        return text.replace("’", "'").replace("–", "-").encode("latin-1", "replace").decode("latin-1")

    def width(self, text: str, size: float, bold: bool = False) -> float:
        self.pdf.set_font(self.family, "B" if bold else "", size)
        return self.pdf.get_string_width(self.clean(text))

    def draw(self, x: float, y: float, text: str, size: float, bold: bool = False, spacing: float = 0) -> None:
        self.pdf.set_font(self.family, "B" if bold else "", size)
        self.pdf.set_char_spacing(spacing)
        self.pdf.text(x, y, self.clean(text))
        self.pdf.set_char_spacing(0)


def _words(paragraph: str) -> list[list[_Run]]:
    """Split a paragraph into words; each word is normal text with optional superscript markers."""
    words = []
    for raw in paragraph.split():
        runs, pos = [], 0
        for m in _MARKER.finditer(raw):
            if m.start() > pos:
                runs.append(_Run(raw[pos : m.start()]))
            runs.append(_Run(m.group(1), sup=True))
            pos = m.end()
        if pos < len(raw):
            runs.append(_Run(raw[pos:]))
        words.append(runs)
    return words


def _runs_width(b: _Builder, runs: list[_Run]) -> float:
    return sum(b.width(r.text, SUP_SIZE if r.sup else BODY_SIZE) for r in runs)


def _wrap(b: _Builder, paragraph: str, width: float) -> list[_Line]:
    """Greedy line breaking; a long word that does not fit is hyphenated by hand ("woord-" / "vervolg")."""
    lines: list[_Line] = []
    current: list[_Run] = []
    space = b.width(" ", BODY_SIZE)

    def used() -> float:
        return _runs_width(b, current)

    def flush() -> None:
        nonlocal current
        if current:
            notes = [int(r.text) for r in current if r.sup]
            lines.append(_Line(_merge(current), notes=notes))
        current = []

    for word in _words(paragraph):
        lead = [_Run(" ")] if current else []
        if used() + _runs_width(b, lead + word) <= width:
            current += lead + word
            continue
        plain = word[0].text if len(word) == 1 and not word[0].sup else ""
        room = width - used() - (space if current else 0)
        cut = _hyphen_cut(b, plain, room) or _own_hyphen_cut(b, plain, room)
        while not cut and plain and b.width(plain, BODY_SIZE) > width:
            cut = _hyphen_cut(b, plain, width) or _compound_cut(b, plain, width)  # wider than the column
            flush()
            lead = []
        if cut:
            head = plain[:cut] if plain[cut - 1] == "-" else plain[:cut] + "-"
            current += [*lead, _Run(head)]
            flush()
            current = [_Run(plain[cut:])]
        else:
            flush()
            current = list(word)
    flush()
    if lines:
        lines[0].gap_before = True
    return lines


def _hyphen_cut(b: _Builder, word: str, room: float) -> int:
    """Longest split of a long alphabetic word whose head plus "-" fits in `room`, or 0."""
    if len(word) < 9 or not word.isalpha():
        return 0
    vowels = set("aeiouyéëïö")
    for cut in range(len(word) - 3, 3, -1):
        # Dutch-like syllable break: vowel | consonant + vowel ("be-lang", "tech-no-lo-gie")
        syllable = word[cut - 1] in vowels and word[cut] not in vowels and word[cut + 1] in vowels
        if syllable and b.width(word[:cut] + "-", BODY_SIZE) <= room:
            return cut
    return 0


def _own_hyphen_cut(b: _Builder, word: str, room: float) -> int:
    """A compound breaks after its own hyphen when the head fits ("niet-" / "statelijke"), as word
    processors do; the line then ends in a hyphen that is part of the word."""
    for cut in range(len(word) - 2, 2, -1):
        compound = word[cut - 1] == "-" and word[cut - 2].isalpha() and word[cut].isalpha()
        if compound and b.width(word[:cut], BODY_SIZE) <= room:
            return cut
    return 0


def _wrap_spaced(b: _Builder, paragraph: str, width: float) -> list[_Line]:
    """A letter-spaced bold heading, broken between words only."""
    lines: list[_Line] = []
    current = ""
    for word in paragraph.split():
        trial = f"{current} {word}".strip()
        if current and _spaced_width(b, trial) > width:
            lines.append(_Line([_Run(current)], spaced=True))
            current = word
        else:
            current = trial
    if current:
        lines.append(_Line([_Run(current)], spaced=True))
    if lines:
        lines[0].gap_before = True
    return lines


def _spaced_width(b: _Builder, text: str) -> float:
    return b.width(text, BODY_SIZE, bold=True) + SPACING * len(text)


def _compound_cut(b: _Builder, word: str, room: float) -> int:
    """Break a compound after its own hyphen ("kunstmatige-" / "intelligentie"), else anywhere."""
    for cut in range(len(word) - 1, 1, -1):
        if word[cut - 1] == "-" and b.width(word[:cut], BODY_SIZE) <= room:
            return cut
    return next(c for c in range(len(word) - 1, 0, -1) if b.width(word[:c] + "-", BODY_SIZE) <= room)


def _merge(runs: list[_Run]) -> list[_Run]:
    out: list[_Run] = []
    for r in runs:
        if out and out[-1].sup == r.sup:
            out[-1] = _Run(out[-1].text + r.text, r.sup)
        else:
            out.append(r)
    return out


def _note_lines(b: _Builder, text: str, width: float) -> list[str]:
    """Footnote text wrapped after its hanging number; a word wider than the column (a URL) is broken
    where it fits, preferably after "/", "?", "&", "=" or "-", as word processors do."""
    words, lines, current = text.split(), [], ""
    room = width - b.width(NOTE_INDENT, NOTE_SIZE)
    for w in words:
        trial = f"{current} {w}".strip()
        if b.width(trial, NOTE_SIZE) <= room:
            current = trial
            continue
        if current:
            lines.append(current)
        while b.width(w, NOTE_SIZE) > room:
            fits = max(c for c in range(1, len(w)) if b.width(w[:c], NOTE_SIZE) <= room)
            cut = next((c for c in range(fits, fits // 2, -1) if w[c - 1] in "/?&=-"), fits)
            lines.append(w[:cut])
            w = w[cut:]
        current = w
    lines.append(current)
    return lines


def build_letter_pdf(
    paragraphs: list[str],
    *,
    date_line: str = "Datum 20 september 2019",
    sidebar: list[str] | None = None,
    header: str | None = "Ministerie van Buitenlandse Zaken",
    footer_pages: bool = True,
    footnotes: dict[int, str] | None = None,
    two_columns: bool = False,
    spaced_title: str | None = None,
    spaced: Collection[int] = (),
) -> bytes:
    """A multi-page ministry letter. `sidebar=None` uses a default reference block, `[]` leaves it out;
    an empty `date_line` leaves the header date out. `spaced_title` is a letter-spaced heading above the
    paragraphs; `spaced` lists the indices of paragraphs drawn letter-spaced (a title inside the letter)."""
    b = _Builder()
    notes = footnotes or {}
    side = DEFAULT_SIDEBAR if sidebar is None else sidebar
    col_w = (BODY_W - GUTTER) / 2 if two_columns else BODY_W
    col_xs = [BODY_X, BODY_X + col_w + GUTTER] if two_columns else [BODY_X]

    body: list[_Line] = []
    if spaced_title:
        body += _wrap_spaced(b, spaced_title, col_w)
    for i, p in enumerate(paragraphs):
        body += _wrap_spaced(b, p, col_w) if i in spaced else _wrap(b, p, col_w)

    # Place lines into frames (columns of pages); footnotes take room at the bottom of their frame.
    frames: list[_Frame] = []
    note_cache = {n: _note_lines(b, t, col_w) for n, t in notes.items()}

    def new_frame() -> _Frame:
        index = len(frames)
        frame = _Frame(page=index // len(col_xs), x=col_xs[index % len(col_xs)], width=col_w)
        frames.append(frame)
        return frame

    def notes_height(ns: list[int]) -> float:
        lines = sum(len(note_cache.get(n, [])) for n in ns)
        return lines * NOTE_PITCH + (NOTE_PITCH * 1.5 if lines else 0)

    frame, y = new_frame(), BODY_TOP
    for line in body:
        y_new = y + BODY_PITCH * (2 if line.gap_before else 1) if frame.lines else BODY_TOP
        if frame.lines and y_new + notes_height(frame.notes + line.notes) > BODY_BOTTOM:
            frame, y_new = new_frame(), BODY_TOP
        y = y_new
        frame.lines.append((y, line))
        frame.notes += [n for n in line.notes if n in note_cache and n not in frame.notes]

    # Page by page: fpdf2 writes a font change only when it differs from the last one set anywhere, so
    # going back to an earlier page would draw its first line in the font that page's stream ended with.
    pages = frames[-1].page + 1
    for page in range(pages):
        b.pdf.add_page()
        _draw_furniture(b, page, pages, header, date_line, side, footer_pages)
        for frame in frames:
            if frame.page == page:
                _draw_frame(b, frame, note_cache)
    return bytes(b.pdf.output())


def _draw_furniture(
    b: _Builder, page: int, pages: int, header: str | None, date_line: str, side: list[str], footer: bool
) -> None:
    if header:
        w = b.width(header, 10, bold=True)
        b.draw((PAGE_W - w) / 2, 38, header, 10, bold=True)
    if date_line:
        b.draw(BODY_X, 70, date_line, 8)
    y = BODY_TOP
    for text in side:
        if text:
            b.draw(SIDEBAR_X, y, text, SIDE_SIZE, bold=text in {"Onze Referentie", "Uw Referentie"})
        y += SIDE_PITCH
    if footer:
        b.draw(SIDEBAR_X, 800, f"Pagina {page + 1} van {pages}", SIDE_SIZE)


def _draw_frame(b: _Builder, frame: _Frame, note_cache: dict[int, list[str]]) -> None:
    for y, line in frame.lines:
        x = frame.x
        for run in line.runs:
            if line.spaced:
                b.draw(x, y, run.text, BODY_SIZE, bold=True, spacing=SPACING)
                continue
            size = SUP_SIZE if run.sup else BODY_SIZE
            b.draw(x, y - (SUP_RISE if run.sup else 0), run.text, size)
            x += b.width(run.text, size)
    lines = [(n, text) for n in frame.notes for text in note_cache[n]]
    if not lines:
        return
    y = BODY_BOTTOM - (len(lines) - 1) * NOTE_PITCH
    b.pdf.set_line_width(0.5)
    b.pdf.line(frame.x, y - NOTE_PITCH - 1, frame.x + 100, y - NOTE_PITCH - 1)
    seen: set[int] = set()
    indent = b.width(NOTE_INDENT, NOTE_SIZE)
    for n, text in lines:
        if n not in seen:
            seen.add(n)
            b.draw(frame.x, y - 2.5, str(n), SUP_SIZE)
        b.draw(frame.x + indent, y, text, NOTE_SIZE)
        y += NOTE_PITCH
