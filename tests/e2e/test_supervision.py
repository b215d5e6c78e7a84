"""Operating it without surprises: health that names what is missing, `ptl up` bringing crashed children back,
the other `ptl` commands finding the instance, replay refusing a live database, and one alert across a stop."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import httpx
import pytest

from services.common.natsserver import NatsServer
from services.ptl.embedded import EmbeddedSystem, wait_settled
from services.ptl.instance import INSTANCE_FILE
from tests.conftest import SAMPLES
from tests.e2e.conftest import Running
from tests.helpers.smtp_server import SmtpSink


def eventually(check: Callable[[], bool], what: str, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while not check():
        if time.monotonic() > deadline:
            raise AssertionError(f"not within {timeout}s: {what}")
        time.sleep(0.1)


def answer(url: str) -> tuple[int, dict]:
    try:
        response = httpx.get(url, timeout=10)
    except httpx.HTTPError:
        return 0, {}
    return response.status_code, response.json()


def test_health_names_nats_while_it_is_down_and_recovers_when_it_is_back(running: Running) -> None:
    system = running.system
    assert system.nats
    probes = [f"{system.url(s)}{path}" for s in ("ingest", "timeline", "notify") for path in ("/health", "/ready")]
    assert all(answer(url)[0] == 200 for url in probes)

    system.nats.stop()
    try:
        eventually(lambda: all(answer(url)[0] == 503 for url in probes), "503 from every probe")
        for url in probes:
            status, body = answer(url)
            assert status == 503 and body["missing"] == ["nats"], (url, body)
            assert "nats" in body["problems"] and body["status"] == "unavailable"
        assert answer(f"{system.url('timeline')}/health")[1]["applied_sequence"] is not None  # the database answers
    finally:
        system.nats.start()  # same port, same JetStream folder
    eventually(lambda: all(answer(url)[0] == 200 for url in probes), "200 again once NATS is back")
    report = running.ingest([SAMPLES / "001_84760ad38bbd21a0.txt"])
    assert report["events_published"] > 0  # and the services publish and consume again
    running.settle()


def test_notify_is_not_ready_without_its_smtp_server(tmp_path: Path) -> None:
    smtp = SmtpSink().start()
    system = EmbeddedSystem(tmp_path / "data", smtp_port=smtp.port).start()
    try:
        smtp.stop()
        status, body = answer(f"{system.url('notify')}/ready")
        assert status == 503 and body["missing"] == ["smtp"] and str(smtp.port) in body["problems"]["smtp"]
        assert answer(f"{system.url('notify')}/health")[0] == 200  # alive: webhooks still go out
    finally:
        system.stop()


@pytest.fixture
def ptl_up(tmp_path: Path) -> Iterator[tuple[subprocess.Popen[str], Path, list[str]]]:
    data = tmp_path / "data"
    proc = subprocess.Popen(
        [sys.executable, "-m", "services.ptl.cli", "up", "--no-samples", "--free-ports", "--data-dir", str(data)],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
        env={**os.environ, "COLUMNS": "200", "NOTIFY_DEADLINE_SWEEP_SECONDS": "3600"},
    )  # fmt: skip
    lines: list[str] = []

    def read() -> None:
        assert proc.stdout is not None
        for line in proc.stdout:
            lines.append(line)

    threading.Thread(target=read, daemon=True).start()
    try:
        eventually(lambda: any("Press Ctrl-C" in line for line in lines), "ptl up running", timeout=180)
        yield proc, data, lines
    finally:
        if proc.poll() is None:
            proc.send_signal(signal.SIGTERM)
            proc.wait(timeout=90)


def ptl(data: Path, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    """A `ptl` command as a user runs it: no URLs or ports given, only the data folder."""
    clean = {k: v for k, v in os.environ.items() if k not in ("NATS_URL", "INGEST_URL", "TIMELINE_PUBLIC_URL")}
    return subprocess.run([sys.executable, "-m", "services.ptl.cli", "--data-dir", str(data), *args],
                          env={**clean, "COLUMNS": "200", **env}, capture_output=True, text=True, timeout=180,
                          check=False)  # fmt: skip


def test_ptl_up_brings_back_a_killed_service_and_nats_and_ptl_finds_it(
    ptl_up: tuple[subprocess.Popen[str], Path, list[str]], nats_server: NatsServer
) -> None:
    proc, data, lines = ptl_up
    instance = json.loads((data / INSTANCE_FILE).read_text())
    timeline = instance["urls"]["timeline"]

    os.kill(instance["pids"]["timeline"], signal.SIGKILL)
    eventually(lambda: any("timeline restarted" in line for line in lines), "timeline restarted")
    assert any("timeline exited with code -9" in line for line in lines)
    eventually(lambda: answer(f"{timeline}/health")[0] == 200, "the timeline healthy again on its port")
    again = json.loads((data / INSTANCE_FILE).read_text())
    assert again["pids"]["timeline"] != instance["pids"]["timeline"]

    os.kill(instance["pids"]["nats"], signal.SIGKILL)
    eventually(lambda: any("nats restarted" in line for line in lines), "nats-server restarted")
    eventually(lambda: answer(f"{timeline}/health")[0] == 200, "the timeline reconnected to NATS")

    # `ptl ingest` and `ptl status` find the instance's ports from its file in the data folder.
    ingested = ptl(data, "ingest", str(SAMPLES / "001_84760ad38bbd21a0.txt"))
    assert ingested.returncode == 0, ingested.stderr
    assert "events published" in ingested.stderr
    eventually(lambda: answer(f"{timeline}/health")[1].get("lag") == 0, "the timeline applied them")
    status = ptl(data, "status")
    assert status.returncode == 0, status.stderr
    assert status.stderr.count("ready") == 3 and timeline in status.stderr

    # Replay in place is refused while the service runs, even pointed at another NATS where no consumer is seen
    # (the default 4222 used to be such a one, and the live database was wiped).
    db = data / "timeline.db"
    elsewhere = ptl(data, "replay", "timeline", NATS_URL=nats_server.url)
    assert elsewhere.returncode == 2 and "stop it first" in elsewhere.stderr, elsewhere.stderr
    refused = ptl(data, "replay", "timeline")
    assert refused.returncode == 2 and "stop it first" in refused.stderr, refused.stderr
    named = ptl(data, "replay", "timeline", "--database-url", f"sqlite:///{db}")
    assert named.returncode == 2 and "stop it first" in named.stderr, named.stderr
    second = ptl(data, "up", "--free-ports", "--data-dir", str(data))  # a second instance on the same folder
    assert second.returncode == 2 and "already runs" in second.stderr, second.stderr
    with sqlite3.connect(db) as conn:
        assert conn.execute("select count(*) from timelineentry").fetchone()[0] > 0

    proc.send_signal(signal.SIGINT)  # Ctrl-C: the children, in their own sessions, are stopped by ptl up in order
    assert proc.wait(timeout=90) == 0
    assert not (data / INSTANCE_FILE).exists()
    assert "Stopped." in "".join(lines)


def alert_ids(smtp: SmtpSink) -> list[str]:
    """Message-IDs of the alert mails (an alert's is its delivery id; the confirmation mail is not a delivery)."""
    return [mid for m in smtp.messages if (mid := str(m.message["Message-ID"])).startswith("<dlv-")]


def delivery_rows(data: Path) -> list[tuple[str, str]]:
    with sqlite3.connect(data / "notify.db") as conn:
        return conn.execute("select id, status from deliveries").fetchall()


def test_each_alert_arrives_once_across_a_stop_in_the_middle_of_sending_and_a_start(tmp_path: Path) -> None:
    data = tmp_path / "data"
    with SmtpSink(reply_delay=1.5) as smtp:  # each mail is kept, then the sender waits for the 250
        system = EmbeddedSystem(data, smtp_port=smtp.port, preferred_ports=False).start()
        try:
            response = httpx.post(f"{system.url('notify')}/subscriptions", timeout=10, json={
                "channel": "email", "target": "staff@example.org",
                "event_types": ["commitment.deadline_passed"], "since": "2019-01-01"})  # fmt: skip
            assert response.status_code == 201, response.text
            admin = {"Authorization": f"Bearer {system.api_key}"}
            confirmed = httpx.post(f"{system.url('notify')}/subscriptions/{response.json()['id']}/confirm",
                                   headers=admin, timeout=10)  # fmt: skip
            assert confirmed.status_code == 200, confirmed.text
            httpx.post(f"{system.url('ingest')}/api/batches", timeout=120, headers=admin,
                       files=[("files", (p.name, p.read_bytes())) for p in sorted(SAMPLES.glob("*.txt"))])  # fmt: skip
            smtp.wait_for(2, timeout=120)  # the confirmation mail, then an alert is out, its outcome not yet recorded
        finally:
            system.stop()
        in_flight = [row for row in delivery_rows(data) if row[1] == "sending"]
        assert in_flight == [], "a stop cut a send off: the row would be sent again once its lease expires"
        delivered = {row[0] for row in delivery_rows(data) if row[1] == "delivered"}
        assert {mid.strip("<>").split("@")[0] for mid in alert_ids(smtp)} == delivered

        system = EmbeddedSystem(data, smtp_port=smtp.port, preferred_ports=False).start()
        try:
            wait_settled(system.url("timeline"), system.url("notify"), system.api_key)
        finally:
            system.stop()
        ids = alert_ids(smtp)
        assert len(ids) == len(set(ids)), "an alert arrived twice"
        assert len(ids) == len(delivery_rows(data)) > 1
        assert all(status == "delivered" for _, status in delivery_rows(data))
