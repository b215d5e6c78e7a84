"""Publishing ingest's events through the service's faststream broker, as JetStream publishes."""

from __future__ import annotations

from faststream.nats import NatsBroker

from schemas.codec import encode, nats_subject
from schemas.events import Envelope
from schemas.stream import POLICY_STREAM
from services.common.nats import Published


class BrokerPublisher:
    def __init__(self, broker: NatsBroker, timeout: float) -> None:
        self.broker = broker
        self.timeout = timeout

    async def __call__(self, event: Envelope) -> Published:
        # stream= makes this a JetStream publish that waits for the PubAck; the msg id dedups retries.
        ack = await self.broker.publish(
            encode(event),
            nats_subject(event),
            headers={"Nats-Msg-Id": event.id, "Ptl-Event-Type": event.type},
            stream=POLICY_STREAM,
            timeout=self.timeout,
        )
        return Published(event.id, ack.seq, bool(ack.duplicate))
