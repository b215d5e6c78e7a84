"""Comparing what two systems show: the timeline views without stream positions, arrival order or corrections."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from schemas.events import CORRECTION_TYPES
from services.ingest.domain.extract import extract
from services.ingest.domain.readers import read_document


def comparable(obj: Any, corrections: bool = False) -> Any:
    """Stream positions left out; lines of one day, which the API keeps in stream (arrival) order, by id; and
    correction lines left out unless asked for (a system fed out of order has them, one fed in order not)."""
    if isinstance(obj, dict):
        return {k: comparable(v, corrections) for k, v in obj.items() if k != "sequence"}
    if isinstance(obj, list):
        kept = [comparable(v, corrections) for v in obj if corrections or not is_correction(v)]
        if kept and all(isinstance(v, dict) and "event_id" in v for v in kept):
            kept.sort(key=lambda v: (v["occurred_at"] is None, v["occurred_at"] or "", v["event_id"]))
        return kept
    return obj


def is_correction(item: Any) -> bool:
    return isinstance(item, dict) and item.get("type") in CORRECTION_TYPES


def date_order(letters: list[Path]) -> list[Path]:
    """Letters in document-date order, undated last."""

    def key(letter: Path) -> tuple[bool, str]:
        day = extract(read_document(letter.name, letter.read_bytes())).document.date
        return (day is None, day.isoformat() if day else "")

    return sorted(letters, key=key)
