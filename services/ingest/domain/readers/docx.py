"""Reading Word (.docx) letters with python-docx: body paragraphs and tables in document order.

A paragraph is one line; a table is one line per row with its cells joined by " | " (a Word letterhead is
such a table: "Datum | 4 december 2023"), then the tables nested in its cells. Footnotes are read as the
other readers give them: "[^N]" where the text refers to note N, "[^N]: text" lines at the end (ministry
letters put the Kamerstuk numbers of motions there). The real corpus's Word texts (tests/corpus/real/INDEX.md)
put every table after all paragraphs and have no footnotes; document order keeps a table beside the text
around it and reads the letterhead first, as in a PDF. On all eight corpus letters this extracts the same
date, kind, commitments and meetings, and the motions plus the numbers of two that the corpus text names
only by submitter (tests/unit/test_readers_docx.py).

Page headers and footers are not read: they repeat on every page and hold page furniture ("Pagina 1 van 6"),
and a date that only a page header holds is not part of the letter's text (tests/corpus/real/GOLD-FORMAT.md;
one corpus letter has its date only there, and its gold date is null). Text boxes hold field codes in these
templates and are not read either.

A .docx is a zip package of XML parts: its declared unpacked size is checked against a cap before anything is
inflated (zipfile never inflates a member beyond its declared size), so a zip bomb is refused, not unpacked.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterator
from typing import TYPE_CHECKING

from services.ingest.domain.readers.text import DocumentTooLarge, UnreadableDocument, _normalise, _short

if TYPE_CHECKING:
    from docx.document import Document as DocumentType
    from docx.table import Table as TableType
    from docx.text.paragraph import Paragraph

_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # a compound file: an encrypted .docx or an old .doc
_MAX_MEMBERS = 10_000
_W_ID = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}id"


def _read_docx(name: str, data: bytes, max_unpacked: int) -> str:
    if data.startswith(_OLE_MAGIC):
        raise UnreadableDocument(
            name, "not a .docx package: a password-protected (encrypted) Word file or an old .doc (save as .docx)"
        )
    if not data.startswith(b"PK"):
        raise UnreadableDocument(name, "not a .docx package (no zip header)")
    _check_package(name, data, max_unpacked)
    import docx

    try:
        text = _Text(docx.Document(io.BytesIO(data))).read()
    except Exception as e:  # python-docx, lxml and zipfile raise many types on damaged packages
        raise UnreadableDocument(name, f"corrupt or not a Word document: {_short(e)}") from None
    text = _normalise(text)
    if not text.strip():
        raise UnreadableDocument(name, "no text content in the Word document")
    return text


def _check_package(name: str, data: bytes, max_unpacked: int) -> None:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as package:
            members = package.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError, EOFError) as e:
        raise UnreadableDocument(name, f"corrupt .docx package: {_short(e)}") from None
    if any(m.flag_bits & 0x1 for m in members):
        raise UnreadableDocument(name, "encrypted zip package: a password is needed to read it")
    if "[Content_Types].xml" not in {m.filename for m in members}:
        raise UnreadableDocument(name, "a zip file but no Office package (no [Content_Types].xml)")
    unpacked = sum(m.file_size for m in members)
    if unpacked > max_unpacked or len(members) > _MAX_MEMBERS:
        raise DocumentTooLarge(
            name, f"Word package unpacks to {unpacked} bytes in {len(members)} parts (limit {max_unpacked} bytes)"
        )


class _Text:
    """The text of one document; footnotes numbered in the order the text refers to them, as Word shows them."""

    def __init__(self, document: DocumentType) -> None:
        self.document = document
        self.numbers: dict[str, int] = {}  # footnote id -> its number

    def read(self) -> str:
        from docx.table import Table

        lines: list[str] = []
        for block in self.document.iter_inner_content():
            lines.extend(self._table_lines(block) if isinstance(block, Table) else [self._paragraph(block)])
        notes = _footnotes(self.document)
        lines += [f"[^{n}]: {notes[i]}" for i, n in self.numbers.items() if notes.get(i)]
        return "\n".join(lines)

    def _paragraph(self, paragraph: Paragraph) -> str:
        """python-docx's paragraph text, with a "[^N]" marker where a footnote is referred to."""
        if not paragraph._p.xpath(".//w:footnoteReference"):
            return paragraph.text
        parts = []
        for item in paragraph.iter_inner_content():  # runs and hyperlinks
            parts.append(item.text)
            for ref in item._element.xpath(".//w:footnoteReference"):
                note = ref.get(_W_ID)
                parts.append(f"[^{self.numbers.setdefault(note, len(self.numbers) + 1)}]")
        return "".join(parts)

    def _table_lines(self, table: TableType) -> Iterator[str]:
        nested: dict[int, TableType] = {}  # a merged cell appears once per grid column it spans: its tables once
        for row in table.rows:
            # a cell merged across grid columns is listed once per column: read it once
            cells = list({id(cell._tc): cell for cell in row.cells}.values())
            yield " | ".join("\n".join(self._paragraph(p) for p in cell.paragraphs) for cell in cells)
            nested.update((id(inner._tbl), inner) for cell in cells for inner in cell.tables)
        for inner in nested.values():
            yield from self._table_lines(inner)


def _footnotes(document: DocumentType) -> dict[str, str]:
    """Footnote id -> its text, from the footnotes part (none: {})."""
    from docx.opc.constants import RELATIONSHIP_TYPE
    from docx.oxml import parse_xml
    from docx.oxml.ns import qn

    notes: dict[str, str] = {}
    for rel in document.part.rels.values():
        if rel.reltype != RELATIONSHIP_TYPE.FOOTNOTES or rel.is_external:
            continue
        for note in parse_xml(rel.target_part.blob).iterchildren(qn("w:footnote")):
            if note.get(qn("w:type")) in (None, "normal"):  # not the separator lines
                words = (t.text or "" for t in note.iter(qn("w:t")))
                notes[note.get(_W_ID)] = " ".join("".join(words).split())
    return notes
