"""The projection runner against a real nats-server: order kept under retries, poison dead-lettered."""

from __future__ import annotations

import asyncio
import datetime as dt
from pathlib import Path

import pytest
from faststream.nats import NatsBroker
from sqlalchemy import Column, Integer, MetaData, String, Table, select
from sqlmodel import Session

from schemas.codec import encode, nats_subject
from schemas.events import Envelope, IngestWatermark
from schemas.stream import DEAD_LETTER_STREAM, MAX_DELIVER, POLICY_STREAM
from services.common import projection as runner
from services.common.checkpoint import checkpoint_table
from services.common.db import make_engine
from services.common.nats import connect, ensure_streams
from services.common.natsserver import NatsServer
from tests.helpers.events import ev


def watermark(day: int) -> Envelope:
    return ev(IngestWatermark(source="files", up_to=dt.date(2020, 1, day)), dt.date(2020, 1, day), day)


class Recorder:
    """A projection that records what it applied and fails on command."""

    def __init__(self, tmp_path: Path, fail_times: dict[int, int]) -> None:
        metadata = MetaData()
        self.table = Table("applied", metadata, Column("id", Integer, primary_key=True), Column("day", String))
        self.engine = make_engine(f"sqlite:///{tmp_path / 'r.db'}")
        self.projection = runner.Projection("recorder", self.engine, checkpoint_table(metadata), self.apply)
        metadata.create_all(self.engine)
        self.fail_times = fail_times  # day -> how many attempts fail
        self.attempts: dict[int, int] = {}

    def apply(self, session: Session, event: Envelope, sequence: int) -> None:
        day = event.payload().up_to.day  # type: ignore[attr-defined]
        self.attempts[day] = self.attempts.get(day, 0) + 1
        if self.attempts[day] <= self.fail_times.get(day, 0):
            raise RuntimeError(f"transient failure on day {day}")
        session.connection().execute(self.table.insert().values(day=str(day)))

    def applied(self) -> list[str]:
        with self.engine.connect() as conn:
            return [row.day for row in conn.execute(select(self.table.c.day).order_by(self.table.c.id))]


async def run(server: NatsServer, recorder: Recorder, messages: list[tuple[str, bytes]], expect: int) -> None:
    broker = NatsBroker(server.url, logger=None)
    runner.subscribe_projection(broker, recorder.projection, durable="recorder")
    await broker.connect()
    await ensure_streams(broker.config.connection_state.stream)
    await broker.start()
    try:
        for subject, body in messages:
            await broker.publish(body, subject, stream=POLICY_STREAM, timeout=5)
        for _ in range(400):
            if recorder.projection.applied_sequence() >= expect:
                break
            await asyncio.sleep(0.05)
    finally:
        await broker.stop()


@pytest.fixture(autouse=True)
def fast_retries(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(runner, "retry_delay", lambda attempt: 0.05)


async def test_transient_failures_are_retried_in_order(nats_server: NatsServer, tmp_path: Path) -> None:
    recorder = Recorder(tmp_path, fail_times={2: 2})
    events = [watermark(d) for d in (1, 2, 3)]
    await run(nats_server, recorder, [(nats_subject(e), encode(e)) for e in events], expect=3)
    assert recorder.applied() == ["1", "2", "3"]
    assert recorder.attempts == {1: 1, 2: 3, 3: 1}


async def test_poison_and_failing_events_are_dead_lettered_and_the_consumer_carries_on(
    nats_server: NatsServer, tmp_path: Path
) -> None:
    recorder = Recorder(tmp_path, fail_times={2: 99})
    first, failing, last = (watermark(d) for d in (1, 2, 3))
    messages = [
        (nats_subject(first), encode(first)),
        ("policy.document.garbage", b"this is not an event"),
        (nats_subject(failing), encode(failing)),
        (nats_subject(last), encode(last)),
    ]
    await run(nats_server, recorder, messages, expect=4)
    assert recorder.applied() == ["1", "3"]
    assert recorder.attempts[2] == MAX_DELIVER
    nc = await connect(nats_server.url, "test")
    try:
        js = nc.jetstream()
        assert (await js.stream_info(DEAD_LETTER_STREAM)).state.messages == 2
        reasons = []
        for seq in (1, 2):
            msg = await js.get_msg(DEAD_LETTER_STREAM, seq)
            reasons.append((msg.headers or {}).get("Ptl-Dead-Letter-Reason", ""))
        assert "not JSON" in reasons[0]
        assert "transient failure on day 2" in reasons[1]
    finally:
        await nc.close()
