"""Text -> Extraction: cleaning, document facts, motions, commitments, deliveries and meetings."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from services.ingest.domain.cleaning import CleanDocument, clean
from services.ingest.domain.commitments import find_commitments, find_deliveries
from services.ingest.domain.meetings import find_meetings
from services.ingest.domain.metadata import read_document_info
from services.ingest.domain.model import Extraction
from services.ingest.domain.motions import find_motions


def extract_clean(doc: CleanDocument, *, document_date: date | None = None) -> Extraction:
    """`document_date` from the caller supplies or overrides the date printed in the text."""
    info = read_document_info(doc)
    if document_date is not None:
        info = replace(info, date=document_date)
    return Extraction(
        document=info,
        motions=find_motions(doc),
        commitments=find_commitments(doc, info),
        deliveries=find_deliveries(doc, info),
        meetings=find_meetings(doc, info.date),
    )


def extract(raw_text: str, *, document_date: date | None = None) -> Extraction:
    return extract_clean(clean(raw_text), document_date=document_date)
