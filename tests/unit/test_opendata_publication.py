"""The official-publication XML of motions (Koop kst-...xml), both metadata forms, from recorded files."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import pytest

from services.ingest.opendata.publication import MotionPublication, NotAMotionPublication, read_motion_publication
from tests.helpers.tk_odata import FIXTURES


def read(publication_id: str) -> MotionPublication:
    return read_motion_publication((FIXTURES / "publicatie" / f"{publication_id}.xml").read_bytes())


def test_older_form_with_only_an_external_metadata_record_reads_the_body() -> None:
    motion = read("f5408acf-b93d-46cc-a721-3750cc9fc978")  # kst-21501-08-943
    assert not motion.full_metadata
    assert (motion.dossier, motion.number, motion.motion_id) == ("21501-08", "943", "21501-08-943")
    assert motion.document_id == "kst-21501-08-943"
    assert motion.submitted_on == dt.date(2024, 3, 28)
    assert motion.submitters == ("Grinwis", "Bromet", "Tjeerd de Groot")
    assert motion.operative[0].startswith("verzoekt de regering de voorbereidingen voor een nationaal natuurherstel")
    assert not any("orde van de dag" in line for line in motion.operative)


def test_full_metadata_form() -> None:
    motion = read("79f10bbd-2c79-46ca-820e-7195312f2185")  # kst-22343-423
    assert motion.full_metadata
    assert motion.motion_id == "22343-423"
    assert motion.submitters and all(len(name) < 40 for name in motion.submitters)
    assert all(not line.lower().startswith(("constaterende", "overwegende")) for line in motion.operative)
    assert motion.operative[0].lower().startswith(("verzoekt", "roept", "spreekt"))


def test_the_150_recorded_publications_match_the_parliament_s_own_ids() -> None:
    corpus = Path(os.environ.get("PTL_TK_CORPUS", "/work/shared/corpus/tk-opendata")) / "motiematcher"
    manifest = corpus / "MOTION_SAMPLE_MANIFEST.tsv"
    if not manifest.exists():
        pytest.skip("the shared corpus is not on this machine")
    lines = manifest.read_text().splitlines()
    rows = [line.split("\t") for line in lines if line and not line.startswith(("#", "zaak_id"))]
    assert len(rows) == 150
    for row in rows:
        motion = read_motion_publication((corpus / "bronmateriaal-onbewerkt" / row[8]).read_bytes())
        assert motion.document_id == row[7].removesuffix(".xml")
        assert str(motion.submitted_on) == row[11]
        assert motion.operative and motion.submitters


@pytest.mark.parametrize("body", [b"not xml", b"<officiele-publicatie/>", b"<x><kamerstuk><dossier/></kamerstuk></x>"])
def test_what_is_not_a_motion_publication_is_refused(body: bytes) -> None:
    with pytest.raises(NotAMotionPublication):
        read_motion_publication(body)
