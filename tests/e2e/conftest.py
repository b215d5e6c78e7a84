"""The whole system as a user runs it: real nats-server, the three services as processes, real SMTP/HTTP."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest

from services.ptl.cli import post_batch
from services.ptl.embedded import EmbeddedSystem, bearer, wait_settled
from tests.helpers.smtp_server import SmtpSink


@dataclass
class Running:
    system: EmbeddedSystem
    smtp: SmtpSink

    @property
    def admin(self) -> dict[str, str]:
        return bearer(self.system.api_key)

    def get(self, service: str, path: str, **params: Any) -> Any:
        """As an admin (the public timeline needs no key; notify's lists do)."""
        response = httpx.get(f"{self.system.url(service)}{path}", params=params, headers=self.admin, timeout=10)
        response.raise_for_status()
        return response.json()

    def ingest(self, files: list[Path], dates: dict | None = None) -> dict:
        return post_batch(self.system.url("ingest"), files, dates or {}, self.system.api_key)

    def settle(self) -> None:
        wait_settled(self.system.url("timeline"), self.system.url("notify"), self.system.api_key)

    def last_sequence(self) -> int:
        return int(self.get("timeline", "/health")["stream_last_sequence"])

    def ptl(self, *args: str) -> subprocess.CompletedProcess[str]:
        env = {**self.system.env(), "PTL_LOG_LEVEL": "WARNING"}
        return subprocess.run([sys.executable, "-m", "services.ptl.cli", *args], env=env, capture_output=True,
                              text=True, timeout=120, check=False)  # fmt: skip

    def subscribe(self, **body: Any) -> dict:
        """Subscribe as anyone would; an email subscription is then confirmed with the admin key."""
        notify = self.system.url("notify")
        response = httpx.post(f"{notify}/subscriptions", json=body, timeout=10)
        assert response.status_code == 201, response.text
        sub = response.json()
        if not sub["confirmed"]:
            confirmed = httpx.post(f"{notify}/subscriptions/{sub['id']}/confirm", headers=self.admin, timeout=10)
            assert confirmed.status_code == 200, confirmed.text
            sub |= {"confirmed": True, "backfilled": confirmed.json()["backfilled"]}
        return sub


def start_running(data_dir: Path, smtp: SmtpSink) -> EmbeddedSystem:
    os.environ.setdefault("PTL_LOG_LEVEL", "INFO")
    os.environ.setdefault("NOTIFY_WEBHOOK_ALLOWED_HOSTS", "127.0.0.1")  # the tests' local receivers
    return EmbeddedSystem(data_dir, smtp_port=smtp.port, preferred_ports=False).start()


@pytest.fixture
def running(tmp_path: Path) -> Iterator[Running]:
    with SmtpSink() as smtp:
        system = start_running(tmp_path / "data", smtp)
        try:
            yield Running(system, smtp)
        finally:
            system.stop()
