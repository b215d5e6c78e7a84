"""Reading plain text (.txt, .md) strictly, and what every reader shares: limits and the error type."""

from __future__ import annotations

import codecs
import re
import unicodedata
from functools import lru_cache

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

SUPPORTED_SUFFIXES = (".txt", ".md", ".pdf", ".html", ".htm", ".docx")
MAX_DOCUMENT_BYTES = 20 * 1024 * 1024


class ReaderLimits(BaseSettings):
    """What a reader refuses to read (environment variables): a 3,000-page PDF would take minutes."""

    model_config = SettingsConfigDict(env_file=".env", extra="ignore", populate_by_name=True)

    max_pdf_pages: int = Field(500, alias="PTL_MAX_PDF_PAGES", gt=0)
    max_docx_unpacked_bytes: int = Field(100 * 1024 * 1024, alias="PTL_MAX_DOCX_UNPACKED_BYTES", gt=0)


@lru_cache(maxsize=1)
def reader_limits() -> ReaderLimits:
    return ReaderLimits()


class UnreadableDocument(ValueError):
    """Raised with a message naming the file and the reason."""

    def __init__(self, name: str, reason: str):
        super().__init__(f"{name}: {reason}")
        self.name = name
        self.reason = reason


class DocumentTooLarge(UnreadableDocument):
    """Over a reader limit: too many PDF pages, a Word package that unpacks too large."""


def _short(e: Exception) -> str:
    text = str(e).strip().splitlines()[0] if str(e).strip() else ""
    return f"{type(e).__name__}: {text[:120]}" if text else type(e).__name__


_CONTROL_BYTES = bytes(b for b in range(32) if b not in b"\t\n\r\f\v") + b"\x7f"
_CONTROL_CHARS = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")


def _check_not_binary(name: str, data: bytes) -> None:
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise UnreadableDocument(name, "not UTF-8 text: UTF-16 byte order mark (save the file as UTF-8)")
    sample = data[:65536]
    controls = len(sample) - len(sample.translate(None, _CONTROL_BYTES))
    if b"\x00" in data or controls > max(8, len(sample) // 100):
        raise UnreadableDocument(name, "binary content, not a text document")


def _decode_error(e: UnicodeDecodeError, codec: str = "UTF-8") -> str:
    bad = e.object[e.start : e.start + 1]
    return f"not {codec} text: invalid byte 0x{bad.hex()} at offset {e.start}"


def _read_text(name: str, data: bytes) -> str:
    _check_not_binary(name, data)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        raise UnreadableDocument(name, _decode_error(e)) from None
    text = _normalise(text)
    if not text.strip():
        raise UnreadableDocument(name, "empty document")
    return text


def _normalise(text: str) -> str:
    """\\n newlines, NFC, no stray control characters; cheap checks first, as most files need nothing."""
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    if "\f" in text or "\v" in text:
        text = text.replace("\f", "\n").replace("\v", "\n")
    if _CONTROL_CHARS.search(text):
        text = _CONTROL_CHARS.sub("", text)
    if not unicodedata.is_normalized("NFC", text):
        text = unicodedata.normalize("NFC", text)
    return text
