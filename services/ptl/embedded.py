"""`ptl up`: the whole system on one machine with no Docker and no preinstalled services.

Starts a real nats-server (JetStream on disk under the data folder), a local SMTP sink that keeps mails as
files, and the three services as their own processes; then ingests the sample letters and reports.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import httpx

from services.common.auth import KeyStore
from services.common.natsserver import NatsServer, NatsUser, free_port, service_users
from services.ptl.instance import Instance, remove_instance, write_instance

SERVICES = ("ingest", "timeline", "notify")
PREFERRED_PORTS = {"ingest": 8101, "timeline": 8102, "notify": 8103, "smtp": 8125, "nats": 4333}


def port_or_free(preferred: int) -> int:
    with socket.socket() as sock:
        try:
            sock.bind(("127.0.0.1", preferred))
        except OSError:
            return free_port()
    return preferred


@dataclass
class EmbeddedSystem:
    data_dir: Path
    smtp_port: int | None = None  # an SMTP server already running; None starts the local sink
    preferred_ports: bool = True  # False: free ports only (tests beside another instance on 8101...)
    nats: NatsServer | None = None
    ports: dict[str, int] = field(default_factory=dict)
    processes: dict[str, subprocess.Popen[bytes]] = field(default_factory=dict)
    started: bool = False
    nats_users: dict[str, NatsUser] = field(default_factory=service_users)
    api_key: str = ""  # an admin key `ptl up` makes for itself (the demo, the report, ptl commands)

    @property
    def mail_dir(self) -> Path:
        return self.data_dir / "mail"

    @property
    def log_dir(self) -> Path:
        return self.data_dir / "logs"

    def url(self, service: str) -> str:
        return f"http://127.0.0.1:{self.ports[service]}"

    @property
    def env_file(self) -> Path:
        """The operator's settings for `ptl` in another shell: `set -a; . .data/ptl.env; set +a`."""
        return self.data_dir / "ptl.env"

    def env(self, nats_user: str = "ptl") -> dict[str, str]:
        assert self.nats
        user = self.nats_users[nats_user]
        return {
            **os.environ,
            "NATS_URL": self.nats.url,
            "NATS_USER": user.name,
            "NATS_PASSWORD": user.password,
            "PTL_API_KEY": self.api_key,
            "NOTIFY_PUBLIC_URL": self.url("notify"),
            "PTL_DATA_DIR": str(self.data_dir.resolve()),
            "SMTP_HOST": "127.0.0.1",
            "SMTP_PORT": str(self.ports["smtp"]),
            "TIMELINE_PUBLIC_URL": self.url("timeline"),
            "INGEST_URL": self.url("ingest"),
            "NOTIFY_URL": self.url("notify"),
        }

    def start(self) -> EmbeddedSystem:
        self.data_dir.mkdir(parents=True, exist_ok=True)
        self.log_dir.mkdir(exist_ok=True)
        self.nats = NatsServer(self.data_dir / "nats", port=self.pick_port("nats"), users=self.nats_users).start()
        self.api_key = own_admin_key(self.data_dir)
        for name in ("smtp", *SERVICES):
            self.ports[name] = self.pick_port(name)
        self.write_env_file()
        if self.smtp_port:
            self.ports["smtp"] = self.smtp_port
        else:
            self.respawn("smtp")
        for service in SERVICES:
            self.start_service(service, wait=False)
        for service in SERVICES:
            wait_healthy(self.url(service), self.processes[service], self.log_dir / f"{service}.log")
        self.started = True
        self.record_instance()
        return self

    def pick_port(self, name: str) -> int:
        return port_or_free(PREFERRED_PORTS[name]) if self.preferred_ports else free_port()

    def start_service(self, service: str, wait: bool = True) -> None:
        self.respawn(service)
        if wait:
            wait_healthy(self.url(service), self.processes[service], self.log_dir / f"{service}.log")

    def restart_service(self, service: str) -> None:
        self.stop_service(service)
        self.start_service(service)

    def stop_service(self, service: str, sig: int = signal.SIGTERM) -> None:
        proc = self.processes.pop(service)
        proc.send_signal(sig)
        proc.wait(timeout=15)
        self.record_instance()

    def respawn(self, name: str) -> None:
        """Start a child (again): the SMTP sink or a service, on the port it had."""
        if name == "smtp":
            cmd = [sys.executable, "-m", "services.ptl.cli", "smtp-sink",
                   "--port", str(self.ports["smtp"]), "--dir", str(self.mail_dir)]  # fmt: skip
        else:
            cmd = service_command(name, self.ports[name])
        # Its own session: a Ctrl-C in the terminal reaches only `ptl up`, which stops the children in order.
        env = self.env(name if name in SERVICES else "ptl")  # each service as its own NATS user
        with (self.log_dir / f"{name}.log").open("ab") as log:  # the child keeps its own copy of the handle
            self.processes[name] = subprocess.Popen(
                cmd, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
            )
        self.record_instance()

    def record_instance(self) -> None:
        """Tell other `ptl` commands where this instance runs (rewritten as children restart)."""
        if not self.started or not self.nats:
            return
        pids = {name: proc.pid for name, proc in self.processes.items() if proc.poll() is None}
        if self.nats.process:
            pids["nats"] = self.nats.process.pid
        urls = {s: self.url(s) for s in SERVICES}
        folder = str(self.data_dir.resolve())
        write_instance(Instance(os.getpid(), folder, self.nats.url, urls, service_databases(self.data_dir), pids))

    def write_env_file(self) -> None:
        names = ("NATS_URL", "NATS_USER", "NATS_PASSWORD", "PTL_API_KEY", "PTL_DATA_DIR", "INGEST_URL", "NOTIFY_URL",
                 "TIMELINE_PUBLIC_URL")  # fmt: skip
        env = self.env()
        self.env_file.touch(mode=0o600)
        self.env_file.write_text("".join(f"{name}={env[name]}\n" for name in names))

    def stop(self) -> None:
        """Services first (notify finishes the deliveries it is sending), then the SMTP sink, then NATS."""
        self.started = False
        remove_instance(self.data_dir, os.getpid())
        for group in (SERVICES, ("smtp",)):
            running = [self.processes[n] for n in group if n in self.processes and self.processes[n].poll() is None]
            for proc in running:
                proc.terminate()
            for proc in running:
                try:
                    proc.wait(timeout=30)
                except subprocess.TimeoutExpired:
                    proc.kill()
                    proc.wait()
        self.processes.clear()
        if self.nats:
            self.nats.stop()


def service_databases(data_dir: Path) -> dict[str, str]:
    """The database each projection service uses under `data_dir` (the same settings the services read)."""
    from services.notify.settings import NotifySettings
    from services.timeline.settings import TimelineSettings

    folder = {"PTL_DATA_DIR": str(data_dir.resolve())}
    return {
        "timeline": TimelineSettings(**folder).resolved_database_url(),  # type: ignore[arg-type]
        "notify": NotifySettings(**folder).resolved_database_url(),  # type: ignore[arg-type]
    }


def own_admin_key(data_dir: Path) -> str:
    """A fresh admin key for this run of `ptl up`; the previous run's is revoked."""
    store = KeyStore(data_dir / "api-keys.json")
    for key in store.keys().values():
        if key.name == "ptl up" and key.revoked_at is None:
            store.revoke(key.id)
    return store.create(["admin"], "ptl up")[1]


def service_command(service: str, port: int) -> list[str]:
    return [sys.executable, "-m", "uvicorn", f"services.{service}.app:app",
            "--host", "127.0.0.1", "--port", str(port), "--no-access-log"]  # fmt: skip


def wait_healthy(base_url: str, process: subprocess.Popen[bytes] | None = None, log: Path | None = None,
                 timeout: float = 60.0) -> None:  # fmt: skip
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process is not None and process.poll() is not None:
            raise RuntimeError(f"{base_url}: the process exited with {process.returncode}; see {log}")
        try:
            if httpx.get(f"{base_url}/health", timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    raise RuntimeError(f"{base_url} did not become healthy within {timeout}s; see {log}")


def wait_settled(timeline_url: str, notify_url: str, api_key: str, timeout: float = 120.0) -> None:
    """Wait until both projections have applied the whole stream and no alert is pending, for a while.

    Notify publishes deadline_passed events after its checkpoint and acknowledges the event only then, so
    "caught up" is: every event applied and acknowledged (none unacknowledged), no delivery pending or being
    sent, and that holding for a few polls.
    """
    deadline = time.monotonic() + timeout
    quiet = 0
    while time.monotonic() < deadline:
        healths = [httpx.get(f"{url}/health", timeout=5).json() for url in (timeline_url, notify_url)]
        caught_up = all(h.get("lag") == 0 and h.get("unacknowledged") == 0 for h in healths)
        # "sending": the worker has claimed a delivery and not yet recorded its outcome (the mail is not written)
        unsettled = [
            d
            for status in ("pending", "sending")
            for d in httpx.get(
                f"{notify_url}/deliveries", params={"status": status}, headers=bearer(api_key), timeout=5
            ).json()
        ]
        quiet = quiet + 1 if caught_up and not unsettled else 0
        if quiet >= 5:
            return
        time.sleep(0.2)
    raise RuntimeError(f"the projections did not settle within {timeout}s")


def bearer(api_key: str | None) -> dict[str, str]:
    """The Authorization header for an API key or manage token (none without one)."""
    return {"authorization": f"Bearer {api_key}"} if api_key else {}
