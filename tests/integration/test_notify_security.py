"""Issue 8, notify's attacks, each against the app in this process: who may read and delete subscriptions, email
only where asked (double opt-in, one-click unsubscribe, limits), webhooks that cannot reach inside."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import httpx
import pytest

from services.common.auth import KeyStore
from services.common.nats import publish_event
from services.common.natsserver import NatsServer
from services.notify.adapters import egress
from services.notify.adapters.links import CONFIRM, BadLink, Links
from services.notify.app import create_app
from services.ptl.embedded import bearer
from tests.helpers.smtp_server import SmtpSink
from tests.helpers.webhook_receiver import WebhookReceiver
from tests.integration.test_notify_service import (
    AIV,
    WORKED_EXAMPLE,
    caught_up,
    eventually,
    jetstream,
    running,
    settings_for,
)

ALERTS_SINCE_2019 = {
    "channel": "email",
    "target": "staff@tweedekamer.test",
    "commitment_id": AIV,
    "event_types": ["commitment.deadline_passed"],
    "since": "2019-01-01",
}


def admin_of(settings: Any) -> dict[str, str]:
    return {"authorization": f"Bearer {KeyStore(settings.keys_file).create(['admin'])[1]}"}


async def test_only_admins_list_and_only_owners_read_or_delete(tmp_path: Path, nats_server: NatsServer) -> None:
    settings = settings_for(tmp_path, nats_server)
    async with running(settings, admin=False) as client:
        mine = (await client.post("/subscriptions", json={**ALERTS_SINCE_2019, "target": "a@example.org"})).json()
        theirs = (await client.post("/subscriptions", json={**ALERTS_SINCE_2019, "target": "b@example.org"})).json()
        # nobody without a credential lists, reads or deletes anything
        for method, path in [
            ("GET", "/subscriptions"),
            ("GET", "/deliveries"),
            ("GET", f"/subscriptions/{theirs['id']}"),
            ("GET", f"/subscriptions/{theirs['id']}/deliveries"),
            ("DELETE", f"/subscriptions/{theirs['id']}"),
            ("POST", f"/subscriptions/{theirs['id']}/confirm"),
        ]:
            assert (await client.request(method, path)).status_code == 401, (method, path)
        # a manage token opens its own subscription only; another's looks like no subscription at all
        own = bearer(mine["manage_token"])
        assert (await client.get(f"/subscriptions/{mine['id']}", headers=own)).json()["target"] == "a@example.org"
        assert (await client.get(f"/subscriptions/{theirs['id']}", headers=own)).status_code == 404
        assert (await client.delete(f"/subscriptions/{theirs['id']}", headers=own)).status_code == 404
        assert (await client.get("/subscriptions", headers=own)).status_code == 401
        # an ingest key is no admin key
        ingest = bearer(KeyStore(settings.keys_file).create(["ingest"])[1])
        assert (await client.get("/subscriptions", headers=ingest)).status_code == 403
        admin = admin_of(settings)
        assert {s["target"] for s in (await client.get("/subscriptions", headers=admin)).json()} == {
            "a@example.org",
            "b@example.org",
        }
        assert (await client.delete(f"/subscriptions/{mine['id']}", headers=own)).status_code == 204
        # a revoked key stops working at once
        store = KeyStore(settings.keys_file)
        key_id = admin["authorization"].removeprefix("Bearer ptl_").split("_")[0]
        assert store.revoke(key_id)
        assert (await client.get("/subscriptions", headers=admin)).status_code == 401


async def test_an_address_gets_nothing_until_its_owner_confirms_then_can_leave_in_one_click(
    tmp_path: Path, nats_server: NatsServer
) -> None:
    with SmtpSink() as smtp:
        settings = settings_for(tmp_path, nats_server, smtp)
        async with jetstream(nats_server.url) as (_, js), running(settings, admin=False) as client:
            for event in WORKED_EXAMPLE:
                await publish_event(js, event)
            await eventually(lambda: caught_up(client), what="the worked example applied")
            sub = (await client.post("/subscriptions", json=ALERTS_SINCE_2019)).json()
            assert (sub["confirmed"], sub["backfilled"], sub["confirmation"]) == (False, 0, "mailed")
            [confirmation] = await smtp.wait_for_async(1)
            assert await eventually(lambda: caught_up(client), what="idle") and len(smtp.messages) == 1  # no alert
            link = re.search(r"http://notify(/confirm\?token=\S+)", confirmation.text)
            assert link, confirmation.text
            # opening the link (a mail scanner does) only shows a button; pressing it confirms and backfills
            page = await client.get(link.group(1))
            assert page.status_code == 200 and "<form method=post" in page.text
            assert not (await client.get(f"/subscriptions/{sub['id']}", headers=bearer(sub["manage_token"]))).json()[
                "confirmed"
            ]
            confirmed = (await client.post(link.group(1))).json()
            assert confirmed == {"subscription_id": sub["id"], "confirmed": True, "backfilled": 2}
            assert (await client.post(link.group(1))).json()["backfilled"] == 0  # a second click changes nothing
            alerts = (await smtp.wait_for_async(3))[1:]
            for mail in alerts:
                message = mail.message
                assert message["Date"] and message["Message-ID"]
                assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
                unsubscribe = message["List-Unsubscribe"].strip("<>")
                assert f"Unsubscribe: {unsubscribe}" in mail.text
            # RFC 8058: the mail client POSTs the header's URL, no login
            path = unsubscribe.removeprefix("http://notify")
            answer = await client.post(path, content=b"List-Unsubscribe=One-Click")
            assert answer.json() == {"subscription_id": sub["id"], "active": False}
            owner = bearer(sub["manage_token"])
            assert (await client.get(f"/subscriptions/{sub['id']}", headers=owner)).json()["active"] is False
            # a forged or mangled link does nothing
            assert (await client.post("/unsubscribe", params={"token": sub["id"]})).status_code == 400
            assert (await client.post("/confirm", params={"token": path.split("token=")[1]})).status_code == 400


def test_confirmation_links_expire_and_are_bound_to_their_purpose() -> None:
    links = Links("k" * 32, "http://notify", confirm_seconds=3600)
    token = links.token(CONFIRM, "sub-1")
    assert links.subscription_id(CONFIRM, token) == "sub-1"
    with pytest.raises(BadLink):
        links.subscription_id("unsubscribe", token)
    with pytest.raises(BadLink):
        Links("k" * 32, "http://notify", confirm_seconds=-1).subscription_id(CONFIRM, token)
    with pytest.raises(BadLink):
        Links("other" * 8, "http://notify", confirm_seconds=3600).subscription_id(CONFIRM, token)


async def test_mails_per_address_and_subscriptions_per_client_are_limited(
    tmp_path: Path, nats_server: NatsServer
) -> None:
    """The issue's one POST that sent 257 mails to an address that never asked: now one confirmation mail, and
    at most three a day to one address."""
    with SmtpSink() as smtp:
        settings = settings_for(tmp_path, nats_server, smtp).model_copy(update={"max_per_client_per_hour": 5})
        async with running(settings, admin=False) as client:
            answers = [(await client.post("/subscriptions", json=ALERTS_SINCE_2019)).status_code for _ in range(4)]
            assert answers == [201, 201, 201, 429]
            await smtp.wait_for_async(3)
            assert len(smtp.messages) == 3
            hooks = [
                (await client.post("/subscriptions", json={"channel": "webhook", "target": f"http://127.0.0.1/{n}"}))
                for n in range(3)
            ]
            assert [r.status_code for r in hooks] == [201, 201, 429]  # five from this client in the hour
            assert "too many" in hooks[-1].json()["detail"]
            # an admin is not held to the limits
            assert (await client.post("/subscriptions", json=ALERTS_SINCE_2019, headers=admin_of(settings))).is_success


async def test_unconfirmed_subscriptions_expire(tmp_path: Path, nats_server: NatsServer) -> None:
    from services.notify.entrypoints.subscriptions import expire

    settings = settings_for(tmp_path, nats_server).model_copy(update={"confirm_hours": 1e-6})
    async with running(settings) as client:
        sub = (await client.post("/subscriptions", json=ALERTS_SINCE_2019)).json()
        transactions = client._transport.app.state.notify.transactions  # type: ignore[attr-defined]
        with transactions() as repo:
            assert expire(repo, settings.confirm_hours) == 1
        assert (await client.get(f"/subscriptions/{sub['id']}")).json()["active"] is False


INSIDE = [
    "http://127.0.0.1/hook",
    "http://169.254.169.254/latest/meta-data/",
    "http://10.0.0.1/",
    "http://100.64.0.1/",  # CGNAT
    "http://224.0.0.1/",  # multicast
    "http://[::1]/",
    "http://[::ffff:10.0.0.1]/",  # IPv4-mapped
    "http://[fd00::1]/",  # unique local
    "http://[fe80::1]/",  # link-local
    "http://0.0.0.0/",
    "http://localhost/",  # a name that resolves inside
    "http://93.184.215.14:8101/api/batches",  # a public address on an unusual port
    "ftp://93.184.215.14/",
    "http://user:pw@93.184.215.14/",
]


async def test_webhooks_to_inside_addresses_are_refused(tmp_path: Path, nats_server: NatsServer) -> None:
    settings = settings_for(tmp_path, nats_server).model_copy(update={"webhook_allowed_hosts": ""})
    async with running(settings) as client:
        for target in INSIDE:
            response = await client.post("/subscriptions", json={"channel": "webhook", "target": target})
            assert response.status_code == 422, (target, response.text)
            body = response.json()
            assert body["errors"][0]["field"] == "target" and "target" in body["detail"], body


async def test_a_name_that_resolves_inside_at_connect_time_is_refused_then(monkeypatch: pytest.MonkeyPatch) -> None:
    """DNS rebinding: the name was public when the subscription was made, and points inside when notify sends."""
    with WebhookReceiver() as hook:
        client = egress.public_client(allowed_hosts=(), timeout=5)
        async with client:
            with pytest.raises(httpx.ConnectError, match=f"^{egress.REFUSED}"):
                await client.post(f"http://localhost:{hook.port}/hook", content=b"{}")
        assert hook.requests == []
        assert client.follow_redirects is False


async def test_the_delivery_log_names_no_internal_detail(tmp_path: Path, nats_server: NatsServer) -> None:
    """A closed port and an open one must read the same to a subscriber: no errno, no port, no receiver body."""
    settings = settings_for(tmp_path, nats_server).model_copy(update={"delivery_max_attempts": 1})
    async with jetstream(nats_server.url) as (_, js), running(settings, admin=False) as client:
        sub = (
            await client.post(
                "/subscriptions",
                json={
                    "channel": "webhook",
                    "target": "http://127.0.0.1:9/hook",
                    "commitment_id": AIV,
                    "since": "2019-01-01",
                },
            )
        ).json()
        await publish_event(js, WORKED_EXAMPLE[0])

        async def failed() -> list[dict[str, Any]]:
            rows = (
                await client.get(f"/subscriptions/{sub['id']}/deliveries", headers=bearer(sub["manage_token"]))
            ).json()
            return rows if rows and rows[0]["status"] == "failed" else []

        [delivery] = await eventually(failed, what="a failed delivery")
        assert delivery["last_error"] == "connection failed"
        assert [a["error"] for a in delivery["attempt_log"]] == ["connection failed"]


async def test_bodies_over_the_limit_are_refused(tmp_path: Path, nats_server: NatsServer) -> None:
    app = create_app(settings_for(tmp_path, nats_server))  # refused before any route runs: no lifespan needed
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://notify") as client:
        big = b'{"target": "' + b"x" * 100_000 + b'"}'
        response = await client.post("/subscriptions", content=big, headers={"content-type": "application/json"})
        assert response.status_code == 413
