"""Fixtures shared by the suite. Tests start their own nats-server on free ports; never the system one."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

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


@pytest.fixture
def sample_letters() -> list[Path]:
    letters = sorted(SAMPLES.glob("*.txt"))
    assert len(letters) == 5, f"expected the five sample letters in {SAMPLES}"
    return letters
