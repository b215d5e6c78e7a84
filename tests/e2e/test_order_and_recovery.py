"""Arrival order, a SIGKILLed projection, and replay: the log is the truth, the views follow it exactly."""

from __future__ import annotations

import signal
import sqlite3
import time
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, select

from services.timeline.adapters.orm import metadata as timeline_metadata
from tests.conftest import SAMPLES
from tests.e2e.conftest import Running, start_running
from tests.helpers.smtp_server import SmtpSink
from tests.helpers.views import comparable, date_order


def views(run: Running) -> dict[str, Any]:
    """Everything a user can read about the sample letters, compared as `comparable` says."""
    out: dict[str, Any] = {
        "commitments": run.get("timeline", "/api/commitments", limit=1000),
        "documents": run.get("timeline", "/api/documents"),
        "motions": run.get("timeline", "/api/motions"),
        "forums": run.get("timeline", "/api/forums"),
    }
    for motion in out["motions"]:
        out[f"motion {motion['id']}"] = run.get("timeline", f"/api/motions/{motion['id']}")
    for forum in out["forums"]:
        out[f"forum {forum['id']}"] = run.get("timeline", f"/api/forums/{forum['id']}")
    for document in out["documents"]:
        out[f"document {document['id']}"] = run.get("timeline", f"/api/documents/{document['id']}")
    for item in out["commitments"]["items"]:
        out[f"commitment {item['id']}"] = run.get("timeline", f"/api/commitments/{item['id']}")
    live = {item["id"] for item in out["commitments"]["items"]}
    passed = [(d["commitment_id"], d["deadline"]) for d in run.get("notify", "/deadlines/passed")]
    out["deadlines passed"] = sorted(p for p in passed if p[0] in live)
    return comparable(out)


def test_reverse_order_gives_the_same_timeline(running: Running, tmp_path: Path) -> None:
    letters = sorted(SAMPLES.glob("*.txt"))
    running.ingest(letters)
    running.settle()
    forward = views(running)
    with SmtpSink() as smtp:
        other = Running(start_running(tmp_path / "reverse", smtp), smtp)
        try:
            other.ingest(list(reversed(letters)))
            other.settle()
            assert views(other) == forward
        finally:
            other.system.stop()


def test_one_at_a_time_in_reverse_date_order_gives_the_same_timeline(running: Running, tmp_path: Path) -> None:
    """Each letter its own batch, every service caught up in between: an older letter arriving after newer ones
    re-links the registry in date order, and the corrections make every view equal to the date-order one."""
    letters = date_order(sorted(SAMPLES.glob("*.txt")))
    for letter in letters:
        running.ingest([letter])
        running.settle()
    forward = views(running)
    with SmtpSink() as smtp:
        other = Running(start_running(tmp_path / "reverse", smtp), smtp)
        try:
            for letter in reversed(letters):
                other.ingest([letter])
                other.settle()
            assert views(other) == forward
            merged = other.get("timeline", "/api/commitments", status="merged", limit=1000)["items"]
            assert merged and all(c["merged_into"] and "document-date order" in c["closed_reason"] for c in merged)
        finally:
            other.system.stop()


def test_reextract_with_the_same_extractor_publishes_nothing(running: Running) -> None:
    running.ingest(sorted(SAMPLES.glob("*.txt")))
    running.settle()
    last = running.last_sequence()
    current = running.ptl("reextract")
    assert current.returncode == 0, current.stderr
    assert "0 documents read again" in current.stderr and "0 events published" in current.stderr
    everything = running.ptl("reextract", "--all")
    assert everything.returncode == 0, everything.stderr
    assert "5 documents read again, 0 read differently, 0 events published" in everything.stderr
    assert running.last_sequence() == last


def table_rows(url: str) -> dict[str, list[tuple]]:
    engine = create_engine(url)
    with engine.connect() as conn:
        rows = {t.name: sorted(tuple(r) for r in conn.execute(select(t))) for t in timeline_metadata.sorted_tables}
    engine.dispose()
    return rows


def applied(db: Path) -> int:
    try:
        with sqlite3.connect(db, timeout=1) as conn:
            row = conn.execute("select last_sequence from projection_checkpoint").fetchone()
            return int(row[0]) if row else 0
    except sqlite3.Error:
        return 0


def test_timeline_killed_mid_stream_loses_nothing_and_equals_a_replay(running: Running, tmp_path: Path) -> None:
    system = running.system
    db = system.data_dir / "timeline.db"
    system.stop_service("timeline")
    running.ingest(sorted(SAMPLES.glob("*.txt")))
    last = running.get("notify", "/health")["stream_last_sequence"]
    assert last > 20

    system.start_service("timeline", wait=False)
    deadline = time.monotonic() + 60
    while applied(db) < 3 and time.monotonic() < deadline:
        time.sleep(0.002)
    system.stop_service("timeline", signal.SIGKILL)
    at_kill = applied(db)
    assert 0 < at_kill < last, f"the kill should land mid-stream (applied {at_kill} of {last})"

    system.start_service("timeline")
    running.settle()
    live = table_rows(f"sqlite:///{db}")
    stream_events = running.get("notify", "/health")["stream_last_sequence"]
    assert len(live["timelineentry"]) == stream_events  # every event once: nothing lost, nothing doubled
    assert len({row[0] for row in live["timelineentry"]}) == len(live["timelineentry"])

    refused = running.ptl("replay", "timeline")  # in place, under the running service
    assert refused.returncode == 2 and "stop it first" in refused.stderr
    assert table_rows(f"sqlite:///{db}") == live

    system.stop_service("timeline")
    replay_db = tmp_path / "replayed.db"
    result = running.ptl("replay", "timeline", "--database-url", f"sqlite:///{replay_db}")
    assert result.returncode == 0, result.stderr
    assert f"replayed {stream_events} events" in result.stderr
    assert table_rows(f"sqlite:///{replay_db}") == live
    in_place = running.ptl("replay", "timeline")  # the service is stopped now
    assert in_place.returncode == 0, in_place.stderr
    assert table_rows(f"sqlite:///{db}") == live
