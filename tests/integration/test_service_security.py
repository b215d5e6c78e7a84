"""Issue 8 beyond notify: ingest takes documents only from operators, and bounds them while they stream in;
the timeline's query bounds answer 422 in the documented schema; NATS admits only its users, each within its
permissions."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from pathlib import Path

import nats
import pytest
from fastapi.testclient import TestClient
from nats.errors import NoServersError
from nats.errors import TimeoutError as NatsTimeout

from services.common.auth import KeyStore
from services.common.natsserver import NatsServer, service_users
from services.common.settings import with_credentials
from services.ingest.app import create_app as create_ingest
from services.ingest.domain.readers import MAX_DOCUMENT_BYTES
from services.ingest.settings import IngestSettings
from services.timeline.app import create_app as create_timeline
from services.timeline.bootstrap import make_projection
from services.timeline.settings import TimelineSettings


def test_uploads_need_an_ingest_key_and_stop_at_the_limit_while_streaming(tmp_path: Path) -> None:
    settings = IngestSettings(PTL_DATA_DIR=str(tmp_path))
    client = TestClient(create_ingest(settings))  # no lifespan: every answer here comes before the pipeline
    assert client.post("/api/documents", params={"name": "a.txt"}, content=b"x").status_code == 401
    assert client.post("/api/batches", files=[("files", ("a.txt", b"x"))]).status_code == 401
    assert client.get("/api/documents").status_code == 401
    store = KeyStore(settings.keys_file)
    key = {"authorization": f"Bearer {store.create(['ingest'])[1]}"}

    def chunks() -> Iterator[bytes]:  # a chunked stream: no content-length to check first
        for _ in range(MAX_DOCUMENT_BYTES // 2**20 + 40):
            yield b"x" * 2**20

    response = client.post("/api/documents", params={"name": "big.txt"}, content=chunks(), headers=key)
    assert response.status_code == 413
    # no key: refused by the middleware, before FastAPI would parse (and spool) the form
    multipart = {"content-type": "multipart/form-data; boundary=x"}
    assert client.post("/api/batches", content=chunks(), headers=multipart).status_code == 401
    forged = {"authorization": key["authorization"][:-2] + "xx"}
    assert client.post("/api/documents", params={"name": "a.txt"}, content=b"x", headers=forged).status_code == 401
    assert KeyStore(settings.keys_file).keys() and "secret" not in settings.keys_file.read_text()


def test_out_of_range_queries_answer_422_in_the_documented_schema(tmp_path: Path) -> None:
    app = create_timeline(TimelineSettings(PTL_DATA_DIR=str(tmp_path)))
    app.state.engine = make_projection(f"sqlite:///{tmp_path / 'timeline.db'}").engine  # the projection, no broker
    client = TestClient(app)
    documented = client.get("/openapi.json").json()["components"]["schemas"]["HTTPValidationError"]
    for params in ({"offset": "9223372036854775808"}, {"offset": "-1"}, {"limit": "100000"}):
        response = client.get("/api/commitments", params=params)
        assert response.status_code == 422, (params, response.text)
        body = response.json()
        assert set(body) <= set(documented["properties"]) and isinstance(body["detail"], str)
        assert all(set(e) == {"field", "message"} for e in body["errors"])


@pytest.fixture
def guarded_nats(tmp_path: Path) -> Iterator[tuple[NatsServer, dict]]:
    users = service_users()
    server = NatsServer(tmp_path / "nats", users=users).start()
    try:
        yield server, users
    finally:
        server.stop()


async def test_nats_admits_only_its_users_each_within_its_permissions(guarded_nats: tuple[NatsServer, dict]) -> None:
    server, users = guarded_nats
    with pytest.raises((NoServersError, nats.errors.Error, OSError)):
        await nats.connect(server.url, allow_reconnect=False, connect_timeout=2, max_reconnect_attempts=0)
    errors: list[Exception] = []

    async def on_error(exc: Exception) -> None:
        errors.append(exc)

    def url(user: str) -> str:
        return with_credentials(server.url, user, users[user].password)

    operator = await nats.connect(url("ptl"))
    from services.common.nats import ensure_streams

    await ensure_streams(operator.jetstream())
    notify = await nats.connect(url("notify"), error_cb=on_error)
    js = notify.jetstream()
    await js.publish("policy.commitment.c-1", b"{}")  # its own deadline events
    with pytest.raises((NatsTimeout, nats.errors.Error)):
        await js.publish("policy.document.doc-1", b"{}", timeout=1)  # not notify's to say
    ingest = await nats.connect(url("ingest"), error_cb=on_error)
    await ingest.subscribe("policy.>")  # reading the stream's subjects directly is no service's right
    await ingest.flush()
    await asyncio.sleep(0.3)
    assert any("permissions violation" in str(e).lower() for e in errors), errors
    for nc in (operator, notify, ingest):
        await nc.close()
