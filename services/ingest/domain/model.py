"""What extraction reads from one document: plain, immutable values.

Everything in `services.ingest.domain` is pure: text in, these values out. The ingest service turns them
into events; `ptl extract --json` prints `Extraction.to_report()`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any


@dataclass(frozen=True)
class DueInterval:
    """A fuzzy deadline as a closed interval of dates (see the time table in `dates.py`)."""

    start: date
    end: date
    # day | days | month | quarter | half | year | season | part_of_year | before | vague
    precision: str
    recurring: str | None = None  # "yearly" for "jaarlijks voor het zomerreces"
    phrase: str = ""  # the words the interval was read from

    def to_report(self) -> dict[str, str]:
        return {"start": self.start.isoformat(), "end": self.end.isoformat(), "precision": self.precision}


@dataclass(frozen=True)
class Kamerstuk:
    dossier: str  # "33694", "21501-02", "34300-X"
    number: str  # "63"

    @property
    def document_id(self) -> str:
        return f"kst-{self.dossier}-{self.number}"


@dataclass(frozen=True)
class DocumentInfo:
    date: date | None
    title: str | None
    kind: str  # letter | answers | cabinet_response | other
    kamerstuk: Kamerstuk | None


@dataclass(frozen=True)
class MotionMention:
    id: str | None  # "33694-43"; None when the letter names a motion without a number
    submitter: str | None  # "Koopmans"
    sentence: str


@dataclass(frozen=True)
class CommitmentStatement:
    """A promise or announced deliverable, as one sentence of one document states it."""

    text: str  # the source sentence, whitespace-normalised
    actor: str | None  # "kabinet", "minister van Buitenlandse Zaken", "AIV/CAVV", ...
    due: DueInterval | None  # None: no deadline, open and never overdue
    deliverable: str | None = None  # head noun: "advies", "conferentie", "brief", ...
    topic: frozenset[str] = field(default_factory=frozenset)  # content words, for linking across letters
    motions: tuple[str, ...] = ()  # motion ids the statement is made under
    forums: tuple[str, ...] = ()  # canonical forum names
    fulfilled_here: bool = False  # "Zoals toegezegd ..., informeer ik uw Kamer": made elsewhere, met now


@dataclass(frozen=True)
class Delivery:
    """Evidence that a deliverable exists ("AIV-advies 119 ... van 3 december 2021")."""

    actor: str | None
    deliverable: str
    on: date | None  # when it was delivered, if the text says
    sentence: str
    topic: frozenset[str] = field(default_factory=frozenset)


@dataclass(frozen=True)
class Meeting:
    forum: str  # canonical forum name, from the alias table in `forums.py`
    start: date
    end: date
    sentence: str
    held: bool  # True when the meeting lies before the document date


@dataclass(frozen=True)
class Extraction:
    document: DocumentInfo
    motions: tuple[MotionMention, ...] = ()
    commitments: tuple[CommitmentStatement, ...] = ()
    deliveries: tuple[Delivery, ...] = ()
    meetings: tuple[Meeting, ...] = ()
    extractor_version: str | None = None  # the rules that made it (extract.EXTRACTOR_VERSION); None if built by hand

    def to_report(self) -> dict[str, Any]:
        """The stable `ptl extract --json` shape (without the "file" key, which the caller adds)."""
        doc = self.document
        return {
            "extractor_version": self.extractor_version,
            "document": {
                "date": doc.date.isoformat() if doc.date else None,
                "title": doc.title,
                "kind": doc.kind,
                "kamerstuk": (
                    {"dossier": doc.kamerstuk.dossier, "number": doc.kamerstuk.number} if doc.kamerstuk else None
                ),
            },
            "motions": [{"id": m.id, "submitter": m.submitter} for m in self.motions],
            "commitments": [
                {"text": c.text, "actor": c.actor, "due": c.due.to_report() if c.due else None}
                for c in self.commitments
            ],
            "meetings": [
                {"forum": m.forum, "start": m.start.isoformat(), "end": m.end.isoformat()} for m in self.meetings
            ],
        }
