"""JetStream plumbing: declaring the streams (from `schemas.stream`) and publishing events durably."""

from __future__ import annotations

import contextlib
from dataclasses import dataclass

import nats
from faststream.nats import NatsBroker
from nats.aio.client import Client
from nats.js import JetStreamContext
from nats.js.api import DiscardPolicy, RetentionPolicy, StorageType, StreamConfig
from nats.js.errors import BadRequestError, NotFoundError

from schemas.codec import encode, nats_subject, publish_headers
from schemas.events import Envelope
from schemas.stream import POLICY_STREAM, stream_specs


async def connect(url: str, name: str) -> Client:
    servers = [u.strip() for u in url.split(",") if u.strip()]
    return await nats.connect(servers, name=name, connect_timeout=5, max_reconnect_attempts=-1, reconnect_time_wait=1)


async def ensure_streams(js: JetStreamContext, replicas: int = 1) -> None:
    """Create or update the project's streams. The only place streams are declared."""
    for spec in stream_specs():
        config = StreamConfig(
            name=spec.name,
            subjects=list(spec.subjects),
            storage=StorageType.FILE,
            retention=RetentionPolicy.LIMITS,
            discard=DiscardPolicy.OLD,
            duplicate_window=spec.duplicate_window_seconds,
            num_replicas=replicas,
            allow_direct=True,
        )
        try:
            await js.stream_info(spec.name)
        except NotFoundError:
            await js.add_stream(config)
        else:
            # e.g. replicas cannot change on a single server; the existing stream keeps working.
            with contextlib.suppress(BadRequestError):
                await js.update_stream(config)


@dataclass(frozen=True)
class Published:
    event_id: str
    sequence: int
    duplicate: bool


async def publish_event(js: JetStreamContext, event: Envelope, timeout: float = 10.0) -> Published:
    """JetStream publish with the event id as Nats-Msg-Id, so a retried publish is stored once."""
    ack = await js.publish(
        nats_subject(event),
        encode(event),
        timeout=timeout,
        headers=publish_headers(event),
    )
    return Published(event.id, ack.seq, bool(ack.duplicate))


class BrokerPublisher:
    """Publishing events through a service's faststream broker, as JetStream publishes that wait for the PubAck."""

    def __init__(self, broker: NatsBroker, timeout: float) -> None:
        self.broker = broker
        self.timeout = timeout

    async def __call__(self, event: Envelope) -> Published:
        # stream= makes it a JetStream publish (a core publish would not be persisted).
        ack = await self.broker.publish(
            encode(event),
            nats_subject(event),
            headers=publish_headers(event),
            stream=POLICY_STREAM,
            timeout=self.timeout,
        )
        return Published(event.id, ack.seq, bool(ack.duplicate))
