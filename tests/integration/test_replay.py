"""Replay against a real nats-server: it skips what it cannot apply and finishes, and it sees a live consumer."""

from __future__ import annotations

from pathlib import Path

import pytest
from faststream.nats import NatsBroker

from schemas.codec import encode, nats_subject
from schemas.stream import POLICY_STREAM
from services.common import projection as runner
from services.common.nats import connect, ensure_streams
from services.common.natsserver import NatsServer
from services.common.replay import ReplayRefused, ServiceStillRunning, ensure_not_consuming, replay_stream
from services.timeline.bootstrap import make_projection
from services.timeline.replay import replay_timeline
from services.timeline.settings import TimelineSettings
from tests.integration.test_projection_runner import Recorder, watermark


async def publish(server: NatsServer, messages: list[tuple[str, bytes]]) -> None:
    nc = await connect(server.url, "test")
    js = nc.jetstream()
    await ensure_streams(js)
    for subject, body in messages:
        await js.publish(subject, body, stream=POLICY_STREAM)
    await nc.close()


async def test_replay_skips_events_it_cannot_apply_reports_them_and_finishes(
    nats_server: NatsServer, tmp_path: Path
) -> None:
    events = [watermark(d) for d in (1, 2, 3)]
    messages = [(nats_subject(e), encode(e)) for e in events]
    messages.insert(1, ("policy.document.broken", b"{not json"))  # dead-lettered live at once
    await publish(nats_server, messages)
    recorder = Recorder(tmp_path, fail_times={2: 1_000})  # day 2 fails every time: dead-lettered live too
    progress: list[tuple[int, int]] = []

    nc = await connect(nats_server.url, "replay")
    try:
        report = await replay_stream(nc.jetstream(), recorder.projection, lambda s, last: progress.append((s, last)))
    finally:
        await nc.close()

    assert report.read == 4 and report.last_sequence == 4
    assert [(s.sequence, s.subject) for s in report.skipped] == [
        (2, "policy.document.broken"),
        (3, nats_subject(events[1])),
    ]
    assert "not a valid event" in report.skipped[0].reason and "transient failure on day 2" in report.skipped[1].reason
    assert recorder.applied() == ["1", "3"]
    assert recorder.projection.applied_sequence() == 4  # past the skipped ones, as the live consumer
    assert progress[-1] == (4, 4)


async def test_a_consuming_service_is_seen_and_a_stopped_one_is_not(nats_server: NatsServer, tmp_path: Path) -> None:
    await publish(nats_server, [(nats_subject(watermark(1)), encode(watermark(1)))])
    recorder = Recorder(tmp_path, fail_times={})
    broker = NatsBroker(nats_server.url, logger=None)
    runner.subscribe_projection(broker, recorder.projection, durable="recorder")
    await broker.connect()
    await broker.start()
    nc = await connect(nats_server.url, "replay")
    try:
        js = nc.jetstream()
        with pytest.raises(ServiceStillRunning, match="stop it first"):
            await ensure_not_consuming(js, "recorder")
        await broker.stop()
        await ensure_not_consuming(js, "recorder")  # the durable consumer stays, idle: no refusal
    finally:
        await broker.stop()
        await nc.close()


async def test_a_server_without_the_stream_is_refused_before_anything_is_dropped(
    nats_server: NatsServer, tmp_path: Path
) -> None:
    url = f"sqlite:///{tmp_path / 'timeline.db'}"
    make_projection(url).apply_once(None, 7)  # a projection with a checkpoint: what a wrong replay would wipe
    settings = TimelineSettings(NATS_URL=nats_server.url, PTL_DATA_DIR=str(tmp_path))  # type: ignore[call-arg]
    with pytest.raises(ReplayRefused, match="no POLICY stream"):
        await replay_timeline(settings, None, None)
    assert make_projection(url).applied_sequence() == 7
