"""Notify's tables, on a MetaData no other service shares (SQLAlchemy Core; the repository reads and writes them).

Two groups of tables:
- the projection (PROJECTION_TABLES): rebuilt from the stream by replay, dropped freely;
- notify's own records (subscriptions, deliveries, attempts, published deadlines): facts about what notify
  did, which the stream does not hold. Replay never drops them, so an alert is sent once however often the
  projection is rebuilt.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    Date,
    DateTime,
    ForeignKey,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    TypeDecorator,
    UniqueConstraint,
)
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Connection, Engine

from services.common.checkpoint import checkpoint_table


class UTCDateTime(TypeDecorator[datetime]):
    """Aware datetimes in, aware UTC datetimes out, on SQLite (no time zones) and PostgreSQL alike."""

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError(f"naive datetime {value!r}: store aware datetimes only")
        return value.astimezone(UTC).replace(tzinfo=None)

    def process_result_value(self, value: datetime | None, dialect: Any) -> datetime | None:
        return None if value is None else value.replace(tzinfo=UTC)


metadata = MetaData()

# --- projection: disposable, rebuilt by replay ---------------------------------------------------------

checkpoint = checkpoint_table(metadata)

commitments = Table(
    "commitments",
    metadata,
    Column("commitment_id", String, primary_key=True),
    Column("text", Text, nullable=False),
    Column("actor", String),
    Column("document_id", String, nullable=False),
    Column("motions", JSON, nullable=False),
    Column("forums", JSON, nullable=False),  # forum ids
)

due_statements = Table(
    "due_statements",
    metadata,
    Column("event_id", String, primary_key=True),
    Column("commitment_id", String, nullable=False, index=True),
    Column("kind", String, nullable=False),  # made | revised
    Column("occurred_at", UTCDateTime),
    Column("due", JSON),  # Due as JSON; null: no deadline
    Column("text", Text, nullable=False),
    Column("document_id", String, nullable=False),
)

fulfilments = Table(
    "fulfilments",
    metadata,
    Column("event_id", String, primary_key=True),
    Column("commitment_id", String, nullable=False, index=True),
    Column("occurred_at", UTCDateTime),
    Column("document_id", String),
    Column("evidence", Text, nullable=False),
)

watermarks = Table(
    "watermarks",
    metadata,
    Column("source", String, primary_key=True),
    Column("up_to", Date, nullable=False),
    Column("event_id", String, nullable=False),
)

event_index = Table(
    "event_index",
    metadata,
    Column("event_id", String, primary_key=True),
    Column("sequence", Integer, nullable=False),
    Column("type", String, nullable=False, index=True),
    Column("subject", String, nullable=False),
    Column("occurred_at", UTCDateTime, index=True),
    Column("recorded_at", UTCDateTime, nullable=False),
    Column("refs", JSON, nullable=False),  # [[kind, id], ...]
    Column("envelope", Text, nullable=False),
)

PROJECTION_TABLES = (checkpoint, commitments, due_statements, fulfilments, watermarks, event_index)

# --- notify's own records: never dropped -----------------------------------------------------------------

subscriptions = Table(
    "subscriptions",
    metadata,
    Column("id", String, primary_key=True),
    Column("channel", String, nullable=False),  # email | webhook
    Column("target", String, nullable=False),
    Column("motion_id", String),
    Column("forum_id", String),
    Column("commitment_id", String),
    Column("event_types", JSON),  # null: the default set
    Column("since", UTCDateTime, nullable=False),
    Column("secret", String),  # webhook signing secret
    Column("active", Boolean, nullable=False, default=True),
    Column("created_at", UTCDateTime, nullable=False),
    Column("deleted_at", UTCDateTime),
)

deliveries = Table(
    "deliveries",
    metadata,
    Column("id", String, primary_key=True),  # stable per (subscription, event): the webhook-id
    Column("subscription_id", String, ForeignKey("subscriptions.id"), nullable=False, index=True),
    Column("event_id", String, nullable=False),
    Column("event_type", String, nullable=False),
    Column("summary", Text, nullable=False),
    Column("context", JSON, nullable=False),  # what the message needs beyond the envelope (commitment)
    Column("envelope", Text, nullable=False),
    Column("status", String, nullable=False, index=True),  # pending | sending | delivered | failed | cancelled
    Column("attempts", Integer, nullable=False, default=0),
    Column("next_attempt_at", UTCDateTime, nullable=False),
    Column("claimed_at", UTCDateTime),
    Column("created_at", UTCDateTime, nullable=False),
    Column("delivered_at", UTCDateTime),
    Column("last_error", Text),
    UniqueConstraint("subscription_id", "event_id", name="uq_delivery_once"),
)

delivery_attempts = Table(
    "delivery_attempts",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("delivery_id", String, ForeignKey("deliveries.id"), nullable=False, index=True),
    Column("number", Integer, nullable=False),
    Column("started_at", UTCDateTime, nullable=False),
    Column("finished_at", UTCDateTime, nullable=False),
    Column("outcome", String, nullable=False),  # delivered | retry | failed
    Column("http_status", Integer),
    Column("error", Text),
)

published_deadlines = Table(
    "published_deadlines",
    metadata,
    Column("commitment_id", String, primary_key=True),
    Column("deadline", Date, primary_key=True),
    Column("event_id", String, nullable=False),
    Column("passed_at", UTCDateTime, nullable=False),
    Column("published_at", UTCDateTime, nullable=False),
    Column("stream_sequence", Integer),  # null: learned from the stream, not published by this database
)


def create_all(engine: Engine) -> None:
    metadata.create_all(engine)


def drop_projection(engine: Engine) -> None:
    """Drop only the disposable tables; subscriptions and the delivery log stay."""
    metadata.drop_all(engine, tables=list(PROJECTION_TABLES))


def insert_ignore(conn: Connection, table: Table, rows: dict[str, Any] | Sequence[dict[str, Any]]) -> int:
    """INSERT ... ON CONFLICT DO NOTHING (SQLite and PostgreSQL). Returns the number of rows inserted."""
    rows = [rows] if isinstance(rows, dict) else list(rows)
    if not rows:
        return 0
    dialect = {"sqlite": sqlite, "postgresql": postgresql}.get(conn.dialect.name)
    if dialect is None:
        raise RuntimeError(f"unsupported database dialect {conn.dialect.name!r}")
    # Counted by RETURNING: psycopg reports rowcount -1 for these inserts.
    stmt = dialect.insert(table).on_conflict_do_nothing().returning(*table.primary_key.columns)
    return len(conn.execute(stmt, rows).all())
