"""Rebuilding a projection from the first event of the stream, with the same apply code as live.

Reads with an ephemeral ordered consumer from sequence 1 (durable consumers keep their own position and
policies), up to the stream's last sequence at the start, and applies through `Projection.apply_once`, so
the result equals the live projection row for row.
"""

from __future__ import annotations

from collections.abc import Callable

from nats.js import JetStreamContext
from nats.js.api import DeliverPolicy
from nats.js.errors import NotFoundError

from schemas.codec import InvalidEvent, decode
from schemas.stream import POLICY_STREAM, POLICY_SUBJECT_PREFIX
from services.common.projection import Projection

Progress = Callable[[int, int], None]  # (applied sequence, last sequence)


class ServiceStillRunning(RuntimeError):
    pass


async def ensure_not_consuming(js: JetStreamContext, durable: str) -> None:
    """Rebuilding a service's own database under it would race its consumer: refuse while it pulls."""
    try:
        info = await js.consumer_info(POLICY_STREAM, durable)
    except NotFoundError:
        return
    if info.num_waiting:
        raise ServiceStillRunning(
            f"the {durable} service is consuming the stream ({info.num_waiting} pull requests waiting): "
            "stop it first, or rebuild into another database with --database-url"
        )


async def replay_stream(
    js: JetStreamContext, projection: Projection, progress: Progress | None = None, idle_timeout: float = 5.0
) -> int:
    """Apply every event up to the stream's current last sequence. Returns the number of events read."""
    last = (await js.stream_info(POLICY_STREAM)).state.last_seq
    if last == 0:
        return 0
    sub = await js.subscribe(
        f"{POLICY_SUBJECT_PREFIX}.>", ordered_consumer=True, deliver_policy=DeliverPolicy.ALL, stream=POLICY_STREAM
    )
    read = 0
    try:
        while True:
            msg = await sub.next_msg(timeout=idle_timeout)
            sequence = msg.metadata.sequence.stream
            try:
                event = decode(msg.data)
            except InvalidEvent:
                event = None  # dead-lettered live; recorded the same way here
            projection.apply_once(event, sequence)
            read += 1
            if progress:
                progress(sequence, last)
            if sequence >= last:
                break
    finally:
        await sub.unsubscribe()
    return read
