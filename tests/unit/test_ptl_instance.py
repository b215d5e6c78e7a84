"""The instance file `ptl up` leaves in its data folder: found while its owner lives, ignored once it is gone."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from services.ptl.instance import (
    Instance,
    environment_defaults,
    live_database_user,
    remove_instance,
    running_instance,
    same_database,
    write_instance,
)


def instance(data_dir: Path, pid: int, service_pid: int) -> Instance:
    return Instance(
        pid=pid,
        data_dir=str(data_dir),
        nats_url="nats://127.0.0.1:40001",
        urls={s: f"http://127.0.0.1:{port}" for s, port in (("ingest", 40101), ("timeline", 40102), ("notify", 40103))},
        databases={"timeline": f"sqlite:///{data_dir / 'timeline.db'}"},
        pids={"timeline": service_pid},
    )


def dead_pid() -> int:
    proc = subprocess.Popen([sys.executable, "-c", "pass"])
    proc.wait()
    return proc.pid


def test_a_live_instance_is_found_and_a_stale_one_ignored(tmp_path: Path) -> None:
    write_instance(instance(tmp_path, os.getpid(), os.getpid()))
    found = running_instance(tmp_path)
    assert found is not None and found.env()["NATS_URL"] == "nats://127.0.0.1:40001"
    assert found.env()["INGEST_URL"] == "http://127.0.0.1:40101"

    write_instance(instance(tmp_path, dead_pid(), os.getpid()))  # `ptl up` was SIGKILLed: the file stayed
    assert running_instance(tmp_path) is None
    assert running_instance(tmp_path / "elsewhere") is None


def test_settings_given_explicitly_win_over_the_instance(tmp_path: Path) -> None:
    found = instance(tmp_path, os.getpid(), os.getpid())
    defaults = environment_defaults(found, {"NATS_URL": "nats://10.0.0.1:4222"})
    assert "NATS_URL" not in defaults
    assert defaults["TIMELINE_PUBLIC_URL"] == "http://127.0.0.1:40102"


def test_only_its_owner_removes_the_file(tmp_path: Path) -> None:
    write_instance(instance(tmp_path, os.getpid(), os.getpid()))
    remove_instance(tmp_path, os.getpid() + 1)
    assert running_instance(tmp_path) is not None
    remove_instance(tmp_path, os.getpid())
    assert running_instance(tmp_path) is None


def test_the_database_of_a_running_service_is_named(tmp_path: Path) -> None:
    write_instance(instance(tmp_path, os.getpid(), os.getpid()))
    same_file = f"sqlite:///{tmp_path / 'sub' / '..' / 'timeline.db'}"
    assert live_database_user(tmp_path, "timeline", same_file)
    assert live_database_user(tmp_path, "timeline", f"sqlite:///{tmp_path / 'other.db'}") is None
    assert live_database_user(tmp_path, "notify", same_file) is None

    write_instance(instance(tmp_path, os.getpid(), dead_pid()))  # the service itself is stopped
    assert live_database_user(tmp_path, "timeline", same_file) is None


def test_database_urls_compare_by_what_they_name() -> None:
    assert same_database("postgresql://a@db:5432/x", "postgresql+psycopg://b:secret@db/x")
    assert not same_database("postgresql://db/x", "postgresql://db/y")
    assert not same_database("sqlite:///x.db", "postgresql://db/x.db")
