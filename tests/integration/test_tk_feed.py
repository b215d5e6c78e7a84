"""`ptl feed tk` against a real HTTP server on 127.0.0.1 (serving recorded open-data records with nextLinks)
and a real nats-server: events on the POLICY stream, a second run adds nothing, and the timeline and notify
projections take every event it published."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
from collections import Counter
from pathlib import Path

from sqlmodel import Session, select

from schemas.codec import decode
from schemas.events import Envelope
from schemas.stream import POLICY_STREAM
from services.common.db import make_engine
from services.common.nats import connect
from services.common.natsserver import NatsServer
from services.notify.adapters import orm
from services.notify.bootstrap import make_projection as notify_projection
from services.timeline.adapters.orm import Commitment, Meeting, TimelineEntry
from services.timeline.bootstrap import make_projection as timeline_projection
from tests.helpers.tk_odata import FakeGegevensmagazijn
from tests.unit.test_opendata_feed import recorded


async def stream_events(url: str) -> list[Envelope]:
    nc = await connect(url, "test-reader")
    try:
        js = nc.jetstream()
        last = (await js.stream_info(POLICY_STREAM)).state.last_seq
        return [decode((await js.get_msg(POLICY_STREAM, seq)).data or b"") for seq in range(1, last + 1)]
    finally:
        await nc.close()


def test_ptl_feed_tk_publishes_once_and_the_projections_take_it(nats_server: NatsServer, tmp_path: Path) -> None:
    env = {**os.environ, "NATS_URL": nats_server.url, "PTL_DATA_DIR": str(tmp_path / "data"),
           "INGEST_DATABASE_URL": f"sqlite:///{tmp_path / 'ingest.db'}", "PTL_LOG_LEVEL": "WARNING"}  # fmt: skip
    fake = FakeGegevensmagazijn(entities=recorded(), page_size=3)

    def ptl_feed(base_url: str) -> None:
        command = [
            sys.executable,
            "-m",
            "services.ptl.cli",
            "feed",
            "tk",
            "--since",
            "2020-01-01",
            "--base-url",
            base_url,
        ]
        run = subprocess.run(command, env=env, capture_output=True, text=True, timeout=120, check=False)
        assert run.returncode == 0, run.stdout + run.stderr

    with fake.serve() as base_url:
        ptl_feed(base_url)
        events = asyncio.run(stream_events(nats_server.url))
        ptl_feed(base_url)
    assert len(asyncio.run(stream_events(nats_server.url))) == len(events)
    types = Counter(e.type for e in events)
    assert types["motion.submitted"] == 3 and types["motion.decided"] == 3 and types["forum.meeting_moved"] == 1
    assert all(e.source.service == "ingest.opendata" for e in events)

    timeline = timeline_projection(f"sqlite:///{tmp_path / 'timeline.db'}")
    notify_engine = make_engine(f"sqlite:///{tmp_path / 'notify.db'}")
    orm.create_all(notify_engine)
    notify = notify_projection(notify_engine)
    for sequence, event in enumerate(events, start=1):
        timeline.apply_once(event, sequence)
        notify.apply_once(event, sequence)
    with Session(timeline.engine) as session:
        assert len(session.exec(select(TimelineEntry)).all()) == len(events)
        assert len(session.exec(select(Meeting)).all()) == types["forum.meeting_reported"] == 2
        commitment = session.get(Commitment, "c-tk-TZ202503-999")  # from the SYNTHETIC Toezegging record
        assert commitment is not None and commitment.due_end is not None and commitment.status == "open"
