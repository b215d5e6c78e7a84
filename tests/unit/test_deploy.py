"""docker-compose.yml cannot be run here (no Docker engine): check that it parses and is wired right."""

from __future__ import annotations

import re
from pathlib import Path

import yaml

from services.common.natsserver import SERVICE_PERMISSIONS
from tests.conftest import ROOT


def compose() -> dict:
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text())


def test_compose_has_the_three_services_on_a_nats_cluster_and_postgres() -> None:
    services = compose()["services"]
    assert {"ingest", "timeline", "notify", "postgres", "mail", "nats-1", "nats-2", "nats-3"} <= set(services)
    for name in ("ingest", "timeline", "notify"):
        svc = services[name]
        assert svc["command"][:3] == ["ptl", "serve", name]
        env = svc["environment"]
        assert env["NATS_URL"].count("nats://") == 3
        assert env["PTL_STREAM_REPLICAS"] == "3"
        db_key = f"{name.upper()}_DATABASE_URL"
        assert env[db_key].startswith("postgresql://") and env[db_key].endswith(f"/{name}")
        assert Path(ROOT / svc["build"]["dockerfile"]).exists()
    assert services["notify"]["environment"]["SMTP_HOST"] == "mail"


def test_every_nats_node_runs_jetstream_in_one_cluster_with_routes_to_the_others() -> None:
    services = compose()["services"]
    for index in (1, 2, 3):
        cmd = services[f"nats-{index}"]["command"]
        assert "-js" in cmd and cmd[cmd.index("--cluster_name") + 1] == "policy"
        routes = cmd[cmd.index("--routes") + 1]
        assert f"nats-{index}:" not in routes and routes.count("nats://") == 2


def test_postgres_init_creates_one_database_per_service() -> None:
    sql = (ROOT / "deploy" / "postgres" / "init.sql").read_text()
    for name in ("ingest", "timeline", "notify"):
        assert f"CREATE DATABASE {name};" in sql


def test_nats_runs_with_one_user_per_service_holding_the_embedded_permissions() -> None:
    services = compose()["services"]
    conf = (ROOT / "deploy" / "nats" / "auth.conf").read_text()
    for index in (1, 2, 3):
        node = services[f"nats-{index}"]
        assert node["command"][:2] == ["-c", "/etc/nats/auth.conf"]
        assert "./deploy/nats/auth.conf:/etc/nats/auth.conf:ro" in node["volumes"]
    users = dict(re.findall(r"\{user: (\w+), password: \$(\w+)", conf))
    assert set(users) == set(SERVICE_PERMISSIONS)
    for name, allowed in SERVICE_PERMISSIONS.items():
        entry = conf[conf.index(f"user: {name},") :].split("\n    {user", 1)[0]
        if allowed is not None:
            assert re.search(r"publish: \{allow: (\[.*\])\}", entry)[1] == str(allowed).replace("'", '"')
        assert users[name] in services["nats-1"]["environment"]
    for name in ("ingest", "timeline", "notify"):
        env = services[name]["environment"]
        assert env["NATS_USER"] == name and env["NATS_PASSWORD"] == f"${{{users[name]}:?see README, Credentials}}"
        assert env["PTL_API_KEYS_FILE"] == "/keys/api-keys.json" and "keys:/keys" in services[name]["volumes"]
