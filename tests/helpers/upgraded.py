"""A version 2 of the extractor, for tests of re-extraction: it reads one deadline differently and one promise
not at all."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

import pytest

from services.ingest import pipeline
from services.ingest.domain.extract import extract
from services.ingest.domain.model import DueInterval, Extraction

AIV_SENTENCE = "tweede helft van het jaar 2020"
DROPPED = "Nederland zal hier opvolging aan geven."
Q4_2020 = DueInterval(dt.date(2020, 10, 1), dt.date(2020, 12, 31), "quarter", phrase="vierde kwartaal")


def upgraded_extract(text: str, *, document_date: dt.date | None = None) -> Extraction:
    """Version 2 of the extractor, for the test: it reads the AIV update as due in Q4 2020, and no longer
    reads one promise at all."""
    extraction = extract(text, document_date=document_date)
    commitments = tuple(
        replace(c, due=Q4_2020) if AIV_SENTENCE in c.text else c for c in extraction.commitments if c.text != DROPPED
    )
    return replace(extraction, commitments=commitments)


def upgrade(monkeypatch: pytest.MonkeyPatch) -> None:
    """Make ingest read with version 2 (through `extractor_version`, the one place ingest asks)."""
    monkeypatch.setattr(pipeline, "extract", upgraded_extract)
    monkeypatch.setattr(pipeline, "extractor_version", lambda: "2")
