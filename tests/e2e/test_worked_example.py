"""DESIGN.md's worked example, end to end through the APIs, from the five real letters.

One system is started for the module: subscriptions first (with `since` in the past), then the letters.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from services.notify.signing import verify
from tests.conftest import SAMPLES
from tests.e2e.conftest import Running, start_running
from tests.helpers.smtp_server import SmtpSink
from tests.helpers.webhook_receiver import WebhookReceiver

PASSED = "commitment.deadline_passed"


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    with SmtpSink() as smtp, WebhookReceiver() as hook:
        system = start_running(tmp_path_factory.mktemp("worked") / "data", smtp)
        try:
            run = Running(system, smtp)
            on_motion = {"motion_id": "33694-43", "event_types": [PASSED], "since": "2019-01-01"}
            webhook_sub = run.subscribe(channel="webhook", target=hook.url, **on_motion)
            email_sub = run.subscribe(channel="email", target="griffie@tweedekamer.test", **on_motion)
            report = run.ingest(sorted(SAMPLES.glob("*.txt")))
            run.settle()
            yield {"run": run, "hook": hook, "webhook_sub": webhook_sub, "email_sub": email_sub, "report": report}
        finally:
            system.stop()


def commitments(run: Running, **filters: Any) -> list[dict[str, Any]]:
    return run.get("timeline", "/api/commitments", limit=1000, **filters)["items"]


def find(items: list[dict[str, Any]], *words: str) -> dict[str, Any]:
    hits = [c for c in items if all(w.lower() in c["text"].lower() for w in words)]
    assert len(hits) == 1, f"expected one commitment with {words}, got {[c['text'] for c in hits]}"
    return hits[0]


def history(run: Running, commitment_id: str) -> list[tuple[str | None, str, dict]]:
    detail = run.get("timeline", f"/api/commitments/{commitment_id}")
    return [(e["date"], e["type"], e["data"]) for e in detail["history"]]


def test_all_five_letters_are_ingested(world: dict[str, Any]) -> None:
    report = world["report"]
    assert [f["status"] for f in report["files"]] == ["published"] * 5
    assert report["watermark"] == "2023-01-26"


def test_aiv_update_made_passed_revised_passed_fulfilled(world: dict[str, Any]) -> None:
    run = world["run"]
    aiv = find(commitments(run, motion="33694-43"), "advies", "tweede helft van het jaar 2020")
    assert aiv["actor"] and "AIV" in aiv["actor"]
    assert aiv["status"] == "fulfilled" and aiv["fulfilled_on"] == "2021-12-03"
    steps = [(day, kind) for day, kind, _ in history(run, aiv["id"]) if day]
    assert steps == [
        ("2019-09-20", "commitment.made"),
        ("2021-01-01", PASSED),
        ("2021-03-22", "commitment.deadline_revised"),
        ("2021-07-01", PASSED),
        ("2021-12-03", "commitment.fulfilled"),
    ]
    made, _, revised, _, _ = [data for day, _, data in history(run, aiv["id"]) if day]
    assert (made["due"]["start"], made["due"]["end"]) == ("2020-07-01", "2020-12-31")
    assert (revised["due"]["start"], revised["due"]["end"]) == ("2021-04-01", "2021-06-30")


def test_conference_revised_to_end_2022_passed_then_moved_to_the_reaim_summit(world: dict[str, Any]) -> None:
    run = world["run"]
    conference = find(commitments(run), "voornemens in 2021 een internationale conferentie")
    steps = [(day, kind, data.get("due")) for day, kind, data in history(run, conference["id"])]
    assert [(day, kind) for day, kind, _ in steps] == [
        ("2021-03-22", "commitment.made"),
        ("2021-10-11", "commitment.deadline_revised"),
        ("2023-01-01", PASSED),
        ("2023-01-26", "commitment.deadline_revised"),
    ]
    assert (steps[0][2]["start"], steps[0][2]["end"]) == ("2021-01-01", "2021-12-31")
    assert (steps[1][2]["start"], steps[1][2]["end"]) == ("2022-10-01", "2022-12-31")
    assert steps[3][2]["end"] == "2023-02-16"
    assert conference["status"] == "open" and conference["due"]["end"] == "2023-02-16"
    # The 2020 UAV conference of the first letter is a different promise.
    uav = find(commitments(run), "UAV-industrie")
    assert uav["id"] != conference["id"] and uav["due"]["end"] == "2020-12-31"


def test_motion_timeline_lists_every_letter_that_reports_on_it(world: dict[str, Any]) -> None:
    run = world["run"]
    motion = run.get("timeline", "/api/motions/33694-43")
    assert motion["submitter"] == "Koopmans"
    all_documents = {d["id"] for d in run.get("timeline", "/api/documents")}
    assert {d["id"] for d in motion["documents"]} == all_documents
    referenced = {e["date"] for e in motion["timeline"] if e["type"] == "motion.referenced"}
    # The March 2021 answers name "de motie Koopmans c.s." without a number: resolved through the registry.
    assert {"2019-09-20", "2021-03-22", "2021-10-11", "2023-01-26"} <= referenced
    dated = [e["date"] for e in motion["timeline"] if e["date"]]
    assert dated == sorted(dated), "a timeline reads in event time"
    other = run.get("timeline", "/api/motions/35848-8")
    assert other["submitter"] == "Van Ginneken"
    assert [d["date"] for d in other["documents"]] == ["2023-01-26"]


@pytest.mark.parametrize(
    ("forum", "start", "end"),
    [
        ("gge-laws", "2019-08-20", "2019-08-21"),
        ("ccw", "2019-11-11", "2019-11-15"),
        ("ccw", "2021-12-01", "2021-12-31"),
        ("reaim", "2023-02-15", "2023-02-16"),
    ],
)
def test_forum_meetings(world: dict[str, Any], forum: str, start: str, end: str) -> None:
    meetings = world["run"].get("timeline", f"/api/forums/{forum}")["meetings"]
    assert (start, end) in {(m["start"], m["end"]) for m in meetings}


def test_the_cabinet_response_stays_undated(world: dict[str, Any]) -> None:
    docs = world["run"].get("timeline", "/api/documents")
    undated = [d for d in docs if d["source_name"].startswith("003_")]
    assert len(undated) == 1 and undated[0]["date"] is None and undated[0]["date_supplied"] is False


def test_webhook_gets_the_aiv_deadline_alerts_signed(world: dict[str, Any]) -> None:
    hook: WebhookReceiver = world["hook"]
    secret = world["webhook_sub"]["secret"]
    hook.wait_for(1)
    received = hook.delivered()
    bodies = []
    for request in received:
        verify(secret, request.headers, request.body)  # raises on a bad signature
        bodies.append(json.loads(request.body))
    deadlines = {(b["event"]["data"]["text"], b["event"]["data"]["deadline"]) for b in bodies}
    aiv = {d for t, d in deadlines if "advies" in t}
    assert {"2020-12-31", "2021-06-30"} <= aiv
    assert all(b["type"] == PASSED for b in bodies)
    with pytest.raises(ValueError):
        verify(secret, received[0].headers, received[0].body + b" ")


def test_email_gets_the_aiv_deadline_alert(world: dict[str, Any]) -> None:
    run: Running = world["run"]
    mails = [m for m in run.smtp.wait_for(1) if "Confirm your subscription" not in m.subject]
    subjects = [m.subject for m in mails]
    assert any("2020-12-31" in s and "advies" in s for s in subjects), subjects
    assert {m.rcpt_tos[0] for m in mails} == {"griffie@tweedekamer.test"}
    assert len(mails) == len(world["hook"].delivered())


def test_reingesting_every_letter_publishes_nothing(world: dict[str, Any]) -> None:
    run: Running = world["run"]
    before = run.last_sequence()
    report = run.ingest(sorted(SAMPLES.glob("*.txt")))
    assert report["events_published"] == 0
    assert [f["status"] for f in report["files"]] == ["unchanged"] * 5
    assert run.last_sequence() == before


def test_no_second_copy_after_restart_or_replay(world: dict[str, Any], tmp_path: Path) -> None:
    run: Running = world["run"]
    hook: WebhookReceiver = world["hook"]
    webhooks, mails = len(hook.delivered()), len(run.smtp.messages)
    assert webhooks > 0 and mails == webhooks + 1  # and the confirmation mail
    run.system.restart_service("notify")
    run.system.restart_service("timeline")
    run.settle()
    run.system.stop_service("notify")
    replayed = run.ptl("replay", "notify")
    assert replayed.returncode == 0, replayed.stderr
    run.system.start_service("notify")
    run.settle()
    assert (len(hook.delivered()), len(run.smtp.messages)) == (webhooks, mails)
    log = run.get("notify", "/deliveries")
    assert len({(d["subscription_id"], d["event_id"]) for d in log}) == len(log)


def test_ptl_ingest_reports_a_bad_file_by_name_and_exits_non_zero(world: dict[str, Any], tmp_path: Path) -> None:
    run: Running = world["run"]
    before = run.last_sequence()
    (tmp_path / "empty.txt").write_bytes(b"")
    again = SAMPLES / "001_84760ad38bbd21a0.txt"
    result = run.ptl("ingest", str(tmp_path / "empty.txt"), str(again), "--api", run.system.url("ingest"))
    assert result.returncode == 1
    assert "error: " in result.stderr and "empty.txt: empty document" in result.stderr
    assert "unchanged" in result.stderr
    assert run.last_sequence() == before


def test_bad_input_gets_a_clear_error_and_loses_nothing(world: dict[str, Any]) -> None:
    run: Running = world["run"]
    before, documents = run.last_sequence(), run.get("timeline", "/api/documents")
    ingest = run.system.url("ingest")
    cases = {
        "empty.txt": (b"", "empty"),
        "binary.txt": (b"\x00\x01\x02\x03" * 100, "binary"),
        "latin1.txt": ("Brief van de minister: één toezegging".encode("latin-1"), "not UTF-8"),
    }
    for name, (data, reason) in cases.items():
        response = httpx.post(
            f"{ingest}/api/documents", params={"name": name}, content=data, headers=run.admin, timeout=30
        )
        assert response.status_code == 422, response.text
        error = response.json()["files"][0]["error"]
        assert name in error and reason in error, error
    bad_params = [
        ("/api/commitments", {"due_before": "next tuesday"}, 422, "due_before"),
        ("/api/commitments", {"status": "broken"}, 422, "status"),
        ("/api/commitments", {"limit": "0"}, 422, "limit"),
        ("/api/commitments", {"due_after": "2022-01-01", "due_before": "2021-01-01"}, 422, "due_after"),
        ("/api/motions/99999-1", {}, 404, "99999-1"),
        ("/api/commitments/c-doesnotexist", {}, 404, "c-doesnotexist"),
    ]
    for path, params, status, named in bad_params:
        response = httpx.get(f"{run.system.url('timeline')}{path}", params=params, timeout=10)
        assert response.status_code == status, (path, params, response.text)
        assert named in response.text
    response = httpx.post(f"{run.system.url('notify')}/subscriptions", json={"channel": "pigeon"}, timeout=10)
    assert response.status_code == 422 and "channel" in response.text
    assert run.last_sequence() == before
    assert run.get("timeline", "/api/documents") == documents
