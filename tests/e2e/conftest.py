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
from services.ptl.embedded import EmbeddedSystem, wait_settled
from tests.helpers.smtp_server import SmtpSink


@dataclass
class Running:
    system: EmbeddedSystem
    smtp: SmtpSink

    def get(self, service: str, path: str, **params: Any) -> Any:
        response = httpx.get(f"{self.system.url(service)}{path}", params=params, timeout=10)
        response.raise_for_status()
        return response.json()

    def ingest(self, files: list[Path], dates: dict | None = None) -> dict:
        return post_batch(self.system.url("ingest"), files, dates or {})

    def settle(self) -> None:
        wait_settled(self.system.url("timeline"), self.system.url("notify"))

    def last_sequence(self) -> int:
        return int(self.get("timeline", "/health")["stream_last_sequence"])

    def ptl(self, *args: str) -> subprocess.CompletedProcess[str]:
        env = {**self.system.env(), "PTL_LOG_LEVEL": "WARNING"}
        return subprocess.run([sys.executable, "-m", "services.ptl.cli", *args], env=env, capture_output=True,
                              text=True, timeout=120, check=False)  # fmt: skip

    def subscribe(self, **body: Any) -> dict:
        response = httpx.post(f"{self.system.url('notify')}/subscriptions", json=body, timeout=10)
        assert response.status_code == 201, response.text
        return response.json()


def start_running(data_dir: Path, smtp: SmtpSink) -> EmbeddedSystem:
    os.environ.setdefault("PTL_LOG_LEVEL", "INFO")
    return EmbeddedSystem(data_dir, smtp_port=smtp.port, preferred_ports=False).start()


@pytest.fixture
def running(tmp_path: Path) -> Iterator[Running]:
    with SmtpSink() as smtp:
        system = start_running(tmp_path / "data", smtp)
        try:
            yield Running(system, smtp)
        finally:
            system.stop()
