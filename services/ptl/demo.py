"""What `ptl up` does once everything runs: subscribe a demo mailbox, ingest the samples, report."""

from __future__ import annotations

import httpx
from rich.console import Console

from services.ptl.embedded import EmbeddedSystem, wait_settled

DEMO_MAILBOX = "demo@policy-timeline.local"


def ensure_demo_subscription(notify_url: str) -> None:
    existing = httpx.get(f"{notify_url}/subscriptions", timeout=10).json()
    if any(s.get("target") == DEMO_MAILBOX for s in existing):
        return
    response = httpx.post(
        f"{notify_url}/subscriptions",
        json={
            "channel": "email",
            "target": DEMO_MAILBOX,
            "event_types": ["commitment.deadline_passed"],
            "since": "2019-01-01",
        },
        timeout=10,
    )
    response.raise_for_status()


def run_demo(system: EmbeddedSystem, *, ingest_samples: bool, console: Console) -> None:
    from services.ptl.cli import SAMPLES, collect_files, post_batch, print_batch_report

    ensure_demo_subscription(system.url("notify"))
    if ingest_samples:
        print_batch_report(post_batch(system.url("ingest"), collect_files([SAMPLES]), {}))
    wait_settled(system.url("timeline"), system.url("notify"))
    print_summary(system, console)


def print_summary(system: EmbeddedSystem, console: Console) -> None:
    timeline, notify = system.url("timeline"), system.url("notify")
    docs = httpx.get(f"{timeline}/api/documents", timeout=10).json()
    commitments = httpx.get(f"{timeline}/api/commitments", params={"limit": 1000}, timeout=10).json()["items"]
    passed = httpx.get(f"{notify}/deadlines/passed", timeout=10).json()
    delivered = httpx.get(f"{notify}/deliveries", params={"status": "delivered"}, timeout=10).json()
    by_status = {s: sum(c["status"] == s for c in commitments) for s in ("open", "overdue", "fulfilled")}
    mails = sorted(system.mail_dir.glob("*.eml"))
    counts = ", ".join(f"{n} {s}" for s, n in by_status.items())
    console.print(f"""
[bold]policy-timeline is running[/bold]
  documents     {len(docs)} ({sum(d['date'] is None for d in docs)} undated)
  commitments   {len(commitments)}: {counts}
  deadlines     {len(passed)} passed unfulfilled
  alerts sent   {len(delivered)} (mails kept as files in {system.mail_dir.resolve()}: {len(mails)})

  timeline API  {timeline}/docs        e.g. {timeline}/api/motions/33694-43
  commitments   {timeline}/api/commitments?status=overdue
  ingest API    {system.url('ingest')}/docs
  notify API    {notify}/docs          subscriptions: POST {notify}/subscriptions
  NATS          {system.nats.url if system.nats else ''} (JetStream under {(system.data_dir / 'nats').resolve()})
  logs          {system.log_dir.resolve()}
""")  # fmt: skip
