"""The running instance of `ptl up`, as a small file in its data folder, so other `ptl` commands find it.

`ptl up` picks free ports when the preferred ones are taken; without this file `ptl ingest`, `ptl status` or
`ptl replay` would talk to the defaults (NATS on 4222, ...) and miss the instance, or hit another one. The file
is written once everything listens and removed on a clean stop; a file whose `ptl up` process is dead (a
SIGKILL, a power cut) is stale and ignored.
"""

from __future__ import annotations

import json
import os
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from pathlib import Path

from sqlalchemy.engine import make_url

INSTANCE_FILE = "instance.json"


@dataclass(frozen=True)
class Instance:
    pid: int  # the `ptl up` process
    data_dir: str  # absolute
    nats_url: str
    urls: dict[str, str]  # service name -> base URL
    databases: dict[str, str] = field(default_factory=dict)  # service name -> database URL
    pids: dict[str, int] = field(default_factory=dict)  # child name (nats, smtp, services) -> pid

    def env(self) -> dict[str, str]:
        """The environment variables the `ptl` commands and the settings classes read."""
        return {
            "NATS_URL": self.nats_url,
            "PTL_DATA_DIR": self.data_dir,
            "INGEST_URL": self.urls["ingest"],
            "TIMELINE_PUBLIC_URL": self.urls["timeline"],
            "NOTIFY_URL": self.urls["notify"],
        }


def instance_path(data_dir: Path) -> Path:
    return data_dir / INSTANCE_FILE


def pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # exists, owned by someone else
    status = Path(f"/proc/{pid}/status")
    return not (status.exists() and "zombie" in status.read_text())


def write_instance(instance: Instance) -> Path:
    path = instance_path(Path(instance.data_dir))
    partial = path.with_suffix(".tmp")
    partial.write_text(json.dumps(asdict(instance), indent=2))
    partial.replace(path)  # a reader never sees half a file
    return path


def remove_instance(data_dir: Path, pid: int) -> None:
    """Remove the file if it is still ours (another `ptl up` may have taken the folder over since)."""
    found = read_instance(data_dir)
    if found is not None and found.pid == pid:
        instance_path(data_dir).unlink(missing_ok=True)


def read_instance(data_dir: Path) -> Instance | None:
    try:
        raw = json.loads(instance_path(data_dir).read_text())
        return Instance(**raw)
    except (OSError, ValueError, TypeError):
        return None


def running_instance(data_dir: Path) -> Instance | None:
    """The live instance using `data_dir`, or None (no file, unreadable, or its `ptl up` is gone)."""
    found = read_instance(data_dir)
    return found if found is not None and pid_alive(found.pid) else None


def environment_defaults(instance: Instance, explicit: Mapping[str, str]) -> dict[str, str]:
    """The instance's values for the variables not set explicitly (environment or .env): settings win."""
    return {name: value for name, value in instance.env().items() if name not in explicit}


def same_database(a: str, b: str) -> bool:
    """Two database URLs naming the same database (SQLite by resolved file, others by host, port and name)."""
    left, right = make_url(a), make_url(b)
    if left.get_backend_name() != right.get_backend_name():
        return False
    if left.get_backend_name() == "sqlite":
        return Path(left.database or "").resolve() == Path(right.database or "").resolve()
    return (left.host, left.port or 5432, left.database) == (right.host, right.port or 5432, right.database)


def live_database_user(data_dir: Path, service: str, database_url: str) -> str | None:
    """Names the running service of the instance in `data_dir` that uses `database_url`, if one does."""
    instance = running_instance(data_dir)
    if instance is None:
        return None
    pid = instance.pids.get(service)
    used = instance.databases.get(service)
    if pid and used and pid_alive(pid) and same_database(used, database_url):
        return f"the {service} service of the running instance (pid {pid})"
    return None
