"""The official publication of a motion (Koop XML, `kst-<dossier>-<nr>.xml`): dossier, number, date,
submitters and the operative text.

Two forms occur: newer files carry full `<metadata>` (DC.identifier, OVERHEIDop.indiener, DCTERMS.issued ...),
older ones only an `OVERHEIDop.externMetadataRecord` link. The body holds dossier, number and date in both, so
the body is read first and the metadata only adds the submitters' full names.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from xml.etree import ElementTree as ET

from schemas import ids
from services.ingest.domain.motions import normalise_dossier

# "verzoekt de regering", "verzoekt het kabinet", "roept de regering op", "spreekt uit": what the House asks.
_OPERATIVE = re.compile(r"^\s*(?:verzoekt|roept|spreekt\s+uit|draagt|besluit)\b", re.IGNORECASE)
_CLOSING = re.compile(r"^\s*en\s+gaat\s+over\s+tot\s+de\s+orde\s+van\s+de\s+dag", re.IGNORECASE)


class NotAMotionPublication(ValueError):
    pass


@dataclass(frozen=True)
class MotionPublication:
    dossier: str
    number: str
    title: str
    submitted_on: dt.date | None
    submitters: tuple[str, ...]
    operative: tuple[str, ...]
    full_metadata: bool

    @property
    def motion_id(self) -> str:
        return ids.motion_id(self.dossier, self.number)

    @property
    def document_id(self) -> str:
        return ids.kamerstuk_document_id(self.dossier, self.number)


def _text(element: ET.Element | None) -> str:
    return " ".join("".join(element.itertext()).split()) if element is not None else ""


def read_motion_publication(xml: bytes) -> MotionPublication:
    try:
        root = ET.fromstring(xml)
    except ET.ParseError as exc:
        raise NotAMotionPublication(f"not XML: {exc}") from exc
    kamerstuk = root.find("kamerstuk")
    if kamerstuk is None:
        raise NotAMotionPublication("no <kamerstuk>")
    # <dossiernr>21 501</dossiernr>-<raadnr>08</raadnr>, <dossiernr>36 550</dossiernr><begrotingshoofdstuk>V<...
    dossier_raw = _text(kamerstuk.find("dossier/dossiernummer"))
    number = _text(kamerstuk.find("stuk/stuknr/ondernummer"))
    if not dossier_raw or not number:
        raise NotAMotionPublication("no dossier number or stuk number")
    dossier = normalise_dossier(dossier_raw)
    iso = kamerstuk.find("stuk/datumtekst/datum")
    day = dt.date.fromisoformat(iso.get("isodatum", "")) if iso is not None and iso.get("isodatum") else None
    text = kamerstuk.find("stuk/algemeen/vrije-tekst/tekst")
    # <al-groep> wraps both numbered requests and signatures, so the text is read as one flat list of <al>.
    paragraphs = [p for p in (_text(al) for al in text.iter("al")) if p] if text is not None else []
    closing = next((i for i, p in enumerate(paragraphs) if _CLOSING.match(p)), len(paragraphs))
    full = any(m.get("name") == "DC.identifier" for m in root.findall("metadata/meta"))
    indieners = [m.get("content", "") for m in root.findall("metadata/meta") if m.get("name") == "OVERHEIDop.indiener"]
    return MotionPublication(
        dossier=dossier,
        number=number,
        title=_text(kamerstuk.find("stuk/titel")),
        submitted_on=day,
        # The signatures after the closing formula are in the motion's order (first submitter first); the
        # metadata's indieners are not, and older files have none.
        submitters=tuple(paragraphs[closing + 1 :]) or tuple(i for i in indieners if i),
        operative=_operative(paragraphs[:closing]),
        full_metadata=full,
    )


def _operative(paragraphs: list[str]) -> tuple[str, ...]:
    """From the first request up to the closing formula: what the House asks of the government."""
    start = next((i for i, p in enumerate(paragraphs) if _OPERATIVE.match(p)), None)
    return () if start is None else tuple(paragraphs[start:])
