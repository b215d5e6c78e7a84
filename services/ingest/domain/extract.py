"""Text -> Extraction, as named stages behind one versioned `Extractor`.

The stages, in order:

    clean       raw text -> CleanDocument (header, body, footnotes; cleaning.py)
    document    CleanDocument -> DocumentInfo: date, title, kind, Kamerstuk (metadata.py); a date the caller
                supplies overrides the one printed in the text
    motions     motions the letter mentions (motions.py)
    commitments what the government says it will do, with deadlines (commitments.py)
    deliveries  what the letter itself delivers (deliveries.py)
    meetings    forum meetings it reports (meetings.py)

Reading files (PDF, HTML, Word) into raw text happens before, in `readers/`. Every stage after `document`
is a `Stage`: a name (the `Extraction` field it fills) and a function of the clean document and its info, so
each can be run and tested alone (`EXTRACTOR.stage("commitments").find(doc, info)`).

EXTRACTOR_VERSION names the rules: bump it whenever a change to any stage (or the patterns, word lists and
date table they use) can change what is extracted from some text; a refactoring with byte-identical output
keeps it. Format: year.month.serial ("2026.12.1", then "2026.12.2" or "2027.1.1"). Ingest records it on every
event it produces (the envelope's `source.extractor_version`), so events can be traced to the rules that made
them and re-extracted when the rules change. It is not part of event ids: those stay deterministic facts.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date

from services.ingest.domain.cleaning import CleanDocument, clean
from services.ingest.domain.commitments import find_commitments, find_deliveries
from services.ingest.domain.meetings import find_meetings
from services.ingest.domain.metadata import read_document_info
from services.ingest.domain.model import DocumentInfo, Extraction
from services.ingest.domain.motions import find_motions

EXTRACTOR_VERSION = "2026.12.1"


@dataclass(frozen=True)
class Stage:
    """One named step after the document facts: `find(doc, info)` returns what it found, a tuple for the
    `Extraction` field called `name`."""

    name: str
    find: Callable[[CleanDocument, DocumentInfo], tuple[object, ...]]


STAGES: tuple[Stage, ...] = (
    Stage("motions", lambda doc, info: find_motions(doc)),
    Stage("commitments", find_commitments),
    Stage("deliveries", find_deliveries),
    Stage("meetings", lambda doc, info: find_meetings(doc, info.date)),
)


@dataclass(frozen=True)
class Extractor:
    """The extraction rules under one version: clean, document facts, then `stages` in order."""

    version: str = EXTRACTOR_VERSION
    stages: tuple[Stage, ...] = STAGES

    def stage(self, name: str) -> Stage:
        for stage in self.stages:
            if stage.name == name:
                return stage
        raise KeyError(f"no extraction stage {name!r}; stages: {', '.join(s.name for s in self.stages)}")

    @staticmethod
    def clean(raw_text: str) -> CleanDocument:
        return clean(raw_text)

    @staticmethod
    def document(doc: CleanDocument, document_date: date | None = None) -> DocumentInfo:
        """The document facts; `document_date` from the caller supplies or overrides the date in the text."""
        info = read_document_info(doc)
        return info if document_date is None else replace(info, date=document_date)

    def extract_clean(self, doc: CleanDocument, *, document_date: date | None = None) -> Extraction:
        info = self.document(doc, document_date)
        found = {stage.name: stage.find(doc, info) for stage in self.stages}
        return Extraction(document=info, extractor_version=self.version, **found)  # type: ignore[arg-type]

    def extract(self, raw_text: str, *, document_date: date | None = None) -> Extraction:
        return self.extract_clean(self.clean(raw_text), document_date=document_date)


EXTRACTOR = Extractor()


def extract_clean(doc: CleanDocument, *, document_date: date | None = None) -> Extraction:
    """`document_date` from the caller supplies or overrides the date printed in the text."""
    return EXTRACTOR.extract_clean(doc, document_date=document_date)


def extract(raw_text: str, *, document_date: date | None = None) -> Extraction:
    return EXTRACTOR.extract(raw_text, document_date=document_date)
