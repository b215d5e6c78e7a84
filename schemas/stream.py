"""The JetStream layout: the one place where streams, subjects and consumers are named and configured.

Services declare nothing themselves: `services.common.nats.ensure_streams` applies this config, and
subscribers refer to the stream with `JStream(POLICY_STREAM, declare=False)`.
"""

from __future__ import annotations

from dataclasses import dataclass

POLICY_STREAM = "POLICY"
POLICY_SUBJECT_PREFIX = "policy"
DEAD_LETTER_STREAM = "POLICY_DLQ"
DEAD_LETTER_PREFIX = "dlq"

# Only catches publisher retries; long-term dedup is ingest's registry and the projections' checkpoints.
DUPLICATE_WINDOW_SECONDS = 10 * 60

# Redelivery of a failing event before it is dead-lettered, and the pause before each retry.
MAX_DELIVER = 5
RETRY_DELAYS_SECONDS = (0.5, 2.0, 5.0, 15.0)
# How long an unacked delivery blocks the (one-in-flight) consumer: the recovery time after a crash. A slower
# apply is redelivered once it has finished and skipped by the checkpoint.
ACK_WAIT_SECONDS = 5.0

# Aggregates, in subject order: policy.<aggregate>.<id>
AGGREGATES = ("document", "motion", "commitment", "forum", "source")

# Durable consumer names, one per projection.
TIMELINE_CONSUMER = "timeline"
NOTIFY_CONSUMER = "notify"


def subject_for(aggregate: str, aggregate_id: str) -> str:
    if aggregate not in AGGREGATES:
        raise ValueError(f"unknown aggregate {aggregate!r}; expected one of {AGGREGATES}")
    return f"{POLICY_SUBJECT_PREFIX}.{aggregate}.{aggregate_id}"


def dead_letter_subject(consumer: str) -> str:
    return f"{DEAD_LETTER_PREFIX}.{consumer}"


def retry_delay(num_delivered: int) -> float:
    """Backoff before redelivery number `num_delivered + 1`."""
    index = min(max(num_delivered, 1), len(RETRY_DELAYS_SECONDS)) - 1
    return RETRY_DELAYS_SECONDS[index]


@dataclass(frozen=True)
class StreamSpec:
    name: str
    subjects: tuple[str, ...]
    duplicate_window_seconds: float


def stream_specs() -> tuple[StreamSpec, ...]:
    return (
        StreamSpec(POLICY_STREAM, (f"{POLICY_SUBJECT_PREFIX}.>",), DUPLICATE_WINDOW_SECONDS),
        StreamSpec(DEAD_LETTER_STREAM, (f"{DEAD_LETTER_PREFIX}.>",), DUPLICATE_WINDOW_SECONDS),
    )
