"""A real HTTP server on a free loopback port that records webhook requests.

It runs its own event loop in a thread, so sync tests, async tests and services in subprocesses can all
post to it. `fail_first=N` answers the first N requests with `fail_status` (default 500).
"""

from __future__ import annotations

import asyncio
import json
import threading
import time
from dataclasses import dataclass
from typing import Any

from services.common.natsserver import free_port

REASONS = {200: "OK", 204: "No Content", 400: "Bad Request", 500: "Internal Server Error", 503: "Unavailable"}


@dataclass(frozen=True)
class ReceivedRequest:
    method: str
    path: str
    headers: dict[str, str]  # lower-case names
    body: bytes
    answered: int  # the status code we replied with

    def json(self) -> Any:
        return json.loads(self.body)


class WebhookReceiver:
    def __init__(self, fail_first: int = 0, fail_status: int = 500, path: str = "/hook") -> None:
        self.fail_first = fail_first
        self.fail_status = fail_status
        self.path = path
        self.port = free_port()
        self._requests: list[ReceivedRequest] = []
        self._lock = threading.Lock()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._server: asyncio.Server | None = None
        self._thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}{self.path}"

    @property
    def requests(self) -> list[ReceivedRequest]:
        with self._lock:
            return list(self._requests)

    def delivered(self) -> list[ReceivedRequest]:
        """The requests answered with 2xx."""
        return [r for r in self.requests if 200 <= r.answered < 300]

    def start(self) -> WebhookReceiver:
        ready = threading.Event()

        def run() -> None:
            self._loop = asyncio.new_event_loop()
            self._server = self._loop.run_until_complete(asyncio.start_server(self._handle, "127.0.0.1", self.port))
            ready.set()
            self._loop.run_forever()
            self._server.close()
            self._loop.run_until_complete(self._server.wait_closed())
            self._loop.close()

        self._thread = threading.Thread(target=run, name=f"webhook-receiver-{self.port}", daemon=True)
        self._thread.start()
        if not ready.wait(10):
            raise RuntimeError("webhook receiver did not start")
        return self

    def stop(self) -> None:
        if self._loop and self._thread:
            self._loop.call_soon_threadsafe(self._loop.stop)
            self._thread.join(10)
        self._thread = None

    def __enter__(self) -> WebhookReceiver:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def wait_for(self, count: int, timeout: float = 10.0, delivered: bool = True) -> list[ReceivedRequest]:
        """Block until `count` requests (2xx-answered by default) arrived; raise on timeout."""
        deadline = time.monotonic() + timeout
        while True:
            got = self.delivered() if delivered else self.requests
            if len(got) >= count:
                return got
            if time.monotonic() > deadline:
                raise TimeoutError(f"{len(got)} of {count} webhook requests after {timeout}s: {got}")
            time.sleep(0.02)

    async def wait_for_async(self, count: int, timeout: float = 10.0, delivered: bool = True) -> list[ReceivedRequest]:
        deadline = time.monotonic() + timeout
        while True:
            got = self.delivered() if delivered else self.requests
            if len(got) >= count:
                return got
            if time.monotonic() > deadline:
                raise TimeoutError(f"{len(got)} of {count} webhook requests after {timeout}s: {got}")
            await asyncio.sleep(0.02)

    async def _handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            request_line = (await reader.readline()).decode("latin-1").strip()
            if not request_line:
                return
            method, target, _ = request_line.split(" ", 2)
            headers: dict[str, str] = {}
            while (line := (await reader.readline()).decode("latin-1").strip()) != "":
                name, _, value = line.partition(":")
                headers[name.strip().lower()] = value.strip()
            length = int(headers.get("content-length", "0"))
            body = await reader.readexactly(length) if length else b""
            with self._lock:
                status = self.fail_status if len(self._requests) < self.fail_first else 200
                self._requests.append(ReceivedRequest(method, target, headers, body, status))
            reply = b'{"ok":true}' if status < 300 else b'{"ok":false}'
            writer.write(
                f"HTTP/1.1 {status} {REASONS.get(status, 'Status')}\r\n"
                f"Content-Type: application/json\r\nContent-Length: {len(reply)}\r\nConnection: close\r\n\r\n".encode()
                + reply
            )
            await writer.drain()
        except (asyncio.IncompleteReadError, ConnectionError, ValueError):
            pass
        finally:
            writer.close()
