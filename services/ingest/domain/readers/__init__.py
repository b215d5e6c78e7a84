"""Document readers: the bytes of an uploaded .txt/.md/.pdf/.html/.docx file -> plain text, or a clear error.

The output has the shape of the seed letters: one line per layout line, paragraphs separated by a blank
line, footnote markers as "[^N]" and footnote texts as lines "[^N]: text". Text-level artefacts (markdown,
words hyphenated at line ends, "woord-\\nvervolg") are left to `cleaning.py`; this module removes what only
the layout can tell: page furniture, sidebars, footnote zones, column order, letter-spaced titles.

Never guess: text must be UTF-8, HTML UTF-8 or its declared charset; anything else is an
`UnreadableDocument` naming the file and the reason, so a bad input never becomes half a document. Inputs
over a limit (`ReaderLimits`: PDF pages, a Word package's unpacked size) are refused as `DocumentTooLarge`.
"""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import PurePosixPath

from services.ingest.domain.readers.docx import _read_docx
from services.ingest.domain.readers.html import _read_html
from services.ingest.domain.readers.pdf import _read_pdf
from services.ingest.domain.readers.text import (
    MAX_DOCUMENT_BYTES,
    SUPPORTED_SUFFIXES,
    DocumentTooLarge,
    ReaderLimits,
    UnreadableDocument,
    _read_text,
    reader_limits,
)

__all__ = [
    "MAX_DOCUMENT_BYTES",
    "SUPPORTED_SUFFIXES",
    "DocumentTooLarge",
    "ReaderLimits",
    "UnreadableDocument",
    "read_document",
    "reader_limits",
    "sniff_suffix",
]


def read_document(name: str, data: bytes, limits: ReaderLimits | None = None) -> str:
    """Plain text of one document; `name` (a file name or path) gives the type and names it in errors.

    A name without a suffix (an upload without a file name) is typed by `sniff_suffix`. `limits` default to
    the environment's (`reader_limits()`).
    """
    limits = limits or reader_limits()
    suffix = PurePosixPath(name.replace("\\", "/")).suffix.lower()
    if not suffix:
        suffix = sniff_suffix(data) or ""
        if not suffix:
            raise UnreadableDocument(name, "unknown file type: no suffix, and not PDF, Word, HTML or UTF-8 text")
    if suffix not in SUPPORTED_SUFFIXES:
        raise UnreadableDocument(name, f"unsupported file type '{suffix}' (supported: {', '.join(SUPPORTED_SUFFIXES)})")
    if len(data) > MAX_DOCUMENT_BYTES:
        raise UnreadableDocument(name, f"too large: {len(data)} bytes (limit {MAX_DOCUMENT_BYTES})")
    if not data.strip():
        raise UnreadableDocument(name, "empty document")
    if suffix == ".pdf":
        return _read_pdf(name, data, limits.max_pdf_pages)
    if suffix == ".docx":
        return _read_docx(name, data, limits.max_docx_unpacked_bytes)
    if suffix in (".html", ".htm"):
        return _read_html(name, data)
    return _read_text(name, data)


_HTML_SNIFF = re.compile(rb"<!doctype\s+html|<html[\s>]|<head[\s>]|<body[\s>]", re.IGNORECASE)


def sniff_suffix(data: bytes) -> str | None:
    """The suffix the content alone shows: .pdf, .docx (a zip package with a Word main part), .html, or .txt
    (UTF-8 without NUL bytes); else None."""
    if data.startswith(b"PK\x03\x04"):
        return ".docx" if _is_word_package(data) else None
    head = data[:4096].lstrip(b"\xef\xbb\xbf \t\r\n")
    if head.startswith(b"%PDF-"):
        return ".pdf"
    if _HTML_SNIFF.search(head[:2048]):
        return ".html"
    if head and b"\x00" not in head:
        try:
            head.decode("utf-8")
        except UnicodeDecodeError as e:
            if e.start < len(head) - 3:  # a multi-byte character cut by the 4 KiB window is fine
                return None
        return ".txt"
    return None


def _is_word_package(data: bytes) -> bool:
    """Reads only the zip's directory: no part is unpacked."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as package:
            return "word/document.xml" in package.namelist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError, EOFError):
        return False
