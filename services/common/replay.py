"""Rebuilding a projection from the first event of the stream, with the same apply code as live.

Reads with an ephemeral ordered consumer from sequence 1 (durable consumers keep their own position and
policies), up to the stream's last sequence at the start, and applies through `Projection.apply_once`, so
the result equals the live projection row for row. An event that cannot be applied is skipped the way the
live consumer dead-letters it (the checkpoint moves past it) and reported, instead of ending the replay.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass, field

import nats
import structlog
from nats.aio.client import Client
from nats.errors import NoServersError
from nats.js import JetStreamContext
from nats.js.api import DeliverPolicy
from nats.js.errors import NotFoundError

from schemas.codec import InvalidEvent, decode
from schemas.stream import POLICY_STREAM, POLICY_SUBJECT_PREFIX
from services.common.projection import Projection

log = structlog.get_logger("replay")

Progress = Callable[[int, int], None]  # (applied sequence, last sequence)

# A live durable consumer keeps a pull request waiting (each expires after 1 s and is renewed at once), or
# takes new messages. A stopped one's last request is gone within a second: watch longer than that.
WATCH_SECONDS = 3.0
SETTLE_SECONDS = 1.2
SAMPLE_SECONDS = 0.2


class ReplayRefused(RuntimeError):
    """The replay stopped before dropping anything: going on would lose a projection or race its service."""


class ServiceStillRunning(ReplayRefused):
    pass


@dataclass(frozen=True)
class Skipped:
    sequence: int
    subject: str
    reason: str


@dataclass
class ReplayReport:
    read: int = 0
    last_sequence: int = 0
    skipped: list[Skipped] = field(default_factory=list)


async def connect_once(url: str, name: str) -> Client:
    """A command, unlike a service, should not wait forever for NATS: a few attempts, then a clear refusal."""

    async def quiet(_exc: Exception) -> None:
        pass  # the final error is raised, the attempts before it need no traceback each

    servers = [u.strip() for u in url.split(",") if u.strip()]
    try:
        return await nats.connect(
            servers, name=name, connect_timeout=3, max_reconnect_attempts=2, reconnect_time_wait=0.5, error_cb=quiet
        )
    except (OSError, NoServersError) as exc:
        raise ReplayRefused(f"NATS not reachable at {url} ({exc}): is `ptl up` running? (NATS_URL)") from exc


async def check_source(js: JetStreamContext, durable: str | None) -> None:
    """Before anything is dropped: the stream is on this server, and (rebuilding in place) no service consumes."""
    try:
        await js.stream_info(POLICY_STREAM)
    except NotFoundError as exc:
        raise ReplayRefused(f"no {POLICY_STREAM} stream on this NATS server: is NATS_URL the instance's?") from exc
    if durable:
        await ensure_not_consuming(js, durable)


async def ensure_not_consuming(js: JetStreamContext, durable: str, watch: float = WATCH_SECONDS) -> None:
    """Rebuilding a service's own database under it would race its consumer: refuse while it pulls."""
    loop = asyncio.get_running_loop()
    started = loop.time()
    first_delivered = None
    while True:
        try:
            info = await js.consumer_info(POLICY_STREAM, durable)
        except NotFoundError:
            return
        delivered = info.delivered.stream_seq if info.delivered else 0
        first_delivered = delivered if first_delivered is None else first_delivered
        elapsed = loop.time() - started
        if (elapsed >= SETTLE_SECONDS and info.num_waiting) or delivered != first_delivered:
            raise ServiceStillRunning(
                f"the {durable} service is consuming the stream (pull requests waiting: {info.num_waiting}, "
                f"delivered up to {delivered}): stop it first, or rebuild into another database with --database-url"
            )
        if elapsed >= watch:
            return
        await asyncio.sleep(SAMPLE_SECONDS)


async def replay_stream(
    js: JetStreamContext, projection: Projection, progress: Progress | None = None, idle_timeout: float = 5.0
) -> ReplayReport:
    """Apply every event up to the stream's current last sequence."""
    report = ReplayReport(last_sequence=(await js.stream_info(POLICY_STREAM)).state.last_seq)
    if report.last_sequence == 0:
        return report
    sub = await js.subscribe(
        f"{POLICY_SUBJECT_PREFIX}.>", ordered_consumer=True, deliver_policy=DeliverPolicy.ALL, stream=POLICY_STREAM
    )
    try:
        while True:
            msg = await sub.next_msg(timeout=idle_timeout)
            sequence = msg.metadata.sequence.stream
            skipped = await asyncio.to_thread(apply_or_skip, projection, msg.data, sequence)
            if skipped:
                report.skipped.append(Skipped(sequence, msg.subject, skipped))
                log.warning("replay.skipped", projection=projection.name, stream_sequence=sequence, reason=skipped)
            report.read += 1
            if progress:
                progress(sequence, report.last_sequence)
            if sequence >= report.last_sequence:
                break
    finally:
        await sub.unsubscribe()
    return report


def apply_or_skip(projection: Projection, data: bytes, sequence: int) -> str | None:
    """Apply one message; on failure record it as dead-lettered (as live does) and return the reason."""
    try:
        event = decode(data)
    except InvalidEvent as exc:
        projection.apply_once(None, sequence)
        return f"not a valid event: {exc}"
    try:
        projection.apply_once(event, sequence)
    except Exception as exc:  # the transaction rolled back; live would dead-letter it after its retries
        projection.apply_once(None, sequence)
        return f"{event.type} {event.id}: {exc!r}"
    return None
