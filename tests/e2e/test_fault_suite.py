"""The fault suite (issue 9, item 7): the real services while SIGKILL hits each service and nats-server at random
points, the webhook receiver and the SMTP server go down and come back. Every alert the deadline rule yields
over the final stream arrives exactly once per subscription (0 lost, 0 doubled) and nothing else does (0 false).
`PTL_FAULT_SEED` picks another random order of faults."""

from __future__ import annotations

import asyncio
import os
import random
import re
import signal
import time
from collections import Counter
from pathlib import Path
from typing import Any

import httpx
import pytest

from schemas.codec import decode
from schemas.deadline_rule import Facts, correction_from_event, fact_from_event
from schemas.events import CommitmentMade, Envelope
from schemas.stream import POLICY_STREAM
from services.common.nats import connect
from services.common.natsserver import free_port
from services.common.settings import with_credentials
from services.ptl.embedded import PREFERRED_PORTS, EmbeddedSystem
from tests.conftest import SAMPLES
from tests.e2e.conftest import Running, start_running
from tests.helpers.smtp_server import SmtpSink
from tests.helpers.views import date_order
from tests.helpers.webhook_receiver import WebhookReceiver

pytestmark = pytest.mark.fault

PASSED = "commitment.deadline_passed"
MOTION = "33694-43"
FAULTS = ("ingest", "timeline", "notify", "nats", "webhook", "smtp")


def inject(fault: str, system: EmbeddedSystem, hook: WebhookReceiver, smtp: SmtpSink, rng: random.Random) -> None:
    time.sleep(rng.uniform(0.0, 0.6))  # somewhere in the middle of the work the last step started
    if fault in ("ingest", "timeline", "notify"):
        system.stop_service(fault, signal.SIGKILL)
        system.start_service(fault)
    elif fault == "nats":
        assert system.nats and system.nats.process
        system.nats.process.kill()
        system.nats.process.wait()
        time.sleep(rng.uniform(0.2, 1.0))
        system.nats.start()
    elif fault == "webhook":
        hook.stop()
        time.sleep(rng.uniform(1.0, 3.0))
        hook.start()
    else:
        smtp.stop()
        time.sleep(rng.uniform(1.0, 3.0))
        smtp.start()


def ingest_until_in(run: Running, letter: Path) -> None:
    """A user retries a batch that failed (e.g. nats-server was down) until the letter is in."""
    for _ in range(60):
        try:
            report = run.ingest([letter])
        except (httpx.HTTPError, SystemExit, Exception):  # ingest restarting: connection refused
            time.sleep(0.5)
            continue
        if all(f["status"] in ("published", "unchanged") for f in report["files"]) and not report["problems"]:
            return
        time.sleep(0.5)
    raise AssertionError(f"{letter.name} never got in")


async def final_stream(url: str) -> list[Envelope]:
    nc = await connect(url, "fault-suite")
    js = nc.jetstream()
    last = (await js.stream_info(POLICY_STREAM)).state.last_seq
    events = [decode((await js.get_msg(POLICY_STREAM, seq)).data or b"") for seq in range(1, last + 1)]
    await nc.close()
    return events


def expected_alerts(events: list[Envelope]) -> set[tuple[str, str]]:
    """The rule over the final stream, for commitments on the motion: what must have been alerted."""
    facts = Facts.empty()
    on_motion: set[str] = set()
    for sequence, event in enumerate(events, start=1):
        facts.add(fact_from_event(event) or correction_from_event(event, sequence))
        data = event.payload()
        if isinstance(data, CommitmentMade) and MOTION in data.motions:
            on_motion.add(data.commitment_id)
    return {(p.commitment_id, p.deadline.isoformat()) for p in facts.passed() if p.commitment_id in on_motion}


def wait_delivered(run: Running, timeout: float = 90.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        run.settle()
        pending = run.get("notify", "/deliveries", status="pending") + run.get(
            "notify", "/deliveries", status="sending"
        )
        if not pending:
            return
        time.sleep(0.5)
    raise AssertionError("deliveries still pending")


def test_no_alert_lost_doubled_or_false_under_faults(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    seed = int(os.environ.get("PTL_FAULT_SEED", "9"))
    rng = random.Random(seed)
    # quick retries, so a receiver that comes back within seconds is reached within the test
    for name, value in {
        "NOTIFY_DELIVERY_SCHEDULE": "exponential", "NOTIFY_DELIVERY_BACKOFF_BASE": "0.2",
        "NOTIFY_DELIVERY_BACKOFF_CAP": "1", "NOTIFY_DELIVERY_MAX_ATTEMPTS": "500",
        "NOTIFY_DEADLINE_SWEEP_SECONDS": "1",
    }.items():  # fmt: skip
        monkeypatch.setenv(name, value)
    # Random ports: a service killed and restarted must get its own port back, not lose the fixed preferred one
    # to another system started meanwhile on this machine.
    for service in PREFERRED_PORTS:
        monkeypatch.setitem(PREFERRED_PORTS, service, free_port())
    faults = list(FAULTS)
    rng.shuffle(faults)
    letters = date_order(sorted(SAMPLES.glob("*.txt")))
    with SmtpSink() as smtp, WebhookReceiver() as hook:
        system = start_running(tmp_path / "data", smtp)
        try:
            run = Running(system, smtp)
            wanted = {"motion_id": MOTION, "event_types": [PASSED], "since": "2019-01-01"}
            web = run.subscribe(channel="webhook", target=hook.url, **wanted)
            run.subscribe(channel="email", target="griffie@tweedekamer.test", **wanted)
            for n, letter in enumerate(letters):
                ingest_until_in(run, letter)
                inject(faults[n], system, hook, smtp, rng)
            for fault in faults[len(letters) :]:
                inject(fault, system, hook, smtp, rng)
            wait_delivered(run)
            gave_up = run.get("notify", "/deliveries", status="failed", limit=1000)
            assert system.nats
            ptl = system.nats_users["ptl"]  # the operator's NATS user reads the stream
            events = asyncio.run(final_stream(with_credentials(system.nats.url, ptl.name, ptl.password)))
        finally:
            system.stop()
    by_id = {e.id: (e.subject, e.data["deadline"]) for e in events if e.type == PASSED}
    expected = expected_alerts(events)
    hooks: dict[tuple[str, str], set[str]] = {}
    for request in hook.delivered():
        body: dict[str, Any] = request.json()
        if body["subscription_id"] == web["id"]:
            hooks.setdefault(by_id[body["event"]["id"]], set()).add(request.headers["webhook-id"])
    mails = Counter(by_id[m] for mail in smtp.messages for m in re.findall(r"id (ev-[0-9a-f]+)", mail.text))
    rows = {
        "webhook": (set(hooks), sum(len(ids) - 1 for ids in hooks.values())),
        "email": (set(mails), sum(n - 1 for n in mails.values())),
    }
    print(f"\nfault suite, seed {seed}: faults in order {faults}; {len(events)} events on the stream")
    print(f"deliveries notify gave up on: {len(gave_up)} {sorted({d['last_error'] for d in gave_up})}")
    print(f"{'channel':8} {'expected':>8} {'received':>8} {'lost':>5} {'doubled':>7} {'false':>5}")
    for channel, (got, doubled) in rows.items():
        lost, false = expected - got, got - expected
        print(f"{channel:8} {len(expected):8} {len(got):8} {len(lost):5} {doubled:7} {len(false):5}")
    assert expected, "the samples have deadlines that pass"
    for _channel, (got, doubled) in rows.items():
        assert (got, doubled) == (expected, 0)
