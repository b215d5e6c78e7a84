"""Re-extraction against a real nats-server: ingest publishes through JetStream, the timeline is rebuilt from
the stream, and an upgraded extractor adds only its differences, once."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlmodel import Session

from schemas.codec import decode
from schemas.stream import POLICY_STREAM
from services.common.db import create_tables, make_engine
from services.common.nats import connect, ensure_streams, publish_event
from services.common.natsserver import NatsServer
from services.ingest import store
from services.ingest.pipeline import DocumentInput, IngestPipeline
from services.timeline.entrypoints import commitments
from services.timeline.replay import replay_timeline
from services.timeline.settings import TimelineSettings
from tests.helpers.upgraded import AIV_SENTENCE, DROPPED, upgrade
from tests.helpers.views import date_order


async def test_reextract_over_jetstream_publishes_the_differences_once(
    nats_server: NatsServer, tmp_path: Path, sample_letters: list[Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    nc = await connect(nats_server.url, "test-reextract")
    js = nc.jetstream()
    await ensure_streams(js)
    engine = make_engine(f"sqlite:///{tmp_path / 'ingest.db'}")
    create_tables(engine, store.metadata)
    ingest = IngestPipeline(engine, lambda event: publish_event(js, event))

    async def stream_length() -> int:
        return int((await js.stream_info(POLICY_STREAM)).state.messages)

    try:
        for letter in date_order(sample_letters):
            await ingest.ingest([DocumentInput(letter.name, letter.read_bytes())])
        ingested = await stream_length()
        upgrade(monkeypatch)
        report = await ingest.reextract()
        assert report.events_published == 4 and await stream_length() == ingested + 4
        assert (await ingest.reextract()).events_published == 0
        assert (await ingest.reextract(everything=True)).events_published == 0
        assert await stream_length() == ingested + 4
        corrections = []
        for sequence in range(ingested + 1, ingested + 5):
            corrections.append(decode((await js.get_msg(POLICY_STREAM, sequence)).data or b"").type)
        assert sorted(corrections) == [
            "commitment.reading_changed",
            "commitment.reading_changed",
            "commitment.withdrawn",
            "document.reading_changed",
        ]

        url = f"sqlite:///{tmp_path / 'timeline.db'}"
        replayed = await replay_timeline(TimelineSettings(NATS_URL=nats_server.url), url, None)
        assert replayed.read == ingested + 4 and not replayed.skipped
        timeline = make_engine(url)
        with Session(timeline) as session:
            items = commitments.list_commitments(session, limit=1000)["items"]
            assert DROPPED not in {c["text"] for c in items}
            aiv = next(c for c in items if AIV_SENTENCE in c["text"])
            made = commitments.get_commitment(aiv["id"], session)["history"][0]
            assert made["type"] == "commitment.made" and made["data"]["due"]["start"] == "2020-10-01"
        timeline.dispose()
    finally:
        await nc.close()
        engine.dispose()
