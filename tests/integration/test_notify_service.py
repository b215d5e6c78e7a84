"""The notify service against a real nats-server, a real SMTP server and real webhook receivers.

Events are published into POLICY by hand, as ingest would; the app runs in-process with its lifespan (broker,
projection consumer, deadline watcher, delivery worker) and is driven over its HTTP API.
"""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from datetime import date, datetime
from pathlib import Path
from typing import Any

import httpx
import pytest
from nats.aio.client import Client
from nats.js import JetStreamContext
from sqlalchemy import select

from schemas.codec import AMSTERDAM, day_start, decode, make_event
from schemas.events import (
    CommitmentDeadlineRevised,
    CommitmentFulfilled,
    CommitmentMade,
    Due,
    Envelope,
    IngestWatermark,
    Source,
)
from schemas.ids import event_id
from schemas.stream import DEAD_LETTER_STREAM, NOTIFY_CONSUMER, POLICY_STREAM
from services.common import projection as runner
from services.common.auth import KeyStore
from services.common.db import make_engine
from services.common.nats import connect, ensure_streams, publish_event
from services.common.natsserver import NatsServer
from services.notify.adapters import orm
from services.notify.app import create_app
from services.notify.handlers import HANDLERS
from services.notify.replay import replay_notify
from services.notify.settings import NotifySettings
from services.notify.signing import verify
from tests.helpers.smtp_server import SmtpSink
from tests.helpers.webhook_receiver import WebhookReceiver

INGEST = Source(service="ingest", version="test")
AIV = "c-aiv-update"
CONF = "c-conference"
MOTION = "33694-43"
PASSED = "commitment.deadline_passed"


def due(start: str, end: str, precision: str) -> Due:
    return Due(start=date.fromisoformat(start), end=date.fromisoformat(end), precision=precision)


def on(day: str | None) -> datetime | None:
    return day_start(date.fromisoformat(day)) if day else None


def made(cid: str, day: str, d: Due, text: str) -> Envelope:
    data = CommitmentMade(
        commitment_id=cid, text=text, actor="kabinet", due=d, document_id=f"kst-{day}", motions=[MOTION]
    )
    return make_event(data, occurred_at=on(day), source=INGEST, unique=("made",))


def revised(cid: str, day: str, d: Due) -> Envelope:
    data = CommitmentDeadlineRevised(
        commitment_id=cid, due=d, previous_due=None, text="moved", document_id=f"kst-{day}"
    )
    return make_event(data, occurred_at=on(day), source=INGEST, unique=(day,))


def fulfilled(cid: str, day: str | None, doc: str) -> Envelope:
    data = CommitmentFulfilled(commitment_id=cid, evidence="advies 119", document_id=doc)
    return make_event(data, occurred_at=on(day), source=INGEST, unique=(doc,))


def watermark(day: str) -> Envelope:
    data = IngestWatermark(source="files", up_to=date.fromisoformat(day), documents=5)
    return make_event(data, occurred_at=on(day), source=INGEST, unique=(day,))


AIV_TEXT = "Het AIV/CAVV zal het advies over autonome wapensystemen in de tweede helft van 2020 actualiseren."
CONF_TEXT = "Het kabinet is voornemens in 2021 een internationale conference te organiseren."
WORKED_EXAMPLE = [
    made(AIV, "2019-09-20", due("2020-07-01", "2020-12-31", "half"), AIV_TEXT),
    revised(AIV, "2021-03-22", due("2021-04-01", "2021-06-30", "quarter")),
    fulfilled(AIV, "2021-12-03", "kst-004"),
    fulfilled(AIV, None, "kst-003"),
    made(CONF, "2021-03-22", due("2021-01-01", "2021-12-31", "year"), CONF_TEXT),
    revised(CONF, "2021-10-11", due("2022-10-01", "2022-12-31", "part_of_year")),
    revised(CONF, "2023-01-26", due("2023-02-15", "2023-02-16", "days")),
    watermark("2023-01-26"),
]


# --- harness ------------------------------------------------------------------------------------------------


def settings_for(tmp_path: Path, nats: NatsServer, smtp: SmtpSink | None = None) -> NotifySettings:
    return NotifySettings(
        NATS_URL=nats.url,
        PTL_DATA_DIR=str(tmp_path / "data"),
        PTL_LOG_LEVEL="WARNING",
        NOTIFY_DATABASE_URL=f"sqlite:///{tmp_path / 'notify.db'}",
        SMTP_HOST="127.0.0.1",
        SMTP_PORT=smtp.port if smtp else 9,
        SMTP_FROM="alerts@policy-timeline.test",
        NOTIFY_DELIVERY_SCHEDULE="exponential",
        NOTIFY_DELIVERY_BACKOFF_BASE=0.05,
        NOTIFY_DELIVERY_POLL_SECONDS=0.05,
        NOTIFY_DEADLINE_SWEEP_SECONDS=0.5,
        NOTIFY_WEBHOOK_TIMEOUT=5,
        TIMELINE_PUBLIC_URL="http://timeline.test/",
        NOTIFY_PUBLIC_URL="http://notify",
        NOTIFY_WEBHOOK_ALLOWED_HOSTS="127.0.0.1",  # the local receivers; nothing else inside is reachable
    )


@asynccontextmanager
async def running(settings: NotifySettings, admin: bool = True) -> AsyncIterator[httpx.AsyncClient]:
    """The app in this process; the client carries an admin key unless `admin=False`."""
    app = create_app(settings)
    headers = {"authorization": f"Bearer {KeyStore(settings.keys_file).create(['admin'])[1]}"} if admin else {}
    async with (
        app.router.lifespan_context(app),
        httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://notify", headers=headers) as client,
    ):
        yield client


@asynccontextmanager
async def jetstream(url: str) -> AsyncIterator[tuple[Client, JetStreamContext]]:
    nc = await connect(url, "test-publisher")
    js = nc.jetstream()
    await ensure_streams(js)
    try:
        yield nc, js
    finally:
        await nc.close()


async def eventually(check: Callable[[], Awaitable[Any]], timeout: float = 15.0, what: str = "") -> Any:
    """Poll `check` until it returns something truthy."""
    deadline = time.monotonic() + timeout
    while True:
        result = await check()
        if result:
            return result
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what or check}: last {result!r}")
        await asyncio.sleep(0.05)


async def stream_events(js: JetStreamContext) -> list[tuple[int, Envelope]]:
    last = (await js.stream_info(POLICY_STREAM)).state.last_seq
    out = []
    for seq in range(1, last + 1):
        msg = await js.get_msg(POLICY_STREAM, seq)
        try:
            out.append((seq, decode(msg.data)))
        except ValueError:
            continue
    return out


async def deadline_events(js: JetStreamContext) -> list[Envelope]:
    return [e for _, e in await stream_events(js) if e.type == PASSED]


async def caught_up(client: httpx.AsyncClient) -> dict[str, Any] | None:
    """Health once the projection has applied everything and no delivery is waiting."""
    health = (await client.get("/health")).json()
    idle = not health["deliveries"].get("pending") and not health["deliveries"].get("sending")
    return health if health["lag"] == 0 and idle else None


async def subscribe(client: httpx.AsyncClient, **body: Any) -> dict[str, Any]:
    """Subscribe, and confirm an email subscription as an admin (the link flow has its own tests)."""
    response = await client.post("/subscriptions", json=body)
    assert response.status_code == 201, response.text
    sub = response.json()
    if not sub["confirmed"]:
        confirmed = await client.post(f"/subscriptions/{sub['id']}/confirm")
        assert confirmed.status_code == 200, confirmed.text
        sub |= {"confirmed": True, "backfilled": confirmed.json()["backfilled"]}
    return sub


def projection_rows(db_url: str) -> dict[str, list[tuple[Any, ...]]]:
    engine = make_engine(db_url)
    try:
        with engine.connect() as conn:
            return {
                t.name: sorted(tuple(r) for r in conn.execute(select(t)))
                for t in orm.PROJECTION_TABLES
                if t.name != "event_index"
            } | {
                "event_index": sorted(
                    (r.event_id, r.sequence, r.type, tuple(map(tuple, r.refs)))
                    for r in conn.execute(select(orm.event_index))
                )
            }
    finally:
        engine.dispose()


# --- tests ----------------------------------------------------------------------------------------------------


async def test_deadlines_alerts_retries_and_no_second_copy(tmp_path: Path, nats_server: NatsServer) -> None:
    with (
        WebhookReceiver() as hook,
        WebhookReceiver(fail_first=2) as flaky,
        WebhookReceiver() as late,
        SmtpSink() as smtp,
    ):
        settings = settings_for(tmp_path, nats_server, smtp)
        async with jetstream(nats_server.url) as (_, js), running(settings) as client:
            on_motion = await subscribe(
                client, channel="webhook", target=hook.url, motion_id=MOTION, event_types=[PASSED], since="2019-01-01"
            )
            on_conf = await subscribe(
                client,
                channel="webhook",
                target=flaky.url,
                commitment_id=CONF,
                event_types=[PASSED],
                since="2019-01-01",
            )
            by_mail = await subscribe(
                client, channel="email", target="staff@tweedekamer.test", commitment_id=AIV, event_types=[PASSED],
                since="2019-01-01",
            )  # fmt: skip
            assert on_motion["secret"].startswith("whsec_") and by_mail.get("secret") is None
            for event in WORKED_EXAMPLE:
                await publish_event(js, event)

            # the watcher publishes the passed deadlines into POLICY, with deterministic ids
            passed = await eventually(
                lambda: _at_least(deadline_events(js), 3), what="three deadline_passed events on the stream"
            )
            wm = WORKED_EXAMPLE[-1]
            got = {(e.subject, e.data["deadline"], e.occurred_at) for e in passed}
            assert got == {
                (AIV, "2020-12-31", datetime(2021, 1, 1, tzinfo=AMSTERDAM)),
                (AIV, "2021-06-30", datetime(2021, 7, 1, tzinfo=AMSTERDAM)),
                (CONF, "2022-12-31", datetime(2023, 1, 1, tzinfo=AMSTERDAM)),
            }
            for e in passed:
                assert e.id == event_id(PASSED, e.subject, e.subject, e.data["deadline"])
                assert e.causation_id == wm.id and e.source.service == "notify"
            assert {e.data["text"] for e in passed} == {AIV_TEXT, CONF_TEXT}

            # webhook: all three deadlines of the motion's commitments, each signed
            requests = await hook.wait_for_async(3)
            await asyncio.sleep(0.2)
            assert len(hook.requests) == 3
            for request in requests:
                verify(on_motion["secret"], request.headers, request.body)
                body = request.json()
                assert body["type"] == PASSED and body["subscription_id"] == on_motion["id"]
                assert body["summary"].startswith(f"Deadline {body['event']['data']['deadline']} passed")
                assert request.headers["content-type"] == "application/json"
            assert {r.json()["event"]["id"] for r in requests} == {e.id for e in passed}

            # the flaky receiver answered 500 twice: one delivery, three attempts, same webhook-id each time
            await flaky.wait_for_async(1)
            assert [r.answered for r in flaky.requests] == [500, 500, 200]
            assert len({r.headers["webhook-id"] for r in flaky.requests}) == 1
            for request in flaky.requests:
                verify(on_conf["secret"], request.headers, request.body)
            # the receiver has answered; the worker records the outcome after that: wait for the record, not a time
            delivery = await recorded(client, f"/subscriptions/{on_conf['id']}/deliveries")
            assert delivery["id"] == flaky.requests[0].headers["webhook-id"]
            assert delivery["status"] == "delivered" and delivery["attempts"] == 3
            log = delivery["attempt_log"]
            assert [(a["outcome"], a["http_status"]) for a in log] == [
                ("retry", 500),
                ("retry", 500),
                ("delivered", 200),
            ]

            # email: the two AIV deadlines
            mails = [m for m in await smtp.wait_for_async(3) if "Confirm" not in m.subject]
            assert {m.rcpt_tos[0] for m in mails} == {"staff@tweedekamer.test"}
            mail = next(m for m in mails if "2020-12-31" in m.subject)
            assert mail.subject.startswith("[policy-timeline] Deadline 2020-12-31 passed")
            assert mail.message["From"] == "alerts@policy-timeline.test"
            for expected in (
                AIV_TEXT,
                "Due: 2020-07-01 to 2020-12-31 (half)",
                "Deadline: 2020-12-31",
                "Source document: kst-2019-09-20",
                f"http://timeline.test/api/commitments/{AIV}",
            ):
                assert expected in mail.text, (expected, mail.text)
            moved = next(m for m in mails if "2021-06-30" in m.subject)
            assert "Due: 2021-04-01 to 2021-06-30 (quarter)" in moved.text
            assert "Deadline set in: kst-2021-03-22" in moved.text

            # a subscription created afterwards is backfilled from `since` on
            backfilled = await subscribe(
                client, channel="webhook", target=late.url, commitment_id=CONF, since="2022-06-01"
            )
            assert backfilled["backfilled"] == 2
            late_requests = await late.wait_for_async(2)
            assert sorted(r.json()["type"] for r in late_requests) == [
                "commitment.deadline_passed",
                "commitment.deadline_revised",
            ]

            passed_api = (await client.get("/deadlines/passed")).json()
            assert [(p["commitment_id"], p["deadline"]) for p in passed_api] == [
                (AIV, "2020-12-31"), (AIV, "2021-06-30"), (CONF, "2022-12-31"),
            ]  # fmt: skip
            assert (await client.get("/deliveries", params={"status": "delivered"})).json()
            await eventually(lambda: caught_up(client), what="idle")
            sent_before = (len(hook.requests), len(flaky.requests), len(late.requests), len(smtp.messages))

        # stopped: rebuild the projection from the stream; it must equal the live one and send nothing
        live_rows = projection_rows(settings.database_url)
        progress: list[tuple[int, int]] = []
        read = (await replay_notify(settings, None, lambda seq, last: progress.append((seq, last)))).read
        assert read == len(WORKED_EXAMPLE) + 3 and progress[-1][0] == progress[-1][1]
        assert projection_rows(settings.database_url) == live_rows

        async with jetstream(nats_server.url) as (_, js), running(settings) as client:
            await eventually(lambda: caught_up(client), what="idle after restart")
            await asyncio.sleep(0.3)  # let a wrong resend show
            assert (len(hook.requests), len(flaky.requests), len(late.requests), len(smtp.messages)) == sent_before
            assert len(await deadline_events(js)) == 3

            # and it keeps working: a later watermark passes the conference's February deadline
            await publish_event(js, watermark("2023-02-20"))
            await hook.wait_for_async(4)
            await eventually(lambda: caught_up(client), what="idle after the new watermark")
            newest = hook.requests[-1].json()["event"]
            assert (newest["subject"], newest["data"]["deadline"]) == (CONF, "2023-02-16")
            assert len({r.headers["webhook-id"] for r in hook.requests}) == 4
            assert len(smtp.messages) == sent_before[3]
            assert len(await deadline_events(js)) == 4

        # A brand-new database (and consumer) learns the published deadlines from the stream before it would
        # publish any. The durable consumer keeps its position on the server, so it goes with the database.
        fresh = settings.model_copy(update={"database_url": f"sqlite:///{tmp_path / 'fresh.db'}"})
        async with jetstream(nats_server.url) as (_, js):
            await js.delete_consumer(POLICY_STREAM, NOTIFY_CONSUMER)
        async with running(fresh) as client:
            await eventually(lambda: caught_up(client), what="a fresh database caught up")
            assert len((await client.get("/deadlines/passed")).json()) == 4
        engine = make_engine(fresh.database_url)
        with engine.connect() as conn:
            sequences = [r.stream_sequence for r in conn.execute(select(orm.published_deadlines))]
        engine.dispose()
        assert sequences == [None] * 4  # none published by this database


async def _at_least(events: Awaitable[list[Envelope]], n: int) -> list[Envelope] | None:
    got = await events
    return got if len(got) >= n else None


async def test_malformed_events_are_dead_lettered_and_later_events_processed(
    tmp_path: Path, nats_server: NatsServer
) -> None:
    with WebhookReceiver() as hook:
        settings = settings_for(tmp_path, nats_server)
        async with jetstream(nats_server.url) as (_, js), running(settings) as client:
            await subscribe(client, channel="webhook", target=hook.url, commitment_id=AIV, since="2019-01-01")
            await js.publish(f"policy.commitment.{AIV}", b"{not json", headers={"Nats-Msg-Id": "bad-1"})
            schema_invalid = json.dumps({"type": "commitment.made", "version": 1, "data": {"commitment_id": AIV}})
            await js.publish(f"policy.commitment.{AIV}", schema_invalid.encode(), headers={"Nats-Msg-Id": "bad-2"})
            await publish_event(js, WORKED_EXAMPLE[0])

            [request] = await hook.wait_for_async(1)
            assert request.json()["event"]["id"] == WORKED_EXAMPLE[0].id
            health = await eventually(lambda: caught_up(client), what="applied sequence 3")
            assert health["applied_sequence"] == 3

            dlq = await js.stream_info(DEAD_LETTER_STREAM)
            assert dlq.state.messages == 2
            first = await js.get_msg(DEAD_LETTER_STREAM, dlq.state.first_seq)
            assert first.data == b"{not json"
            assert first.headers and first.headers["Ptl-Original-Sequence"] == "1"
            assert "not JSON" in first.headers["Ptl-Dead-Letter-Reason"]


async def test_api_validates_parameters_and_manages_subscriptions(tmp_path: Path, nats_server: NatsServer) -> None:
    settings = settings_for(tmp_path, nats_server)
    async with running(settings) as client:
        bad = [
            ({"channel": "sms", "target": "x"}, "channel"),
            ({"channel": "email", "target": "not-an-address"}, "target"),
            ({"channel": "webhook", "target": "ftp://example.org/hook"}, "target"),
            ({"channel": "webhook", "target": "http://"}, "target"),
            ({"channel": "email", "target": "a@b.nl", "event_types": ["commitment.forgotten"]}, "event_types"),
            ({"channel": "email", "target": "a@b.nl", "since": "last tuesday"}, "since"),
            ({"channel": "email", "target": "a@b.nl", "colour": "red"}, "colour"),
            ({"target": "a@b.nl"}, "channel"),
        ]
        for body, field in bad:
            response = await client.post("/subscriptions", json=body)
            assert response.status_code == 422, (body, response.text)
            assert field in response.json()["detail"], (body, response.text)
        response = await client.post("/subscriptions", content=b"{", headers={"content-type": "application/json"})
        assert response.status_code == 422
        response = await client.get("/deliveries", params={"status": "lost"})
        assert response.status_code == 422 and "status" in response.json()["detail"]
        response = await client.get("/deliveries", params={"limit": "0"})
        assert response.status_code == 422 and "limit" in response.json()["detail"]
        assert (await client.get("/subscriptions/sub-nope")).status_code == 404
        assert (await client.get("/subscriptions/sub-nope/deliveries")).status_code == 404
        assert (await client.delete("/subscriptions/sub-nope")).status_code == 404

        sub = await subscribe(client, channel="email", target=" staff@tweedekamer.test ", since="2021-01-01T12:00:00")
        assert sub["target"] == "staff@tweedekamer.test"
        assert sub["since"] == "2021-01-01T11:00:00+00:00"  # naive: Dutch time
        assert (await client.get(f"/subscriptions/{sub['id']}")).json()["active"] is True
        assert "secret" not in (await client.get(f"/subscriptions/{sub['id']}")).json()
        assert [s["id"] for s in (await client.get("/subscriptions")).json()] == [sub["id"]]
        assert (await client.delete(f"/subscriptions/{sub['id']}")).status_code == 204
        assert (await client.get(f"/subscriptions/{sub['id']}")).json()["active"] is False
        assert (await client.get("/subscriptions")).json() == []
        assert len((await client.get("/subscriptions", params={"include_deleted": "true"})).json()) == 1
        health = (await client.get("/health")).json()
        assert health["status"] == "ok" and health["applied_sequence"] == 0


@pytest.mark.parametrize("channel", ["webhook", "email"])
async def test_an_unreachable_target_fails_after_max_attempts(
    tmp_path: Path, nats_server: NatsServer, channel: str
) -> None:
    settings = settings_for(tmp_path, nats_server).model_copy(update={"delivery_max_attempts": 3})
    dead = "http://127.0.0.1:9/hook" if channel == "webhook" else "staff@tweedekamer.test"  # port 9: nothing there
    async with jetstream(nats_server.url) as (_, js), running(settings) as client:
        sub = await subscribe(client, channel=channel, target=dead, commitment_id=AIV, since="2019-01-01")
        await publish_event(js, WORKED_EXAMPLE[0])

        async def failed() -> list[dict[str, Any]]:
            rows = (await client.get(f"/subscriptions/{sub['id']}/deliveries")).json()
            return rows if rows and rows[0]["status"] == "failed" else []

        [delivery] = await eventually(failed, what="a failed delivery")
        assert delivery["attempts"] == 3
        assert [a["outcome"] for a in delivery["attempt_log"]] == ["retry", "retry", "failed"]
        assert all(a["error"] for a in delivery["attempt_log"])
        # resent: a fresh run of the schedule, logged after the first
        assert (await client.post(f"/deliveries/{delivery['id']}/resend")).json() == {"resent": 1}

        async def failed_again() -> list[dict[str, Any]]:
            return [row for row in await failed() if len(row["attempt_log"]) == 6]

        [again] = await eventually(failed_again, what="the resent delivery failed again")
        assert [a["outcome"] for a in again["attempt_log"]][3:] == ["retry", "retry", "failed"]
        assert (await client.post("/deliveries/dlv-nope/resend")).status_code == 404
        window = {"since": "2019-01-01T00:00:00Z"}
        response = await client.post(f"/subscriptions/{sub['id']}/resend", params=window)
        assert response.status_code == 202 and response.json() == {"resent": 1}
        assert (await client.post("/subscriptions/sub-nope/resend", params=window)).status_code == 404


async def test_an_event_type_notify_has_no_handler_for_is_dead_lettered_not_ignored(
    tmp_path: Path, nats_server: NatsServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delitem(HANDLERS, "commitment.fulfilled")
    monkeypatch.setattr(runner, "retry_delay", lambda attempt: 0.05)
    with WebhookReceiver() as hook:
        settings = settings_for(tmp_path, nats_server)
        async with jetstream(nats_server.url) as (_, js), running(settings) as client:
            await subscribe(client, channel="webhook", target=hook.url, commitment_id=AIV, since="2019-01-01")
            unhandled = fulfilled(AIV, "2021-12-03", "kst-004")
            await publish_event(js, unhandled)
            await publish_event(js, WORKED_EXAMPLE[0])

            [request] = await hook.wait_for_async(1)
            assert request.json()["event"]["id"] == WORKED_EXAMPLE[0].id
            health = await eventually(lambda: caught_up(client), what="applied sequence 2")
            assert health["applied_sequence"] == 2
            dlq = await js.stream_info(DEAD_LETTER_STREAM)
            assert dlq.state.messages == 1
            dead = await js.get_msg(DEAD_LETTER_STREAM, dlq.state.first_seq)
            assert dead.headers and dead.headers["Ptl-Original-Sequence"] == "1"
            assert "no handler for event type 'commitment.fulfilled'" in dead.headers["Ptl-Dead-Letter-Reason"]
            assert decode(dead.data).id == unhandled.id


async def recorded(client: httpx.AsyncClient, path: str) -> dict[str, Any]:
    """The one delivery at `path` once its outcome is recorded (not pending or sending any more)."""
    for _ in range(200):
        [delivery] = (await client.get(path)).json()
        if delivery["status"] not in ("pending", "sending"):
            return delivery
        await asyncio.sleep(0.05)
    raise AssertionError(f"the delivery at {path} was never recorded: {delivery}")
