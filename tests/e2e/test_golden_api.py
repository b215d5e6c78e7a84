"""Golden answers: every API answer of the README tour, every timeline route and notify's, from the sample letters.

The real services run as processes (as in `ptl up`); a webhook subscription is made before the letters are
ingested (live alerts) and a webhook and an email subscription after (backfilled from `since`). Every answer,
every webhook body and every mail is compared with `golden/api_answers.json`, after replacing only what is
legitimately variable: generated ids, secrets and signed links, timestamps of "now", the services' ports.

Extraction changes alter these answers on purpose: `PTL_UPDATE_GOLDEN=1` rewrites the fixture; review the diff.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from schemas.ids import digest
from tests.conftest import SAMPLES
from tests.e2e.conftest import Running, start_running
from tests.helpers.smtp_server import SmtpSink
from tests.helpers.webhook_receiver import WebhookReceiver

GOLDEN = Path(__file__).parent / "golden" / "api_answers.json"
PASSED = "commitment.deadline_passed"
MOTION = "33694-43"
# Moments the services take from the clock, not from the letters.
NOW_KEYS = frozenset(
    {"recorded_at", "created_at", "delivered_at", "next_attempt_at", "started_at", "finished_at", "published_at"}
)
SIGNED_LINK = re.compile(r"token=[\w.-]+")  # confirmation and unsubscribe links carry a timestamped signature


@pytest.fixture(scope="module")
def answers(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    with SmtpSink() as smtp, WebhookReceiver() as live_hook, WebhookReceiver() as late_hook:
        system = start_running(tmp_path_factory.mktemp("golden") / "data", smtp)
        try:
            run = Running(system, smtp)
            subs: dict[str, dict[str, Any]] = {}
            on_motion = {"motion_id": MOTION, "event_types": [PASSED], "since": "2019-01-01"}
            subs["live-webhook"] = run.subscribe(channel="webhook", target=live_hook.url, **on_motion)
            run.ingest(sorted(SAMPLES.glob("*.txt")))
            run.settle()
            subs["late-webhook"] = run.subscribe(channel="webhook", target=late_hook.url, **on_motion)
            subs["late-email"] = run.subscribe(channel="email", target="griffie@tweedekamer.test", since="2021-01-01")
            run.settle()
            hooks = {"live-webhook": live_hook, "late-webhook": late_hook}
            got = normalize(record(run, subs, hooks), variable_tokens(run, subs, hooks))
            for name, deliveries in got["notify"].items():
                if "deliveries" in name:  # queued together, they share created_at: the API's order is arbitrary
                    deliveries.sort(key=lambda d: (d["event_id"], d["subscription_id"]))
            got["received"]["mails"].sort(key=lambda m: m["id"])
            yield got
        finally:
            system.stop()


def record(run: Running, subs: dict[str, dict[str, Any]], hooks: dict[str, WebhookReceiver]) -> dict[str, Any]:
    timeline: dict[str, Any] = {
        "commitments?motion": run.get("timeline", "/api/commitments", motion=MOTION, limit=100),
        "commitments?status=overdue": run.get("timeline", "/api/commitments", status="overdue"),
        "motions/33694-43": run.get("timeline", f"/api/motions/{MOTION}"),
        "forums/gge-laws": run.get("timeline", "/api/forums/gge-laws"),
    }
    for item in timeline["commitments?motion"]["items"]:
        timeline[f"commitments/{item['id']}"] = run.get("timeline", f"/api/commitments/{item['id']}")
    timeline |= {
        "commitments": run.get("timeline", "/api/commitments", limit=1000),
        "documents": run.get("timeline", "/api/documents"),
        "motions": run.get("timeline", "/api/motions"),
        "forums": run.get("timeline", "/api/forums"),
        "motions/33694-43/timeline": run.get("timeline", f"/api/motions/{MOTION}/timeline"),
        "forums/gge-laws/timeline": run.get("timeline", "/api/forums/gge-laws/timeline"),
    }
    for doc in timeline["documents"]:
        timeline[f"documents/{doc['id']}"] = run.get("timeline", f"/api/documents/{doc['id']}")
    notify: dict[str, Any] = {
        "created": subs,
        "subscriptions": run.get("notify", "/subscriptions"),
        "deliveries": run.get("notify", "/deliveries", limit=1000),
        "deadlines/passed": run.get("notify", "/deadlines/passed"),
    }
    for name, sub in subs.items():
        notify[f"subscriptions/{name}/deliveries"] = run.get("notify", f"/subscriptions/{sub['id']}/deliveries")
    received: dict[str, Any] = {
        name: sorted((r.json() for r in hook.delivered()), key=lambda b: b["event"]["id"])
        for name, hook in hooks.items()
    }
    received["mails"] = [
        {"from": m.message["From"], "to": m.rcpt_tos, "id": m.message["Message-ID"], "subject": m.subject}
        | {"text": m.text}
        for m in run.smtp.messages
    ]
    return {"timeline": timeline, "notify": notify, "received": received}


def variable_tokens(run: Running, subs: dict[str, dict[str, Any]], hooks: dict[str, WebhookReceiver]) -> dict[str, str]:
    """Generated values and what stands for them in the fixture. A delivery id is only replaced when it is the
    stable id of its (subscription, event), so a change of that rule still shows."""
    tokens = {run.system.url(s): f"<{s}-url>" for s in ("timeline", "notify", "ingest")}
    tokens |= {hook.url: f"<{name}-url>" for name, hook in hooks.items()}
    for name, sub in subs.items():
        tokens[sub["id"]] = f"<sub:{name}>"
        if sub.get("secret"):
            tokens[sub["secret"]] = f"<secret:{name}>"
        tokens[sub["manage_token"]] = f"<manage-token:{name}>"
    for delivery in run.get("notify", "/deliveries", limit=1000):
        stable = f"dlv-{digest(delivery['subscription_id'], delivery['event_id'], length=24)}"
        tokens[stable] = f"<dlv:{tokens[delivery['subscription_id']]}:{delivery['event_id']}>"
    return tokens


def normalize(value: Any, tokens: dict[str, str], key: str = "") -> Any:
    if isinstance(value, dict):
        return {k: normalize(v, tokens, k) for k, v in value.items()}
    if isinstance(value, list):
        return [normalize(v, tokens) for v in value]
    if key in NOW_KEYS and value is not None:
        return "<now>"
    if isinstance(value, str):
        for raw, placeholder in tokens.items():
            value = value.replace(raw, placeholder)
        value = SIGNED_LINK.sub("token=<signed>", value)
    return value


@pytest.fixture(scope="module")
def golden(answers: dict[str, Any]) -> dict[str, Any]:
    if os.environ.get("PTL_UPDATE_GOLDEN") == "1":
        GOLDEN.parent.mkdir(exist_ok=True)
        GOLDEN.write_text(json.dumps(answers, indent=1, ensure_ascii=False, sort_keys=True) + "\n")
    return json.loads(GOLDEN.read_text())  # type: ignore[no-any-return]


@pytest.mark.parametrize("part", ["timeline", "notify", "received"])
def test_answers_equal_the_golden_file(answers: dict[str, Any], golden: dict[str, Any], part: str) -> None:
    assert sorted(answers[part]) == sorted(golden[part])
    for name in sorted(golden[part]):
        assert answers[part][name] == golden[part][name], f"{part}/{name} differs (PTL_UPDATE_GOLDEN=1 rewrites)"
