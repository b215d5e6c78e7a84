"""The extractor as named stages behind one versioned interface, and the version on the events ingest makes."""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import json
import re
from pathlib import Path

import pytest

from schemas.codec import decode, encode
from schemas.events import Source
from services.ingest.domain.extract import EXTRACTOR, EXTRACTOR_VERSION, Extractor, Stage, extract, extract_clean
from services.ingest.domain.linking import link_document
from services.ingest.domain.model import Extraction
from services.ingest.pipeline import source
from services.ingest.planning import DocumentFacts, plan_document, plan_watermark

LETTERS = sorted((Path(__file__).resolve().parents[2] / "samples" / "letters").glob("*.txt"))
TEXT = LETTERS[0].read_text(encoding="utf-8")


def test_the_version_is_one_dated_constant() -> None:
    assert re.fullmatch(r"20\d\d\.(?:[1-9]|1[0-2])\.[1-9]\d*", EXTRACTOR_VERSION)
    assert EXTRACTOR.version == EXTRACTOR_VERSION == extract(TEXT).extractor_version


def test_every_extraction_field_has_one_stage_in_order() -> None:
    fields = [f.name for f in dataclasses.fields(Extraction) if f.name not in ("document", "extractor_version")]
    assert [stage.name for stage in EXTRACTOR.stages] == fields


@pytest.mark.parametrize("letter", LETTERS, ids=lambda p: p.stem)
def test_each_stage_alone_gives_what_the_whole_extractor_gives(letter: Path) -> None:
    text = letter.read_text(encoding="utf-8")
    whole = extract(text)
    doc = EXTRACTOR.clean(text)
    info = EXTRACTOR.document(doc)
    assert info == whole.document
    for stage in EXTRACTOR.stages:
        assert stage.find(doc, info) == getattr(whole, stage.name), stage.name
    assert extract_clean(doc) == whole


def test_a_supplied_date_overrides_the_text_and_reaches_the_stages() -> None:
    supplied = dt.date(2031, 5, 6)
    doc = EXTRACTOR.clean(TEXT)
    assert EXTRACTOR.document(doc, supplied).date == supplied
    assert extract(TEXT, document_date=supplied).document.date == supplied
    seen: list[dt.date | None] = []
    probe = Extractor(stages=(Stage("meetings", lambda doc, info: seen.append(info.date) or ()),))
    probe.extract(TEXT, document_date=supplied)
    assert seen == [supplied]


def test_an_extractor_with_other_stages_and_version() -> None:
    only_motions = Extractor(version="test.1", stages=(EXTRACTOR.stage("motions"),))
    result = only_motions.extract(TEXT)
    assert result.extractor_version == "test.1"
    assert result.motions == extract(TEXT).motions and result.commitments == () and result.meetings == ()
    with pytest.raises(KeyError, match="no extraction stage 'dates'"):
        EXTRACTOR.stage("dates")


def test_the_report_names_the_version_first_and_keeps_the_rest() -> None:
    report = extract(TEXT).to_report()
    assert list(report) == ["extractor_version", "document", "motions", "commitments", "meetings"]
    assert report["extractor_version"] == EXTRACTOR_VERSION


def _facts(text: str) -> DocumentFacts:
    return DocumentFacts(
        name="letter.txt",
        content_sha256=hashlib.sha256(text.encode()).hexdigest(),
        extraction=extract(text),
        date_supplied=False,
    )


def test_ingest_records_the_version_on_every_event_but_not_in_its_id() -> None:
    facts = _facts(TEXT)
    events, _ = plan_document(facts, link_document(facts.extraction, []), {}, source())
    events += [plan_watermark("files", dt.date(2024, 1, 1), 1, source())]
    assert len(events) > 2
    assert {e.source.extractor_version for e in events} == {EXTRACTOR_VERSION}
    assert all(decode(encode(e)).source.extractor_version == EXTRACTOR_VERSION for e in events)
    unversioned_source = Source(service="ingest", version="1")
    unversioned, _ = plan_document(facts, link_document(facts.extraction, []), {}, unversioned_source)
    assert [e.id for e in unversioned] == [e.id for e in events[:-1]]  # ids are facts, not the rules' version


def test_an_event_recorded_before_the_version_existed_still_reads() -> None:
    facts = _facts(TEXT)
    event = plan_document(facts, [], {}, source())[0][0]
    old = json.loads(encode(event))
    old["source"] = {"service": "ingest", "version": "extractor-1"}
    read = decode(json.dumps(old).encode())
    assert read.source.extractor_version is None and read.id == event.id and read.payload() == event.payload()
