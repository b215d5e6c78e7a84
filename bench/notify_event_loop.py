"""How long notify's event loop is blocked while its API reads the delivery log.

Run: .venv/bin/python bench/notify_event_loop.py [--deliveries 20000] [--requests 40] [--concurrency 1 8] [--runs 3]

Starts a real nats-server and the notify app in-process (its lifespan: broker, consumer, worker), fills the
delivery log with delivered rows, then sends concurrent GET /deliveries?limit=1000 and GET /health while a
heartbeat task sleeps 1 ms in a loop. A heartbeat that wakes late measures how long something held the loop:
synchronous SQL on the loop shows as stalls as long as a query; database work in threads leaves the loop free
for the broker's acks and the other requests. Prints the heartbeat's worst and 99th-percentile lateness, the
median over the runs (other processes on the machine delay the heartbeat too: compare medians, not one run).

Measured on the 2-core dev machine (other jobs running), --runs 5, heartbeat lateness p99:
  requests at once   before (SQL and JSON on the loop)   after (one transaction + JSON in a thread)
  1                  76.0 ms                             8.0 ms
  8                  236.6 ms                            88.9 ms
With 8 at once the threads' Python work still competes with the loop for the GIL.
"""

from __future__ import annotations

import argparse
import asyncio
import sqlite3
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # run as a script from anywhere

from services.common.auth import KeyStore  # noqa: E402
from services.common.natsserver import NatsServer  # noqa: E402
from services.notify.app import create_app  # noqa: E402
from services.notify.settings import NotifySettings  # noqa: E402


def fill(db: Path, deliveries: int) -> None:
    """Delivered rows straight into the tables (by their names, which do not depend on the code's layout)."""
    at = datetime.now(UTC).replace(tzinfo=None).isoformat(sep=" ")
    with sqlite3.connect(db) as conn:
        conn.execute(
            "INSERT INTO subscriptions (id, channel, target, since, active, created_at) VALUES (?,?,?,?,?,?)",
            ("sub-bench", "email", "bench@example.org", at, True, at),
        )
        conn.executemany(
            "INSERT INTO deliveries (id, subscription_id, event_id, event_type, summary, context, envelope, status,"
            " attempts, next_attempt_at, created_at, delivered_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
            [row(n, at) for n in range(deliveries)],
        )


def row(n: int, at: str) -> tuple[object, ...]:
    summary = f"summary {n} " + "x" * 100
    return (f"dlv-{n}", "sub-bench", f"ev-{n}", "commitment.made", summary, "{}", "{}", "delivered", 1, at, at, at)


async def heartbeat(lateness: list[float], stop: asyncio.Event) -> None:
    while not stop.is_set():
        started = time.perf_counter()
        await asyncio.sleep(0.001)
        lateness.append(time.perf_counter() - started - 0.001)


def admin_key(settings: NotifySettings) -> dict[str, str]:
    """The delivery log is an admin's to read."""
    return {"authorization": f"Bearer {KeyStore(settings.keys_file).create(['admin'], 'bench')[1]}"}


async def measure(settings: NotifySettings, requests: int, concurrency: int) -> tuple[float, float, float]:
    app = create_app(settings)
    async with (
        app.router.lifespan_context(app),
        httpx.AsyncClient(
            transport=httpx.ASGITransport(app=app), base_url="http://notify", timeout=60, headers=admin_key(settings)
        ) as client,
    ):
        await client.get("/deliveries", params={"limit": 1000})  # warm up
        lateness: list[float] = []
        stop = asyncio.Event()
        beat = asyncio.create_task(heartbeat(lateness, stop))
        gate = asyncio.Semaphore(concurrency)

        async def one(n: int) -> None:
            async with gate:
                path = "/health" if n % 4 == 3 else "/deliveries"
                response = await client.get(path, params={"limit": 1000} if path == "/deliveries" else None)
                response.raise_for_status()

        started = time.perf_counter()
        await asyncio.gather(*(one(n) for n in range(requests)))
        elapsed = time.perf_counter() - started
        stop.set()
        await beat
    worst = max(lateness)
    p99 = statistics.quantiles(lateness, n=100, method="inclusive")[98]
    return worst * 1000, p99 * 1000, elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--deliveries", type=int, default=20000)
    parser.add_argument("--requests", type=int, default=40)
    parser.add_argument("--concurrency", type=int, nargs="+", default=[1, 8])
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        nats = NatsServer(Path(tmp) / "nats").start()
        try:
            db = Path(tmp) / "notify.db"
            settings = NotifySettings(
                NATS_URL=nats.url, PTL_DATA_DIR=tmp, PTL_LOG_LEVEL="WARNING", NOTIFY_DATABASE_URL=f"sqlite:///{db}"
            )
            asyncio.run(measure(settings, 1, 1))  # creates the tables
            fill(db, args.deliveries)
            for concurrency in args.concurrency:
                runs = [asyncio.run(measure(settings, args.requests, concurrency)) for _ in range(args.runs)]
                rows.append((concurrency, *(statistics.median(column) for column in zip(*runs, strict=True))))
        finally:
            nats.stop()
    print(f"{args.requests} requests (3 in 4 read 1000 of {args.deliveries} deliveries), median of {args.runs} runs:")
    print("| requests at once | heartbeat lateness, worst | p99 | wall time |")
    print("|---|---|---|---|")
    for concurrency, worst, p99, elapsed in rows:
        print(f"| {concurrency} | {worst:.1f} ms | {p99:.1f} ms | {elapsed:.2f} s |")


if __name__ == "__main__":
    main()
