"""The periodic poll inside ingest: off unless TK_FEED_ENABLED is set (there is no network by default)."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from services.common.db import make_engine
from services.ingest.opendata.run import periodic_poller
from services.ingest.opendata.settings import GEGEVENSMAGAZIJN, TkFeedSettings
from tests.helpers.tk_odata import FakeGegevensmagazijn
from tests.unit.test_opendata_feed import Stream, recorded


async def run_for(settings: TkFeedSettings, stream: Stream, tmp_path: Path, seconds: float) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'ingest.db'}")
    async with periodic_poller(settings, stream, engine):
        for _ in range(int(seconds / 0.05)):
            await asyncio.sleep(0.05)
            if stream.types()["commitment.status_reported"]:  # the last entity of a poll
                break


def test_off_by_default(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("TK_FEED_ENABLED", raising=False)
    fake = FakeGegevensmagazijn(entities=recorded())
    with fake.serve() as base_url:
        settings = TkFeedSettings(TK_ODATA_URL=base_url)  # type: ignore[call-arg]
        assert not settings.tk_poll_enabled and TkFeedSettings().tk_base_url == GEGEVENSMAGAZIJN
        stream = Stream()
        asyncio.run(run_for(settings, stream, tmp_path, 0.3))
    assert fake.requests == [] and stream.events == []


def test_on_without_a_start_day_it_does_not_read_the_whole_history(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TK_FEED_ENABLED", "true")
    monkeypatch.delenv("TK_FEED_SINCE", raising=False)
    fake = FakeGegevensmagazijn(entities=recorded())
    with fake.serve() as base_url:
        stream = Stream()
        asyncio.run(run_for(TkFeedSettings(TK_ODATA_URL=base_url), stream, tmp_path, 0.3))  # type: ignore[call-arg]
    assert fake.requests == [] and stream.events == []


def test_a_setting_turns_it_on_and_leaving_the_block_stops_it(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TK_FEED_ENABLED", "true")
    monkeypatch.setenv("TK_FEED_SINCE", "2020-01-01")
    fake = FakeGegevensmagazijn(entities=recorded())
    with fake.serve() as base_url:
        settings = TkFeedSettings(TK_ODATA_URL=base_url, TK_FEED_INTERVAL_SECONDS=3600)  # type: ignore[call-arg]
        stream = Stream()
        asyncio.run(asyncio.wait_for(run_for(settings, stream, tmp_path, 20), timeout=30))
    assert stream.types()["motion.submitted"] == 3 and len(fake.requests) >= 4
