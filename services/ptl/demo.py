"""What `ptl up` does once everything runs: subscribe a demo mailbox, ingest the samples, report.

The demo mailbox is confirmed the way a subscriber would: the confirmation mail is read from the SMTP sink's
folder and its link followed. With an outside SMTP server (no folder to read) `ptl up`'s admin key confirms it.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path

import httpx
from rich.console import Console

from services.ptl.embedded import EmbeddedSystem, bearer, wait_settled

DEMO_MAILBOX = "demo@policy-timeline.local"
CONFIRM_LINK = re.compile(r"https?://\S+/confirm\?token=\S+")


def ensure_demo_subscription(system: EmbeddedSystem) -> None:
    notify_url, admin = system.url("notify"), bearer(system.api_key)
    existing = httpx.get(f"{notify_url}/subscriptions", headers=admin, timeout=10).json()
    if any(s.get("target") == DEMO_MAILBOX and s.get("confirmed") for s in existing):
        return
    response = httpx.post(
        f"{notify_url}/subscriptions",
        json={
            "channel": "email",
            "target": DEMO_MAILBOX,
            "event_types": ["commitment.deadline_passed"],
            "since": "2019-01-01",
        },
        headers=admin,  # an admin is not held to the per-address limit: a restart subscribes again if needed
        timeout=10,
    )
    response.raise_for_status()
    sub = response.json()
    link = None if system.smtp_port else confirmation_link(system.mail_dir, sub["id"])
    confirmed = (
        httpx.post(link, timeout=10)
        if link
        else httpx.post(f"{notify_url}/subscriptions/{sub['id']}/confirm", headers=admin, timeout=10)
    )
    confirmed.raise_for_status()


def confirmation_link(mail_dir: Path, subscription_id: str, timeout: float = 15.0) -> str:
    """The link in the confirmation mail for this subscription, once the sink has written it."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        for path in sorted(mail_dir.glob("*.eml")):
            mail = message_from_bytes(path.read_bytes(), policy=policy.default)
            assert isinstance(mail, EmailMessage)
            if mail["Message-ID"] == f"<confirm-{subscription_id}@policy-timeline>":
                body = mail.get_body(preferencelist=("plain",))
                found = CONFIRM_LINK.search(body.get_content() if body else "")
                if found:
                    return found.group(0)
        time.sleep(0.1)
    raise RuntimeError(f"no confirmation mail for {subscription_id} in {mail_dir} within {timeout}s")


def run_demo(system: EmbeddedSystem, *, ingest_samples: Callable[[], None] | None, console: Console) -> None:
    """`ingest_samples` is the command line's upload of the samples: passed in, so this module needs not
    import the command line that imports it."""
    ensure_demo_subscription(system)
    if ingest_samples is not None:
        ingest_samples()
    wait_settled(system.url("timeline"), system.url("notify"), system.api_key)
    print_summary(system, console)


def print_summary(system: EmbeddedSystem, console: Console) -> None:
    timeline, notify, admin = system.url("timeline"), system.url("notify"), bearer(system.api_key)
    docs = httpx.get(f"{timeline}/api/documents", timeout=10).json()
    commitments = httpx.get(f"{timeline}/api/commitments", params={"limit": 1000}, timeout=10).json()["items"]
    passed = httpx.get(f"{notify}/deadlines/passed", timeout=10).json()
    delivered = httpx.get(f"{notify}/deliveries", params={"status": "delivered"}, headers=admin, timeout=10).json()
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
  credentials   {system.env_file.resolve()} (admin key, NATS user): set -a; . {system.env_file}; set +a
""")  # fmt: skip
