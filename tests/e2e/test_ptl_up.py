"""`ptl up`, the README's first command, as a user runs it: it reports, serves, and stops cleanly."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx


def children_of(pid: int) -> list[int]:
    out = subprocess.run(["ps", "-o", "pid=", "--ppid", str(pid)], capture_output=True, text=True, check=False)
    return [int(p) for p in out.stdout.split()]


def test_ptl_up_ingests_the_samples_reports_and_stops_everything_on_sigterm(tmp_path: Path) -> None:
    data = tmp_path / "data"
    proc = subprocess.Popen(
        [sys.executable, "-m", "services.ptl.cli", "up", "--free-ports", "--data-dir", str(data)],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env={**os.environ, "COLUMNS": "200"},
    )  # fmt: skip
    output = ""
    try:
        deadline = time.monotonic() + 180
        assert proc.stdout is not None
        while "Press Ctrl-C to stop" not in output and time.monotonic() < deadline:
            line = proc.stdout.readline()
            if not line:
                break
            output += line
        assert "policy-timeline is running" in output, output
        assert "documents     5 (1 undated)" in output
        timeline = next(w for w in output.split() if w.endswith("/api/motions/33694-43"))
        assert httpx.get(timeline, timeout=10).json()["submitter"] == "Koopmans"
        mails = [m.read_text() for m in sorted((data / "mail").glob("*.eml"))]
        # the demo mailbox confirmed through the link in its confirmation mail, then got its alerts
        assert "Subject: [policy-timeline] Confirm your subscription" in mails[0]
        alerts = [m for m in mails if "Subject: [policy-timeline] Deadline" in m]
        assert alerts and all("List-Unsubscribe-Post: List-Unsubscribe=One-Click" in m for m in alerts)
        children = children_of(proc.pid)
        assert len(children) >= 5  # nats-server, smtp sink, three services
    finally:
        proc.send_signal(signal.SIGTERM)
        proc.wait(timeout=60)
    time.sleep(0.5)
    alive = [
        pid
        for pid in children
        if Path(f"/proc/{pid}").exists() and "zombie" not in Path(f"/proc/{pid}/status").read_text()
    ]
    assert alive == [], "ptl up left processes behind"
