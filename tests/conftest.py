"""Fixtures shared by the suite. Tests start their own nats-server on free ports; never the system one."""

from __future__ import annotations

import os
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import psycopg
import pytest
from sqlalchemy.engine import make_url

from services.common.natsserver import NatsServer

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "samples" / "letters"


@pytest.fixture
def nats_server(tmp_path: Path) -> Iterator[NatsServer]:
    server = NatsServer(tmp_path / "nats").start()
    try:
        yield server
    finally:
        server.stop()


POSTGRES_URL = os.environ.get("PTL_TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/test")


def _postgres_admin() -> psycopg.Connection | None:
    try:
        return psycopg.connect(POSTGRES_URL, autocommit=True, connect_timeout=3)
    except psycopg.OperationalError:
        return None


@pytest.fixture(params=["sqlite", "postgresql"])
def new_database(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Callable[[], str]]:
    """A factory of empty databases of one kind: the contract suites run against SQLite and PostgreSQL."""
    created: list[str] = []
    admin = None
    if request.param == "postgresql":
        admin = _postgres_admin()
        if admin is None:
            if os.environ.get("CI"):
                pytest.fail(f"PostgreSQL is not reachable at {POSTGRES_URL} (set PTL_TEST_POSTGRES_URL)")
            pytest.skip(f"PostgreSQL is not reachable at {POSTGRES_URL}")

    def make() -> str:
        name = f"ptl_test_{uuid.uuid4().hex[:12]}"
        created.append(name)
        if admin is None:
            return f"sqlite:///{tmp_path / name}.db"
        admin.execute(f'CREATE DATABASE "{name}"')
        return str(make_url(POSTGRES_URL).set(database=name))

    yield make
    if admin is not None:
        for name in created:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.close()


@pytest.fixture
def sample_letters() -> list[Path]:
    letters = sorted(SAMPLES.glob("*.txt"))
    assert len(letters) == 5, f"expected the five sample letters in {SAMPLES}"
    return letters


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "fault: kills services and nats-server mid-work (issue 9, item 7)")
