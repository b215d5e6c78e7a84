"""Document readers: the bytes of an uploaded .txt/.md/.pdf/.html file -> plain text, or a clear error.

The output has the shape of the seed letters: one line per layout line, paragraphs separated by a blank
line, footnote markers as "[^N]" and footnote texts as lines "[^N]: text". Text-level artefacts (markdown,
words hyphenated at line ends, "woord-\\nvervolg") are left to `cleaning.py`; this module removes what only
the layout can tell: page furniture, sidebars, footnote zones, column order, letter-spaced titles.

Never guess: text must be UTF-8, HTML UTF-8 or its declared charset; anything else is an
`UnreadableDocument` naming the file and the reason, so a bad input never becomes half a document.
"""

from __future__ import annotations

import re
from pathlib import PurePosixPath

from services.ingest.domain.readers.html import _read_html
from services.ingest.domain.readers.pdf import _read_pdf
from services.ingest.domain.readers.text import (
    MAX_DOCUMENT_BYTES,
    SUPPORTED_SUFFIXES,
    UnreadableDocument,
    _read_text,
)

__all__ = ["MAX_DOCUMENT_BYTES", "SUPPORTED_SUFFIXES", "UnreadableDocument", "read_document", "sniff_suffix"]


def read_document(name: str, data: bytes) -> str:
    """Plain text of one document; `name` (a file name or path) gives the type and names it in errors.

    A name without a suffix (an upload without a file name) is typed by `sniff_suffix`.
    """
    suffix = PurePosixPath(name.replace("\\", "/")).suffix.lower()
    if not suffix:
        suffix = sniff_suffix(data) or ""
        if not suffix:
            raise UnreadableDocument(name, "unknown file type: no suffix, and not PDF, HTML or UTF-8 text")
    if suffix not in SUPPORTED_SUFFIXES:
        raise UnreadableDocument(name, f"unsupported file type '{suffix}' (supported: {', '.join(SUPPORTED_SUFFIXES)})")
    if len(data) > MAX_DOCUMENT_BYTES:
        raise UnreadableDocument(name, f"too large: {len(data)} bytes (limit {MAX_DOCUMENT_BYTES})")
    if not data.strip():
        raise UnreadableDocument(name, "empty document")
    if suffix == ".pdf":
        return _read_pdf(name, data)
    if suffix in (".html", ".htm"):
        return _read_html(name, data)
    return _read_text(name, data)


_HTML_SNIFF = re.compile(rb"<!doctype\s+html|<html[\s>]|<head[\s>]|<body[\s>]", re.IGNORECASE)


def sniff_suffix(data: bytes) -> str | None:
    """The suffix the content alone shows: .pdf, .html, or .txt (UTF-8 without NUL bytes); else None."""
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
