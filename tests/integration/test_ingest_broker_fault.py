"""Ingest is idempotent across broker faults (issue 9, item 3): nats-server SIGKILLed in the middle of a batch,
restarted, and the batch retried records exactly what an undisturbed run records, event by event. A document
counts as recorded only after all of its events are acked."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import pytest

from schemas.codec import decode
from schemas.events import Envelope
from schemas.stream import POLICY_STREAM
from services.common.db import create_tables, make_engine
from services.common.nats import Published, connect, ensure_streams, publish_event
from services.common.natsserver import NatsServer
from services.ingest import store
from services.ingest.pipeline import DocumentInput, IngestPipeline

pytestmark = pytest.mark.fault


def comparable(event: Envelope) -> tuple[Any, ...]:
    # correlation ids and recorded_at differ between the two attempts of a batch by design
    return (event.id, event.type, event.subject, event.occurred_at, event.data)


async def stream_of(js: Any) -> list[tuple[Any, ...]]:
    last = (await js.stream_info(POLICY_STREAM)).state.last_seq
    return [comparable(decode((await js.get_msg(POLICY_STREAM, seq)).data or b"")) for seq in range(1, last + 1)]


async def ingest_all(
    server: NatsServer, db: Path, letters: list[Path], kill_after: int | None
) -> tuple[list[tuple[Any, ...]], list[dict[str, Any]]]:
    nc = await connect(server.url, "test-fault")
    js = nc.jetstream()
    await ensure_streams(js)
    engine = make_engine(f"sqlite:///{db}")
    create_tables(engine, store.metadata)
    published = 0

    async def publish(event: Envelope) -> Published:
        nonlocal published
        published += 1
        if published == kill_after:
            assert server.process is not None
            server.process.kill()  # SIGKILL, mid-batch
            server.process.wait()
        return await publish_event(js, event, timeout=2)

    send: Callable[[Envelope], Awaitable[Published]] = publish
    ingest = IngestPipeline(engine, send)
    batch = [DocumentInput(letter.name, letter.read_bytes()) for letter in letters]
    reports = [(await ingest.ingest(batch)).to_dict()]
    if kill_after is not None:
        server.start()  # the same port and store: what was acked before the kill is on disk
        for _ in range(100):
            if nc.is_connected:
                break
            await asyncio.sleep(0.1)
        reports.append((await ingest.ingest(batch)).to_dict())
    stream = await stream_of(js)
    await nc.close()
    engine.dispose()
    return stream, reports


@pytest.mark.parametrize("at", [0.0, 0.5, 0.95])
async def test_a_batch_retried_after_nats_was_killed_mid_batch_records_what_an_undisturbed_run_does(
    tmp_path: Path, sample_letters: list[Path], at: float
) -> None:
    calm = NatsServer(tmp_path / "calm").start()
    try:
        expected, [calm_report] = await ingest_all(calm, tmp_path / "calm.db", sample_letters, None)
    finally:
        calm.stop()
    assert calm_report["documents_published"] == len(sample_letters) and len(expected) > 20
    kill_after = 1 + int(at * (len(expected) - 2))  # an event of the documents, never the watermark
    killed = NatsServer(tmp_path / "killed").start()
    try:
        stream, [broken, retried] = await ingest_all(killed, tmp_path / "killed.db", sample_letters, kill_after)
    finally:
        killed.stop()
    # nothing counts as recorded before all of its events are acked: every document is published by the retry
    assert broken["documents_failed"] == len(sample_letters) and broken["documents_published"] == 0
    assert retried["documents_published"] == len(sample_letters) and retried["documents_unchanged"] == 0
    assert retried["watermark"] == calm_report["watermark"]
    print(f"\nstream events: undisturbed {len(expected)}, killed at publish {kill_after}, retried {len(stream)}")
    assert stream == expected  # event by event
