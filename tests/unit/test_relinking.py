"""Order-independent linking and re-extraction: ingest (on its own registry, events recorded in memory) feeding
the timeline projection, read through the timeline API's own functions."""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import delete
from sqlmodel import Session, select

from schemas.events import CORRECTION_TYPES, CommitmentMerged, Envelope
from services.common.db import create_tables, make_engine
from services.common.nats import Published
from services.ingest import store
from services.ingest.pipeline import DocumentInput, IngestPipeline
from services.timeline.bootstrap import make_projection
from services.timeline.entrypoints import commitments, documents, forums, motions
from tests.formats import render
from tests.helpers.upgraded import AIV_SENTENCE, DROPPED, upgrade
from tests.helpers.views import comparable, date_order


class System:
    """Ingest and the timeline projection, with the stream as a list."""

    def __init__(self, tmp_path: Path, name: str) -> None:
        engine = make_engine(f"sqlite:///{tmp_path / name}-ingest.db")
        create_tables(engine, store.metadata)
        self.stream: list[Envelope] = []
        self.ingest = IngestPipeline(engine, self._publish)
        self.timeline = make_projection(f"sqlite:///{tmp_path / name}-timeline.db")

    async def _publish(self, event: Envelope) -> Published:
        self.stream.append(event)
        self.timeline.apply_once(event, len(self.stream))
        return Published(event.id, len(self.stream), duplicate=False)

    async def feed(self, letters: list[Path]) -> None:
        for letter in letters:
            report = await self.ingest.ingest([DocumentInput(letter.name, letter.read_bytes())])
            assert {f.status for f in report.files} == {"published"}, report.to_dict()

    def views(self, *, corrections: bool = False) -> dict[str, Any]:
        """Every timeline view, stream positions left out, and correction lines too unless asked for."""
        with Session(self.timeline.engine) as session:
            out: dict[str, Any] = {
                "commitments": commitments.list_commitments(session, limit=1000),
                "documents": documents.list_documents(session),
                "motions": motions.list_motions(session),
                "forums": forums.list_forums(session),
            }
            for motion in out["motions"]:
                out[f"motion {motion['id']}"] = motions.get_motion(motion["id"], session)
            for forum in out["forums"]:
                out[f"forum {forum['id']}"] = forums.get_forum(forum["id"], session)
            for document in out["documents"]:
                out[f"document {document['id']}"] = documents.get_document(document["id"], session)
            for item in out["commitments"]["items"]:
                out[f"commitment {item['id']}"] = commitments.get_commitment(item["id"], session)
        return comparable(out, corrections)


async def test_one_at_a_time_in_reverse_date_order_links_as_in_date_order(
    tmp_path: Path, sample_letters: list[Path]
) -> None:
    ordered = date_order(sample_letters)
    forward = System(tmp_path, "forward")
    await forward.feed(ordered)
    assert not [e for e in forward.stream if e.type in CORRECTION_TYPES], "in date order nothing needs correcting"
    reverse = System(tmp_path, "reverse")
    await reverse.feed(list(reversed(ordered)))
    corrections = Counter(e.type for e in reverse.stream if e.type in CORRECTION_TYPES)
    assert corrections["commitment.merged"] >= 1, corrections

    assert reverse.views() == forward.views()
    # The merged commitments left every list; their own page says where they went and why.
    merged = [e for e in reverse.stream if e.type == CommitmentMerged.TYPE]
    with Session(reverse.timeline.engine) as session:
        for event in merged:
            page = commitments.get_commitment(event.subject, session)
            assert page["status"] == "merged" and page["merged_into"] == event.data["into"]
            assert "re-linked in document-date order" in page["closed_reason"]
            assert page["history"][-1]["type"] == "commitment.merged"
            assert page["motions"] == []
            into = commitments.get_commitment(event.data["into"], session)
            while into["status"] == "merged":  # merged into one that was itself merged later: follow the chain
                into = commitments.get_commitment(into["merged_into"], session)
            assert into["status"] in ("open", "overdue", "fulfilled")
        assert commitments.list_commitments(session, status="merged", limit=1000)["total"] == len(merged)


async def test_the_conference_chain_stays_one_commitment_in_reverse_order(
    tmp_path: Path, sample_letters: list[Path]
) -> None:
    reverse = System(tmp_path, "reverse")
    await reverse.feed(list(reversed(date_order(sample_letters))))
    with Session(reverse.timeline.engine) as session:
        items = commitments.list_commitments(session, limit=1000)["items"]
        conferences = [c for c in items if c["deliverable"] == "conferentie" and "2021" in c["text"]]
        assert len(conferences) == 1
        history = commitments.get_commitment(conferences[0]["id"], session)["history"]
    statements = [(h["date"], h["type"]) for h in history if h["type"] not in CORRECTION_TYPES]
    assert statements[:3] == [
        ("2021-03-22", "commitment.made"),
        ("2021-10-11", "commitment.deadline_revised"),
        ("2023-01-26", "commitment.deadline_revised"),
    ]


async def test_reextract_publishes_only_the_differences_once(
    tmp_path: Path, sample_letters: list[Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    system = System(tmp_path, "system")
    await system.feed(date_order(sample_letters))
    unchanged = await system.ingest.reextract()
    assert (unchanged.documents_read, unchanged.events_published) == (0, 0)
    before = len(system.stream)

    upgrade(monkeypatch)
    report = await system.ingest.reextract()
    assert report.documents_read == 5 and len(report.documents_changed) == 2, report
    assert report.published == {
        "commitment.reading_changed": 2,  # the AIV update as made, and the deadline its revision moved
        "commitment.withdrawn": 1,
        "document.reading_changed": 1,
    }
    assert len(system.stream) == before + 4
    after_first = system.views(corrections=True)

    again = await system.ingest.reextract()
    everything = await system.ingest.reextract(everything=True)
    assert (again.documents_read, again.events_published) == (0, 0)
    assert (everything.documents_read, everything.documents_changed, everything.events_published) == (5, [], 0)
    assert len(system.stream) == before + 4 and system.views(corrections=True) == after_first

    with Session(system.timeline.engine) as session:
        items = commitments.list_commitments(session, limit=1000)["items"]
        assert not [c for c in items if c["text"] == DROPPED]
        withdrawn = commitments.list_commitments(session, status="withdrawn")["items"]
        assert [c["text"] for c in withdrawn] == [DROPPED]
        assert withdrawn[0]["closed_reason"] == "re-extracted with extractor 2"
        page = commitments.get_commitment(withdrawn[0]["id"], session)
        assert page["history"][-1]["type"] == "commitment.withdrawn"
        aiv = next(c for c in items if AIV_SENTENCE in c["text"])
        history = commitments.get_commitment(aiv["id"], session)["history"]
    made = next(h for h in history if h["type"] == "commitment.made")
    assert made["data"]["due"]["start"] == "2020-10-01" and "2020-10-01" in made["summary"]
    changed = next(h for h in history if h["data"].get("statement") == "commitment.made")
    assert changed["data"]["old"]["due"]["start"] == "2020-07-01"
    assert "re-extracted with extractor 2" in changed["summary"] and "2020-10-01" in changed["summary"]


async def test_a_reextracted_timeline_reads_as_a_fresh_ingest_with_the_new_extractor(
    tmp_path: Path, sample_letters: list[Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    letters = date_order(sample_letters)
    old = System(tmp_path, "old")
    await old.feed(letters)
    upgrade(monkeypatch)
    await old.ingest.reextract()
    fresh = System(tmp_path, "fresh")
    await fresh.feed(letters)
    assert old.views() == fresh.views()


async def test_documents_ingested_before_they_were_kept_are_kept_when_ingested_again(
    tmp_path: Path, sample_letters: list[Path]
) -> None:
    letters = date_order(sample_letters)
    system = System(tmp_path, "legacy")
    await system.feed(letters[1:])
    with Session(system.ingest.engine) as session:  # as a registry from before this version: nothing kept
        session.exec(delete(store.StoredDocument))  # type: ignore[call-overload]
        session.commit()
    refused = await system.ingest.reextract(everything=True)
    assert refused.documents_read == 0 and "ingest them again" in refused.failed[0]
    await system.feed(letters[:1])  # older than the rest, but the rest is not kept: linked after them
    assert not [e for e in system.stream if e.type in CORRECTION_TYPES]
    report = await system.ingest.ingest([DocumentInput(p.name, p.read_bytes()) for p in letters])
    assert report.events_published == 0 and {f.status for f in report.files} == {"unchanged"}
    again = await system.ingest.reextract(everything=True)
    assert again.documents_read == 5 and not again.failed


async def test_the_same_letter_in_another_format_withdraws_nothing(tmp_path: Path, sample_letters: list[Path]) -> None:
    system = System(tmp_path, "formats")
    await system.feed(date_order(sample_letters))
    with Session(system.timeline.engine) as session:
        before = commitments.list_commitments(session, limit=1000)
    kamerstuk = next(p for p in sample_letters if p.name.startswith("001_"))
    name, data = render(kamerstuk.name, "html")
    report = await system.ingest.ingest([DocumentInput(name, data)])
    assert report.files[0].status == "published" and report.files[0].document_id == "kst-33694-63"
    assert [e.type for e in system.stream if e.type in CORRECTION_TYPES] == []  # not linked a second time
    with Session(system.timeline.engine) as session:
        assert commitments.list_commitments(session, limit=1000) == before


async def test_a_kept_reading_that_no_longer_fits_the_model_is_read_again_from_the_kept_bytes(
    tmp_path: Path, sample_letters: list[Path]
) -> None:
    letters = date_order(sample_letters)
    system = System(tmp_path, "model")
    await system.feed(letters[1:])
    with Session(system.ingest.engine) as session:
        for row in session.exec(select(store.StoredDocument)).all():
            row.extraction = '{"document": {"title": "from an older model"}}'
            session.add(row)
        session.commit()
    await system.feed(letters[:1])  # older than the rest: a whole re-link over the kept documents
    corrections = [e.type for e in system.stream if e.type in CORRECTION_TYPES]
    assert corrections.count("commitment.merged") >= 1 and "commitment.withdrawn" not in corrections
