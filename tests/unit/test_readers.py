"""Document readers: layout cleaning of ministry-letter PDFs, HTML pages, and every kind of bad input."""

from __future__ import annotations

import io
import itertools
import re
import unicodedata
from pathlib import Path

import pytest
from fpdf import FPDF
from pypdf import PdfReader

from services.ingest.domain.readers import (
    MAX_DOCUMENT_BYTES,
    SUPPORTED_SUFFIXES,
    UnreadableDocument,
    read_document,
    sniff_suffix,
)
from tests.pdf_factory import DUTCH_PARAGRAPHS, build_letter_pdf

ROOT = Path(__file__).resolve().parents[2]
HTML_PAGE = ROOT / "tests" / "fixtures" / "kst-33694-63.html"
NOTE_LINE = re.compile(r"^\[\^(\d+)\]: (.*)$")

NOTES = {
    1: "Kamerstuk: vergaderjaar 2018-2019, 33694 nr.45",
    2: "Kabinetsreactie op het advies: Kamerstuk: vergaderjaar 2015-2016, 34 300 X, nr. 88. De toelichting "
    "bij deze voetnoot is lang genoeg om over twee regels door te lopen.",
    3: "Kamerstuk 33 694, nrs. 45, 48 en 59",
}


def _with_markers() -> list[str]:
    """The sample paragraphs with three footnote markers, plus variants to fill a third page."""
    paragraphs = list(DUTCH_PARAGRAPHS)
    paragraphs[1] = paragraphs[1].replace("wapensystemen.", "wapensystemen.[^1]")
    paragraphs[4] = paragraphs[4].replace("Vraagstukken.", "Vraagstukken.[^2]")
    paragraphs[9] = paragraphs[9].replace("militaire domein,", "militaire domein,[^3]")
    return paragraphs + [f"Daarnaast merk ik op: {p[0].lower()}{p[1:]}" for p in DUTCH_PARAGRAPHS[:8]]


PARAGRAPHS = _with_markers()


def _canon(text: str) -> str:
    """Text without whitespace and hyphens: what survives any line breaking or hyphenation."""
    return re.sub(r"[\s\-]+", "", text)


def _body(text: str) -> str:
    return "\n".join(line for line in text.split("\n") if not NOTE_LINE.match(line))


def _assert_paragraphs_in_order(text: str, paragraphs: list[str]) -> None:
    """Every paragraph is contiguous in the body (nothing interleaved) and they come in source order."""
    body = _canon(_body(text))
    pos = 0
    for p in paragraphs:
        found = body.find(_canon(p), pos)
        assert found >= 0, f"paragraph not contiguous or out of order: {p[:60]!r}"
        pos = found + len(_canon(p))


def _pages(data: bytes) -> int:
    return len(PdfReader(io.BytesIO(data)).pages)


@pytest.fixture(scope="module")
def letter() -> tuple[bytes, str]:
    data = build_letter_pdf(PARAGRAPHS, footnotes=NOTES)
    return data, read_document("brief.pdf", data)


@pytest.fixture(scope="module")
def two_column() -> tuple[bytes, str]:
    data = build_letter_pdf(PARAGRAPHS, footnotes=NOTES, two_columns=True)
    return data, read_document("brief.pdf", data)


# --- PDF layout cleaning ------------------------------------------------------------------------------


def test_factory_builds_a_multi_page_letter(letter):
    data, _ = letter
    assert data.startswith(b"%PDF-") and _pages(data) >= 3


def test_paragraph_across_a_page_break_is_recovered(letter):
    data, text = letter
    pages = [_canon(page.extract_text()) for page in PdfReader(io.BytesIO(data)).pages]
    crossing = [
        p for p in PARAGRAPHS if any(_canon(p[:40]) in a and _canon(p[-40:]) in b for a, b in itertools.pairwise(pages))
    ]
    assert crossing, "the fixture should break a paragraph over two pages"
    for p in crossing:
        assert _canon(p) in _canon(_body(text))


def test_page_numbers_never_survive(letter, two_column):
    for _, text in (letter, two_column):
        assert "Pagina" not in text
        assert not re.search(r"\d+ van \d+", text)


def test_running_header_kept_once_before_the_body(letter):
    _, text = letter
    assert text.count("Ministerie van Buitenlandse Zaken") == 1
    assert text.count("Datum 20 september 2019") == 1
    assert "Datum 20 september 2019\n" in text  # a line of its own: the date finder reads it
    assert text.index("Datum 20 september 2019") < text.index("Op 17 mei jl.")


def test_sidebar_first_occurrence_at_top_repetitions_dropped(letter):
    _, text = letter
    assert text.count("Onze Referentie") == 1
    assert text.count("BZDOC-236315591-59") == 1
    assert "Onze Referentie\nBZDOC-236315591-59" in text
    assert "Uw Referentie\n2019Z09349/2019D20220" in text
    assert text.index("Rijnstraat 8") < text.index("Op 17 mei jl.")


def test_body_paragraphs_contiguous_and_in_order(letter):
    _, text = letter
    _assert_paragraphs_in_order(text, PARAGRAPHS)


@pytest.mark.parametrize("layout", ["letter", "two_column"])
def test_paragraphs_separated_by_blank_lines_lines_kept(layout, request):
    _, text = request.getfixturevalue(layout)
    blocks = {_canon(b): b for b in text.split("\n\n")}
    for p in PARAGRAPHS:  # each paragraph is exactly one block: not merged with, nor split from, another
        assert _canon(p) in blocks, p[:60]
        assert "\n" in blocks[_canon(p)]  # one line per layout line, not one line per paragraph


def test_hyphenated_line_ends_kept_for_the_cleaner(letter):
    _, text = letter
    lines = text.split("\n")
    words = set(re.findall(r"\w+", " ".join(PARAGRAPHS)))
    splits = [(a, b) for a, b in itertools.pairwise(lines) if re.search(r"[a-zë]-$", a)]
    assert splits, "the factory should have hyphenated a word at a line end"
    source = " ".join(PARAGRAPHS)
    for a, b in splits:
        head, tail = re.search(r"(\w+)-$", a).group(1), re.match(r"\w+", b).group(0)
        # "aange-" + "kondigd": a word split by the layout; "kunstmatige-" + "intelligentie...": at its own hyphen
        assert head + tail in words or f"{head}-{tail}" in source
    assert any(head + tail in words for head, tail in (
        (re.search(r"(\w+)-$", a).group(1), re.match(r"\w+", b).group(0)) for a, b in splits
    ))  # fmt: skip


def test_footnotes_become_note_lines_with_markers_in_the_body(letter):
    _, text = letter
    notes = {int(m[1]): m[2] for m in map(NOTE_LINE.match, text.split("\n")) if m}
    assert notes == NOTES  # complete, the two-line note joined into one line
    assert "wapensystemen.[^1] Het" in text
    for n, note in NOTES.items():
        assert text.count(note[:30]) == 1
        assert text.index(f"[^{n}]") < text.index(f"[^{n}]:")


def test_footnotes_never_inside_a_sentence(letter, two_column):
    for _, text in (letter, two_column):
        lines = text.split("\n")
        for i, line in enumerate(lines):
            if NOTE_LINE.match(line) and not NOTE_LINE.match(lines[i - 1]):
                assert lines[i - 1] == ""
                before = next(x for x in reversed(lines[: i - 1]) if x)
                assert re.search(r"[.!?:]$", before), f"notes placed mid-sentence after {before!r}"


def test_two_columns_read_column_by_column(two_column):
    data, text = two_column
    assert _pages(data) >= 2
    _assert_paragraphs_in_order(text, PARAGRAPHS)
    assert {int(m[1]) for m in map(NOTE_LINE.match, text.split("\n")) if m} == set(NOTES)


def test_two_column_check_catches_interleaving():
    """The order check itself fails on line-interleaved columns (guards against a vacuous test)."""
    left = "Eerste kolom zin een.\nEerste kolom zin twee."
    right = "Tweede kolom zin een.\nTweede kolom zin twee."
    interleaved = "\n".join(a + " " + b for a, b in zip(left.split("\n"), right.split("\n"), strict=True))
    with pytest.raises(AssertionError):
        _assert_paragraphs_in_order(interleaved, [left, right])


@pytest.mark.parametrize("title", ["BETREFT", "Betreft motie Koopmans"])
def test_letter_spaced_title_closed_up(title):
    text = read_document("brief.pdf", build_letter_pdf(PARAGRAPHS[:3], spaced_title=title))
    assert f"\n{title}\n" in text
    assert not re.search(r"\b\w \w \w\b", text)


def test_plain_letter_without_furniture_is_just_the_body():
    data = build_letter_pdf(PARAGRAPHS[:4], date_line="", sidebar=[], header=None, footer_pages=False)
    text = read_document("brief.pdf", data)
    assert _canon(text) == _canon("".join(PARAGRAPHS[:4]))
    assert text.count("\n\n") == 3


def _kamerstuk_pdf(paragraphs: list[str]) -> bytes:
    """Another producer's style: fpdf2's own justified flow, a standard Type 1 font, and the Kamerstuk
    running footer whose last number is the page number."""

    class Kamerstuk(FPDF):
        def footer(self) -> None:
            self.set_y(-15)
            self.set_font("Helvetica", size=7)
            self.cell(0, 5, f"Tweede Kamer, vergaderjaar 2021-2022, 33 694, nr. 63      {self.page_no()}", align="R")

    pdf = Kamerstuk(format="A4")
    pdf.set_margins(30, 25, 30)
    pdf.add_page()
    pdf.set_font("Helvetica", "B", 11)
    for title in ("33 694 Internationale Veiligheidsstrategie", "Nr. 63 BRIEF VAN DE MINISTER VAN BUITENLANDSE ZAKEN"):
        pdf.multi_cell(0, 6, title, new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Helvetica", "", 10)
    for p in paragraphs:
        pdf.ln(5)
        pdf.multi_cell(0, 5, p, align="J", new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())


def test_kamerstuk_footer_with_page_number_kept_once_without_it():
    paragraphs = DUTCH_PARAGRAPHS * 2
    data = _kamerstuk_pdf(paragraphs)
    assert _pages(data) >= 2
    text = read_document("kst-33694-63.pdf", data)
    assert text.startswith("Tweede Kamer, vergaderjaar 2021-2022, 33 694, nr. 63\n\n")
    assert text.count("vergaderjaar 2021-2022") == 1
    assert "33 694 Internationale Veiligheidsstrategie\nNr. 63 BRIEF" in text
    _assert_paragraphs_in_order(text, paragraphs)


def test_plain_footnote_numbers_and_bare_page_numbers():
    """Seed 003/004 style: note numbers printed without rise; a bare page number centred at the bottom."""
    pdf = FPDF(unit="pt", format="A4")
    body = [
        ["Het kabinet dankt de commissie voor haar advies.1 Hiermee wordt het advies uit", "2015 geactualiseerd."],
        ["De minister verwijst naar de reactie op het AIV/CAVV advies2 over autonome", "wapensystemen."],
    ]
    notes = [
        ["1", "Advies No. 97 AIV / No. 26 CAVV, oktober 2015"],
        ["2", "AIV-advies 119, CAVV-advies 38 van 3 december 2021 - Autonome wapensystemen, het"],
        ["", "belang van reguleren en investeren."],
    ]
    for page, lines in enumerate(body, 1):
        pdf.add_page()
        pdf.set_font("Helvetica", size=10)
        for i, line in enumerate(lines):
            pdf.text(72, 100 + 14 * i, line)
        pdf.set_font("Helvetica", size=7)
        for i, (number, line) in enumerate(notes[page - 1 :: 1][:page]):
            pdf.text(72, 760 + 9 * i, number)
            pdf.text(84, 760 + 9 * i, line)
        pdf.text(295, 815, str(page))
    text = read_document("reactie.pdf", bytes(pdf.output()))
    assert "advies.[^1] Hiermee" in text and "CAVV advies[^2] over" in text
    assert "[^1]: Advies No. 97 AIV / No. 26 CAVV, oktober 2015" in text.split("\n")
    assert (
        "[^2]: AIV-advies 119, CAVV-advies 38 van 3 december 2021 - Autonome wapensystemen, het belang van "
        "reguleren en investeren." in text.split("\n")
    )
    assert not re.search(r"^\d+$", text, re.MULTILINE)


def test_note_number_alone_on_its_line_with_the_text_below():
    """A note whose first word (a long URL) did not fit beside its number: the number stands alone in the
    bottom band, like a page number, and the URL hangs below it, broken after a "/"."""
    pdf = FPDF(unit="pt", format="A4")
    pdf.add_page()
    pdf.set_font("Helvetica", size=10)
    pdf.text(72, 100, "Op de uitvoer van dual-use goederen is de verordening van toepassing.")
    pdf.set_font("Helvetica", size=6)
    pdf.text(390, 96.5, "9")
    pdf.set_font("Helvetica", size=10)
    pdf.text(72, 114, "De controlelijst van deze verordening wordt regelmatig bijgewerkt.")
    pdf.set_font("Helvetica", size=6)
    pdf.text(72, 736, "9")
    pdf.set_font("Helvetica", size=7.5)
    pdf.text(84, 745, "https://eur-lex.europa.eu/legal-content/EN/TXT/")
    pdf.text(84, 754.5, "?uri=CELEX%3A02021R0821-20220107")
    pdf.set_font("Helvetica", size=9)
    pdf.text(295, 815, "1")
    text = read_document("reactie.pdf", bytes(pdf.output()))
    assert "toepassing.[^9]\nDe controlelijst" in text
    assert text.endswith("\n[^9]: https://eur-lex.europa.eu/legal-content/EN/TXT/?uri=CELEX%3A02021R0821-20220107\n")
    assert not re.search(r"^\d+$", text, re.MULTILINE)


@pytest.mark.parametrize(
    "title", ["Betreft motie Koopmans c.s. (33 694, nr. 43)", "Antwoord van minister Blok (ontvangen 22 maart 2021)"]
)
def test_letter_spaced_punctuation_closed_up_with_its_words(title):
    text = read_document("brief.pdf", build_letter_pdf(PARAGRAPHS[:2], spaced_title=title))
    heading = next(block for block in text.split("\n\n") if block.startswith(title[:10]))
    assert heading.replace("\n", " ") == title  # wrapped over two lines, each closed up


def test_long_letter_spaced_title_wraps_and_is_closed_up():
    title = "Nr. 67 BRIEF VAN DE MINISTERS VAN BUITENLANDSE ZAKEN EN VAN DEFENSIE"
    text = read_document("brief.pdf", build_letter_pdf(PARAGRAPHS[:2], spaced_title=title))
    assert "\nNr. 67 BRIEF VAN DE MINISTERS VAN\nBUITENLANDSE ZAKEN EN VAN\nDEFENSIE\n" in text


def test_every_page_starts_in_the_body_font():
    """Guards the factory: fpdf2 leaves out a font change equal to the last one set on any page, so drawing on
    an earlier page again once put a page's first body line in the footer's 7 pt font."""
    data = build_letter_pdf(PARAGRAPHS, footnotes=NOTES, two_columns=True)
    from pdfminer.high_level import extract_pages
    from pdfminer.layout import LTChar, LTTextContainer

    for page in extract_pages(io.BytesIO(data)):
        sizes = {
            round(c.size, 1)
            for box in page
            if isinstance(box, LTTextContainer) and box.x0 < 420 and 100 < box.y1 < 700
            for line in box
            for c in getattr(line, "_objs", [])
            if isinstance(c, LTChar) and c.get_text().isalpha()
        }
        assert 7.0 not in sizes, sizes


# --- PDF bad input ----------------------------------------------------------------------------------------


def _reason(name: str, data: bytes) -> str:
    with pytest.raises(UnreadableDocument) as info:
        read_document(name, data)
    assert str(info.value) == f"{name}: {info.value.reason}" and info.value.name == name
    return info.value.reason


def test_pdf_without_header_is_not_a_pdf():
    assert _reason("brief.pdf", b"Geachte voorzitter,\n") == "not a PDF (no %PDF- header)"


@pytest.mark.parametrize("cut", [0.3, 0.6, 0.95])
def test_truncated_pdf(letter, cut):
    data, _ = letter
    reason = _reason("brief.pdf", data[: int(len(data) * cut)])
    assert reason.startswith("truncated or corrupt PDF: ")


def test_corrupt_pdf_with_intact_ending(letter):
    data, _ = letter
    damaged = data[:2000] + b"\x00rommel" * 400 + data[6000:]
    assert _reason("brief.pdf", damaged).startswith("truncated or corrupt PDF: ")


def test_scanned_pdf_has_no_text_layer():
    pdf = FPDF()
    for _ in range(2):
        pdf.add_page()
        pdf.rect(20, 20, 170, 250, style="F")  # stands in for a page image
    assert _reason("scan.pdf", bytes(pdf.output())) == "PDF has no text layer (scanned?)"


def test_password_protected_pdf():
    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("Helvetica", size=11)
    pdf.text(20, 20, "Vertrouwelijk")
    pdf.set_encryption(owner_password="eigenaar", user_password="geheim")
    assert _reason("brief.pdf", bytes(pdf.output())) == "encrypted PDF: a password is needed to read it"


def test_pdf_restricted_by_owner_password_only_is_readable():
    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("Helvetica", size=11)
    pdf.text(20, 20, "Geachte voorzitter, hierbij informeer ik uw Kamer.")
    pdf.set_encryption(owner_password="eigenaar")
    assert read_document("brief.pdf", bytes(pdf.output())).strip() == (
        "Geachte voorzitter, hierbij informeer ik uw Kamer."
    )


# --- text and markdown ------------------------------------------------------------------------------------


@pytest.mark.parametrize("path", sorted((ROOT / "samples" / "letters").glob("*.txt")), ids=lambda p: p.name)
def test_seed_letters_read_unchanged(path):
    data = path.read_bytes()
    assert read_document(path.name, data) == unicodedata.normalize("NFC", data.decode("utf-8"))


def test_text_normalised():
    data = "\ufeffBetreft\r\nDatum 20 september 2019\rGe".encode() + "e\u0308".encode()
    assert read_document("a.txt", data) == "Betreft\nDatum 20 september 2019\nGeë"
    assert read_document("notes.md", b"# Kop\n\n*nadruk*") == "# Kop\n\n*nadruk*"


def test_latin1_text_is_refused_not_guessed():
    data = "Datum 20 september 2019\nBeëindiging".encode("latin-1")
    assert data.index(b"\xeb") == 26
    assert _reason("brief.txt", data) == "not UTF-8 text: invalid byte 0xeb at offset 26"


def test_utf16_text_is_refused():
    data = "Geachte voorzitter".encode("utf-16")
    assert _reason("brief.txt", data) == "not UTF-8 text: UTF-16 byte order mark (save the file as UTF-8)"


@pytest.mark.parametrize("data", [b"", b"   \n\t \r\n", b"\xef\xbb\xbf", b"\xef\xbb\xbf \n"])
def test_empty_documents(data):
    assert _reason("leeg.txt", data) == "empty document"


@pytest.mark.parametrize("name", ["leeg.pdf", "leeg.html", "leeg.md"])
def test_empty_documents_of_any_type(name):
    assert _reason(name, b"") == "empty document"


@pytest.mark.parametrize(
    "data",
    [b"Geachte\x00voorzitter", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", bytes(range(1, 9)) * 200 + b"tekst"],
)
def test_binary_content(data):
    assert _reason("brief.txt", data) == "binary content, not a text document"


def test_a_few_stray_control_characters_are_still_text():
    assert read_document("a.txt", b"Betreft\x07 motie\x1b") == "Betreft motie"


def test_too_large():
    data = b"a" * (MAX_DOCUMENT_BYTES + 1)
    assert _reason("groot.txt", data) == f"too large: {MAX_DOCUMENT_BYTES + 1} bytes (limit {MAX_DOCUMENT_BYTES})"


def test_unsupported_suffix():
    assert _reason("brief.odt", b"PK\x03\x04") == (
        "unsupported file type '.odt' (supported: .txt, .md, .pdf, .html, .htm, .docx)"
    )
    assert SUPPORTED_SUFFIXES == (".txt", ".md", ".pdf", ".html", ".htm", ".docx")


def test_suffix_is_case_insensitive_and_paths_are_fine(letter):
    data, text = letter
    assert read_document("/data/inbox/BRIEF.PDF", data) == text


# --- HTML -------------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def page() -> str:
    return read_document(HTML_PAGE.name, HTML_PAGE.read_bytes())


def test_html_keeps_document_text_in_order(page):
    expected = [
        "Tweede Kamer der Staten-Generaal",
        "33 694 Internationale Veiligheidsstrategie",
        "Nr. 63 BRIEF VAN DE MINISTER VAN BUITENLANDSE ZAKEN",
        "Den Haag, 11 oktober 2021",
        "Verantwoorde toepassing",
        "- de NAVO en de VN (CCW);",
        "1. expertbijeenkomsten over normatieve kaders;",
        "2. consultaties met denktanks, NGO’s en bedrijfsleven.",
        "Expertbijeenkomsten",
        "de komende maanden",
        "De Minister van Buitenlandse Zaken,\nH.P.M. Knapen",
    ]
    positions = [page.index(e) for e in expected]
    assert positions == sorted(positions)
    assert "\n\n" in page and "(Kamerstuk 21 501-02, nr. 2405)" in page  # source newlines collapsed


def test_html_drops_page_chrome(page):
    for chrome in [
        "Direct naar",
        "cookies",
        "Hoofdmenu",
        "Zoekresultaten",
        "Home",
        "Gerelateerde",
        "Overheid.nl",
        "dataLayer",
        "vertical-align",
        "Verborgen",
        "Noot",
        "Publicatiedatum",
    ]:
        assert chrome not in page, chrome


def test_html_entities_decoded(page):
    assert "technologieën" in page and "geïntensiveerd" in page and "«Rethinking Arms Control»" in page
    assert "\u00a0" not in page and "&" not in page


def test_html_footnotes(page):
    lines = page.rstrip("\n").split("\n")
    assert lines[-2:] == [
        "[^1]: Kamerstuk 33 694, nrs. 45, 48 en 59",
        "[^2]: Zie ook de brief van 8 juli 2022, Kamerstuk 33 694, nr. 64.",
    ]
    assert "categorieën van nieuwe technologie[^1]." in page
    assert "niet als een einddoel[^2]." in page


def test_html_plain_sup_footnotes():
    html = "<html><body><p>Zie de brief<sup>3</sup> van mei.</p><p><sup>3</sup> Kamerstuk 33 694, nr. 45</p>"
    assert read_document("a.html", html.encode()) == "Zie de brief[^3] van mei.\n\n[^3]: Kamerstuk 33 694, nr. 45\n"


def test_html_pandoc_style_footnotes():
    html = (
        '<main><p>Zie de brief<sup id="fnref1"><a href="#fn1" class="footnote-ref">1</a></sup> van mei.</p>'
        '<section class="footnotes"><hr><ol><li id="fn1"><p>Kamerstuk 33 694, nr. 45'
        '<a href="#fnref1" class="footnote-back" role="doc-backlink">↩︎</a></p></li></ol></section></main>'
    )
    assert read_document("a.html", html.encode()) == "Zie de brief[^1] van mei.\n\n[^1]: Kamerstuk 33 694, nr. 45\n"


def _cp1252_page(meta: str) -> bytes:
    return f"<html><head>{meta}</head><body><p>Potentiële risico’s</p></body></html>".encode("cp1252")


@pytest.mark.parametrize(
    "meta",
    [
        '<meta charset="windows-1252">',
        '<meta http-equiv="Content-Type" content="text/html; charset=iso-8859-1">',
    ],
)
def test_html_declared_charset_used_when_not_utf8(meta):
    assert read_document("a.htm", _cp1252_page(meta)) == "Potentiële risico’s\n"


def test_html_undeclared_non_utf8_is_refused():
    data = _cp1252_page("")
    offset = data.index("ë".encode("cp1252"))
    assert _reason("a.html", data) == f"not UTF-8 text: invalid byte 0xeb at offset {offset}, and no charset declared"


def test_html_utf8_wins_over_a_wrong_declaration():
    data = '<meta charset="iso-8859-1"><p>Potentiële risico’s</p>'.encode()
    assert read_document("a.html", data) == "Potentiële risico’s\n"


def test_html_wrong_declared_charset():
    data = b'<meta charset="utf-8"><p>Potenti\xeble</p>'
    offset = data.index(b"\xeb")
    assert _reason("a.html", data) == (
        f"not UTF-8 text, nor the declared charset 'utf-8': invalid byte 0xeb at offset {offset}"
    )


def test_xhtml_encoding_declaration():
    data = '<?xml version="1.0" encoding="windows-1252"?><html><body><p>Potentiële</p></body></html>'
    assert read_document("a.html", data.encode("cp1252")) == "Potentiële\n"


def test_html_unknown_declared_charset():
    data = b'<meta charset="x-onbekend"><p>Potenti\xeble</p>'
    assert _reason("a.html", data) == "unknown declared charset 'x-onbekend'"


def test_html_without_text():
    assert _reason("a.html", b"<html><body><script>var a = 1;</script><nav>Menu</nav></body></html>") == (
        "no text content in HTML"
    )


# --- sniffing ---------------------------------------------------------------------------------------------


def test_sniff_suffix(letter):
    data, text = letter
    assert sniff_suffix(data) == ".pdf"
    assert sniff_suffix(HTML_PAGE.read_bytes()) == ".html"
    assert sniff_suffix(b"\xef\xbb\xbf  <html><body><p>x</p></body></html>") == ".html"
    assert sniff_suffix("Geachte voorzitter, één".encode()) == ".txt"
    assert sniff_suffix(b"\x89PNG\r\n\x1a\n\x00\x00") is None
    assert sniff_suffix("Beëindiging".encode("latin-1")) is None
    assert read_document("upload", data) == text
    assert _reason("upload", b"\x89PNG\r\n\x1a\n\x00\x00").startswith("unknown file type")
