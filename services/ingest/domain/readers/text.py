"""Reading plain text (.txt, .md) strictly, and what every reader shares: limits and the error type."""

from __future__ import annotations

import codecs
import re
import unicodedata

SUPPORTED_SUFFIXES = (".txt", ".md", ".pdf", ".html", ".htm")
MAX_DOCUMENT_BYTES = 20 * 1024 * 1024


class UnreadableDocument(ValueError):
    """Raised with a message naming the file and the reason."""

    def __init__(self, name: str, reason: str):
        super().__init__(f"{name}: {reason}")
        self.name = name
        self.reason = reason


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
