"""The Publisher port's adapters: JetStream publishes (Nats-Msg-Id = event id) and the POLICY stream's end."""

from __future__ import annotations

from faststream.nats import NatsBroker
from nats.js import JetStreamContext

from schemas.events import Envelope
from schemas.stream import POLICY_STREAM
from services.common.nats import BrokerPublisher, publish_event


class BrokerEventPublisher:
    """Through the service's own faststream broker."""

    def __init__(self, broker: NatsBroker, timeout: float) -> None:
        self.broker = broker
        self._publish = BrokerPublisher(broker, timeout)

    async def publish(self, event: Envelope) -> int:
        return (await self._publish(event)).sequence

    async def last_sequence(self) -> int:
        js = self.broker.config.connection_state.stream
        return int((await js.stream_info(POLICY_STREAM)).state.last_seq)


class JetStreamPublisher:
    """Through a plain JetStream context (`ptl replay notify` runs without the service's broker)."""

    def __init__(self, js: JetStreamContext, timeout: float) -> None:
        self.js = js
        self.timeout = timeout

    async def publish(self, event: Envelope) -> int:
        return (await publish_event(self.js, event, self.timeout)).sequence

    async def last_sequence(self) -> int:
        return int((await self.js.stream_info(POLICY_STREAM)).state.last_seq)
