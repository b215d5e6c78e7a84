"""Word (.docx) input: text in the corpus's shape, the same extraction as the corpus text, bad input refused;
and the PDF page cap."""

from __future__ import annotations

import datetime as dt
import io
import json
import re
import subprocess
import sys
import zipfile
from pathlib import Path

import docx
import pytest
from fpdf import FPDF
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from services.ingest.domain.extract import extract
from services.ingest.domain.readers import (
    DocumentTooLarge,
    ReaderLimits,
    UnreadableDocument,
    read_document,
    sniff_suffix,
)
from services.ptl.cli import collect_files

REAL = Path(__file__).resolve().parents[1] / "corpus" / "real"
WORD_LETTERS = sorted((REAL / "docx").glob("*.docx"))


def _docx(build) -> bytes:
    document = docx.Document()
    build(document)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _letter(document) -> None:
    document.add_paragraph("Geachte voorzitter,")
    document.add_paragraph("Ik zal uw Kamer voor de zomer informeren.")
    table = document.add_table(rows=2, cols=2)
    table.cell(0, 0).text, table.cell(0, 1).text = "Datum", "4 december 2023"
    table.cell(1, 0).text, table.cell(1, 1).text = "Onderwerp", "Beantwoording Kamervragen"
    inner = table.cell(1, 1).add_table(rows=1, cols=1)
    inner.cell(0, 0).text = "Ons kenmerk 12345"
    section = document.sections[0]
    section.header.paragraphs[0].text = "Datum 1 januari 2020"  # a page header: not read


LETTER = _docx(_letter)


def _reason(name: str, data: bytes, limits: ReaderLimits | None = None) -> UnreadableDocument:
    with pytest.raises(UnreadableDocument) as info:
        read_document(name, data, limits)
    assert info.value.name == name
    return info.value


def test_blocks_in_document_order():
    def build(document) -> None:
        document.add_paragraph("Geachte voorzitter,")
        document.add_table(rows=1, cols=2).cell(0, 1).text = "eind 2025"
        document.add_paragraph("Hoogachtend,")

    assert read_document("brief.docx", _docx(build)) == "Geachte voorzitter,\n | eind 2025\nHoogachtend,"


def test_table_rows_then_nested_tables_no_page_header():
    assert read_document("brief.docx", LETTER) == (
        "Geachte voorzitter,\nIk zal uw Kamer voor de zomer informeren.\n"
        "Datum | 4 december 2023\nOnderwerp | Beantwoording Kamervragen\n\nOns kenmerk 12345"  # cell: text, table, ""
    )
    assert extract(read_document("brief.docx", LETTER)).document.date.isoformat() == "2023-12-04"


FOOTNOTE_MARK = re.compile(r"\[\^\d+\]")  # the Word footnotes are read; the corpus text has no markers


@pytest.mark.parametrize("path", WORD_LETTERS, ids=lambda p: p.stem)
def test_real_word_letters_extract_as_their_corpus_text(path):
    """The corpus texts are python-docx paragraphs then table rows; this reader keeps document order (the
    letterhead table first), reads tables nested in a cell (the signature block of some letters) and the
    footnotes: other text and order, the same facts, except motions that the corpus text names only by their
    submitter and whose numbers are in the Word footnotes."""
    from_word = extract(read_document(path.name, path.read_bytes()))
    text = REAL / "docs" / f"{path.stem}.txt"
    from_text = extract(read_document(text.name, text.read_bytes()))
    for e in (from_word, from_text):
        assert e.document.kind == "answers"
    facts = [
        (
            e.document.date,
            e.document.kind,
            sorted(FOOTNOTE_MARK.sub("", c.text) for c in e.commitments),
            set(e.meetings),
        )
        for e in (from_word, from_text)
    ]
    assert facts[0] == facts[1]
    assert set(from_word.meetings) == set(from_text.meetings)
    assert from_word.document.date == _gold_date(path.stem)
    numbered = {m.id for m in from_word.motions if m.id}
    assert numbered == {m.id for m in from_text.motions if m.id} | set(NUMBERED_IN_FOOTNOTES.get(path.stem, {}))
    assert {m.submitter for m in from_word.motions if m.id and m.id not in _gold_motions(path.stem)} == set(
        NUMBERED_IN_FOOTNOTES.get(path.stem, {}).values()
    )


# motions the corpus text (and so the gold) names without a number, numbered in a footnote of the Word file
NUMBERED_IN_FOOTNOTES = {
    "aanhangsel-docx-beckerman": {"22343-344": "Hagen"},  # "de motie Hagen/Sneller.[^3]" / "[^3]: ..., 22343, nr. 344."
    "aanhangsel-docx-temmink": {"29628-1135": "van Nispen"},  # "de motie van Nispen[^1]" / "29628, nr. 1135"
}


def _gold_motions(stem: str) -> set[str]:
    gold = {g["file"]: g["motions"] for g in json.loads((REAL / "gold.json").read_text(encoding="utf-8"))}
    return set(gold[f"{stem}.txt"])


def _gold_date(stem: str) -> dt.date | None:
    """One Word letter's date is only in its page header ("Datum 25 juli 2024"), which the reader skips as
    the gold does: null there."""
    gold = {g["file"]: g["date"] for g in json.loads((REAL / "gold.json").read_text(encoding="utf-8"))}
    found = gold[f"{stem}.txt"]
    return dt.date.fromisoformat(found) if found else None


def test_word_letter_is_sniffed():
    assert sniff_suffix(LETTER) == ".docx"
    assert read_document("upload", LETTER).startswith("Geachte voorzitter,")
    other_zip = io.BytesIO()
    with zipfile.ZipFile(other_zip, "w") as z:
        z.writestr("data.csv", "a,b\n")
    assert sniff_suffix(other_zip.getvalue()) is None


def test_ptl_extract_reads_the_word_letters_of_a_folder(tmp_path: Path):
    (tmp_path / "brief.docx").write_bytes((REAL / "docx" / "aanhangsel-docx-lahlah.docx").read_bytes())
    (tmp_path / "kapot.docx").write_bytes(LETTER[:500])
    (tmp_path / "notities.odt").write_bytes(LETTER)  # not a document suffix: not scanned
    assert [p.name for p in collect_files([tmp_path])] == ["brief.docx", "kapot.docx"]
    result = subprocess.run(
        [sys.executable, "-m", "services.ptl.cli", "extract", str(tmp_path), "--json"],
        capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    assert result.returncode == 1 and "kapot.docx: corrupt .docx package" in result.stderr
    (report,) = [json.loads(line) for line in result.stdout.splitlines()]
    assert (report["document"]["date"], report["document"]["kind"]) == ("2024-05-16", "answers")


def test_corrupt_package():
    assert _reason("brief.docx", LETTER[: len(LETTER) // 2]).reason.startswith("corrupt .docx package: ")
    assert _reason("brief.docx", b"Geachte voorzitter").reason == "not a .docx package (no zip header)"


def test_zip_that_is_no_word_document():
    plain = io.BytesIO()
    with zipfile.ZipFile(plain, "w") as z:
        z.writestr("notes.txt", "Geachte voorzitter")
    assert "no Office package" in _reason("brief.docx", plain.getvalue()).reason
    broken = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(LETTER)) as source, zipfile.ZipFile(broken, "w") as z:
        for member in source.infolist():
            data = b"<w:document><unclosed" if member.filename == "word/document.xml" else source.read(member)
            z.writestr(member, data)
    assert _reason("brief.docx", broken.getvalue()).reason.startswith("corrupt or not a Word document: ")


def test_encrypted_word_file():
    # Word saves a password-protected .docx as an OLE compound file (EncryptionInfo + EncryptedPackage)
    ole = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504
    assert "password-protected" in _reason("geheim.docx", ole).reason
    flagged = bytearray(LETTER)  # a zip whose members carry the encryption flag
    for signature, flag_offset in ((b"PK\x03\x04", 6), (b"PK\x01\x02", 8)):
        start = 0
        while (start := flagged.find(signature, start)) >= 0:
            flagged[start + flag_offset] |= 0x1
            start += 4
    assert _reason("geheim.docx", bytes(flagged)).reason == "encrypted zip package: a password is needed to read it"


def test_zip_bomb_is_refused_before_unpacking():
    bomb = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(LETTER)) as source, zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as z:
        for member in source.infolist():
            z.writestr(member.filename, source.read(member))
        z.writestr("word/media/zeros.bin", b"\0" * (101 * 1024 * 1024), compresslevel=1)
    assert len(bomb.getvalue()) < 1024 * 1024
    error = _reason("bom.docx", bomb.getvalue())
    assert isinstance(error, DocumentTooLarge) and "limit 104857600 bytes" in error.reason
    small = ReaderLimits(max_docx_unpacked_bytes=1000)
    assert isinstance(_reason("brief.docx", LETTER, small), DocumentTooLarge)


def test_pdf_page_cap():
    pdf = FPDF()
    pdf.set_font("Helvetica", size=11)
    for n in range(4):
        pdf.add_page()
        pdf.text(20, 20, f"Pagina {n + 1}: Geachte voorzitter, hierbij informeer ik uw Kamer.")
    data = bytes(pdf.output())
    error = _reason("lang.pdf", data, ReaderLimits(max_pdf_pages=3))
    assert isinstance(error, DocumentTooLarge) and error.reason == "too many pages: 4 (limit 3)"
    assert "hierbij informeer ik" in read_document("lang.pdf", data, ReaderLimits(max_pdf_pages=4))


def test_a_3000_page_pdf_is_refused_by_default():
    pdf = FPDF()
    pdf.set_font("Helvetica", size=11)
    for n in range(3000):
        pdf.add_page()
        pdf.text(20, 20, f"Pagina {n + 1}")
    error = _reason("lang.pdf", bytes(pdf.output()), ReaderLimits(_env_file=None))
    assert isinstance(error, DocumentTooLarge) and error.reason == "too many pages: 3000 (limit 500)"


def test_limits_from_the_environment(monkeypatch):
    monkeypatch.setenv("PTL_MAX_PDF_PAGES", "7")
    assert ReaderLimits().max_pdf_pages == 7
    assert ReaderLimits(_env_file=None).max_docx_unpacked_bytes > 0


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(st.integers(min_value=0), st.integers(min_value=0, max_value=255)), min_size=1, max_size=8))
def test_damaged_word_files_are_refused_never_crash(flips):
    data = bytearray(LETTER)
    for position, value in flips:
        data[position % len(data)] = value
    try:
        text = read_document("brief.docx", bytes(data))
    except UnreadableDocument:
        return
    assert isinstance(text, str) and text.strip()


def test_word_footnotes_become_markers_and_note_lines():
    path = REAL / "docx" / "aanhangsel-docx-beckerman.docx"
    text = read_document(path.name, path.read_bytes())
    assert "in het kader van de opvolging van de motie Hagen/Sneller.[^3]" in text
    notes = [line for line in text.splitlines() if line.startswith("[^")]
    assert notes[0] == "[^1]: Voortgangsrapportage IBP VTH juni 2023"
    assert notes[2] == "[^3]: Kamerstukken II 2022/23, 22343, nr. 344."
    assert [n.split("]")[0] for n in notes] == ["[^1", "[^2", "[^3", "[^4", "[^5"]
    assert read_document("brief.docx", LETTER).count("[^") == 0  # no footnotes: none made up
