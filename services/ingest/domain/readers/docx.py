"""Reading Word (.docx) letters with python-docx: body paragraphs and tables in document order.

A paragraph is one line; a table is one line per row with its cells joined by " | " (a Word letterhead is
such a table: "Datum | 4 december 2023"), then the tables nested in its cells. The real corpus's Word texts
(tests/corpus/real/INDEX.md) put every table after all paragraphs instead; document order keeps a table
beside the text around it and reads the letterhead first, as in a PDF, and extracts the same date, kind,
motions and commitments from all eight corpus letters (tests/unit/test_readers_docx.py).

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
    from docx.table import Table as TableType

_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # a compound file: an encrypted .docx or an old .doc
_MAX_MEMBERS = 10_000


def _read_docx(name: str, data: bytes, max_unpacked: int) -> str:
    if data.startswith(_OLE_MAGIC):
        raise UnreadableDocument(
            name, "not a .docx package: a password-protected (encrypted) Word file or an old .doc (save as .docx)"
        )
    if not data.startswith(b"PK"):
        raise UnreadableDocument(name, "not a .docx package (no zip header)")
    _check_package(name, data, max_unpacked)
    import docx
    from docx.table import Table

    try:
        document = docx.Document(io.BytesIO(data))
        lines: list[str] = []
        for block in document.iter_inner_content():
            if isinstance(block, Table):
                lines.extend(_table_lines(block))
            else:
                lines.append(block.text)
    except Exception as e:  # python-docx, lxml and zipfile raise many types on damaged packages
        raise UnreadableDocument(name, f"corrupt or not a Word document: {_short(e)}") from None
    text = _normalise("\n".join(lines))
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


def _table_lines(table: TableType) -> Iterator[str]:
    nested: dict[int, TableType] = {}  # a merged cell appears once per grid column it spans: its tables once
    for row in table.rows:
        cells = row.cells
        yield " | ".join(cell.text for cell in cells)
        nested.update((id(inner._tbl), inner) for cell in cells for inner in cell.tables)
    for inner in nested.values():
        yield from _table_lines(inner)
