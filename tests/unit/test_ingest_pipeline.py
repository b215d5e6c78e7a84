"""The ingest pipeline over its own registry, on SQLite and PostgreSQL; publishing is recorded in memory
(the JetStream path is covered end to end in tests/e2e)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from schemas.events import Envelope
from services.common.db import create_tables, make_engine
from services.common.nats import Published
from services.ingest import store
from services.ingest.pipeline import DocumentInput, IngestPipeline
from tests.conftest import SAMPLES


class RecordingPublisher:
    def __init__(self) -> None:
        self.events: list[Envelope] = []
        self.fail_after: int | None = None

    async def __call__(self, event: Envelope) -> Published:
        if self.fail_after is not None and len(self.events) >= self.fail_after:
            raise ConnectionError("NATS went away")
        self.events.append(event)
        return Published(event.id, len(self.events), duplicate=False)


def pipeline(url: str) -> tuple[IngestPipeline, RecordingPublisher]:
    engine = make_engine(url)
    create_tables(engine, store.metadata)
    publisher = RecordingPublisher()
    return IngestPipeline(engine, publisher), publisher


def inputs(paths: list[Path]) -> list[DocumentInput]:
    return [DocumentInput(p.name, p.read_bytes()) for p in paths]


async def test_reingest_publishes_nothing_and_reverse_order_publishes_the_same(
    new_database: Callable[[], str],
) -> None:
    letters = sorted(SAMPLES.glob("*.txt"))
    forward, published = pipeline(new_database())
    report = await forward.ingest(inputs(letters))
    assert report.events_published == len(published.events) > 30
    assert report.watermark == "2023-01-26"
    again = await forward.ingest(inputs(letters))
    assert again.events_published == 0 and {f.status for f in again.files} == {"unchanged"}

    backward, reverse_published = pipeline(new_database())
    await backward.ingest(inputs(list(reversed(letters))))
    assert [e.id for e in reverse_published.events] == [e.id for e in published.events]


async def test_a_failed_publish_records_nothing_and_a_retry_completes(new_database: Callable[[], str]) -> None:
    letter = [SAMPLES / "000_7e5ffd6a86c26419.txt"]
    ingest, publisher = pipeline(new_database())
    publisher.fail_after = 3
    report = await ingest.ingest(inputs(letter))
    assert report.files[0].status == "failed" and "NATS went away" in (report.files[0].error or "")
    assert report.watermark is None and "watermark not advanced" in report.problems[0]
    publisher.fail_after = None
    retry = await ingest.ingest(inputs(letter))
    assert retry.files[0].status == "published" and retry.watermark == "2019-09-20"
    ids = [e.id for e in publisher.events]
    assert len(ids) == len(set(ids)), "the events published before the failure are not published twice"


async def test_bad_files_are_named_and_the_rest_of_the_batch_goes_through(new_database: Callable[[], str]) -> None:
    ingest, _ = pipeline(new_database())
    batch = [DocumentInput("empty.txt", b""), *inputs([SAMPLES / "001_84760ad38bbd21a0.txt"])]
    report = await ingest.ingest(batch)
    assert [f.status for f in report.files] == ["failed", "published"]
    assert report.files[0].error == "empty.txt: empty document"
