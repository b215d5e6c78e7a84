"""Notify's tables as SQLModel classes, on a MetaData no other service shares.

Two groups of tables:
- the projection (PROJECTION_TABLES): rebuilt from the stream by replay, dropped freely;
- notify's own records (subscriptions, deliveries, attempts, published deadlines): facts about what notify
  did, which the stream does not hold. Replay never drops them, so an alert is sent once however often the
  projection is rebuilt.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, date, datetime
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
    inspect,
    true,
)
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Connection, Engine
from sqlmodel import Field, SQLModel

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


class NotifyTable(SQLModel):
    """notify's tables, on their own MetaData."""

    metadata = MetaData()


metadata = NotifyTable.metadata

# --- projection: disposable, rebuilt by replay ---------------------------------------------------------

checkpoint = checkpoint_table(metadata)


class CommitmentRow(NotifyTable, table=True):
    __tablename__ = "commitments"

    commitment_id: str = Field(sa_column=Column(String, primary_key=True))
    text: str = Field(sa_column=Column(Text, nullable=False))
    actor: str | None = Field(sa_column=Column(String))
    document_id: str = Field(sa_column=Column(String, nullable=False))
    motions: list[str] = Field(sa_column=Column(JSON, nullable=False))
    forums: list[str] = Field(sa_column=Column(JSON, nullable=False))  # forum ids


class DueStatementRow(NotifyTable, table=True):
    __tablename__ = "due_statements"

    event_id: str = Field(sa_column=Column(String, primary_key=True))
    commitment_id: str = Field(sa_column=Column(String, nullable=False, index=True))
    kind: str = Field(sa_column=Column(String, nullable=False))  # made | revised
    occurred_at: datetime | None = Field(sa_column=Column(UTCDateTime))
    due: dict[str, Any] | None = Field(sa_column=Column(JSON))  # Due as JSON; null: no deadline
    text: str = Field(sa_column=Column(Text, nullable=False))
    document_id: str = Field(sa_column=Column(String, nullable=False))


class FulfilmentRow(NotifyTable, table=True):
    __tablename__ = "fulfilments"

    event_id: str = Field(sa_column=Column(String, primary_key=True))
    commitment_id: str = Field(sa_column=Column(String, nullable=False, index=True))
    occurred_at: datetime | None = Field(sa_column=Column(UTCDateTime))
    document_id: str | None = Field(sa_column=Column(String))
    evidence: str = Field(sa_column=Column(Text, nullable=False))


class WatermarkRow(NotifyTable, table=True):
    __tablename__ = "watermarks"

    source: str = Field(sa_column=Column(String, primary_key=True))
    up_to: date = Field(sa_column=Column(Date, nullable=False))
    event_id: str = Field(sa_column=Column(String, nullable=False))


class CorrectionRow(NotifyTable, table=True):
    """A correction of a commitment (merged, withdrawn, read anew, statement retracted), in stream order."""

    __tablename__ = "corrections"

    event_id: str = Field(sa_column=Column(String, primary_key=True))
    commitment_id: str = Field(sa_column=Column(String, nullable=False, index=True))
    type: str = Field(sa_column=Column(String, nullable=False))
    sequence: int = Field(sa_column=Column(Integer, nullable=False))
    target: str | None = Field(sa_column=Column(String))  # the corrected or retracted event
    reading: dict[str, Any] | None = Field(sa_column=Column(JSON))  # Reading as JSON, of a reading_changed


class EventIndexRow(NotifyTable, table=True):
    __tablename__ = "event_index"

    event_id: str = Field(sa_column=Column(String, primary_key=True))
    sequence: int = Field(sa_column=Column(Integer, nullable=False))
    type: str = Field(sa_column=Column(String, nullable=False, index=True))
    subject: str = Field(sa_column=Column(String, nullable=False))
    occurred_at: datetime | None = Field(sa_column=Column(UTCDateTime, index=True))
    recorded_at: datetime = Field(sa_column=Column(UTCDateTime, nullable=False))
    refs: list[list[str]] = Field(sa_column=Column(JSON, nullable=False))  # [[kind, id], ...]
    envelope: str = Field(sa_column=Column(Text, nullable=False))


# --- notify's own records: never dropped -----------------------------------------------------------------


class SubscriptionRow(NotifyTable, table=True):
    __tablename__ = "subscriptions"

    id: str = Field(sa_column=Column(String, primary_key=True))
    channel: str = Field(sa_column=Column(String, nullable=False))  # a domain.model.Channel
    target: str = Field(sa_column=Column(String, nullable=False))
    motion_id: str | None = Field(sa_column=Column(String))
    forum_id: str | None = Field(sa_column=Column(String))
    commitment_id: str | None = Field(sa_column=Column(String))
    event_types: list[str] | None = Field(sa_column=Column(JSON))  # null: the default set
    since: datetime = Field(sa_column=Column(UTCDateTime, nullable=False))
    secret: str | None = Field(sa_column=Column(String))  # webhook signing secret
    active: bool = Field(sa_column=Column(Boolean, nullable=False, default=True))
    created_at: datetime = Field(sa_column=Column(UTCDateTime, nullable=False, index=True))
    deleted_at: datetime | None = Field(sa_column=Column(UTCDateTime))
    confirmed: bool = Field(sa_column=Column(Boolean, nullable=False, server_default=true()))
    manage_token_hash: str | None = Field(sa_column=Column(String))
    client: str | None = Field(sa_column=Column(String))


class DeliveryRow(NotifyTable, table=True):
    __tablename__ = "deliveries"
    __table_args__ = (UniqueConstraint("subscription_id", "event_id", name="uq_delivery_once"),)

    id: str = Field(sa_column=Column(String, primary_key=True))  # stable per (subscription, event): the webhook-id
    subscription_id: str = Field(sa_column=Column(String, ForeignKey("subscriptions.id"), nullable=False, index=True))
    event_id: str = Field(sa_column=Column(String, nullable=False))
    event_type: str = Field(sa_column=Column(String, nullable=False))
    summary: str = Field(sa_column=Column(Text, nullable=False))
    # what the message needs beyond the envelope (the commitment)
    context: dict[str, Any] = Field(sa_column=Column(JSON, nullable=False))
    envelope: str = Field(sa_column=Column(Text, nullable=False))
    # pending | sending | delivered | failed | cancelled
    status: str = Field(sa_column=Column(String, nullable=False, index=True))
    attempts: int = Field(sa_column=Column(Integer, nullable=False, default=0))
    next_attempt_at: datetime = Field(sa_column=Column(UTCDateTime, nullable=False))
    claimed_at: datetime | None = Field(sa_column=Column(UTCDateTime))
    created_at: datetime = Field(sa_column=Column(UTCDateTime, nullable=False))
    delivered_at: datetime | None = Field(sa_column=Column(UTCDateTime))
    last_error: str | None = Field(sa_column=Column(Text))


class DeliveryAttemptRow(NotifyTable, table=True):
    __tablename__ = "delivery_attempts"

    id: int | None = Field(sa_column=Column(Integer, primary_key=True, autoincrement=True))
    delivery_id: str = Field(sa_column=Column(String, ForeignKey("deliveries.id"), nullable=False, index=True))
    number: int = Field(sa_column=Column(Integer, nullable=False))
    started_at: datetime = Field(sa_column=Column(UTCDateTime, nullable=False))
    finished_at: datetime = Field(sa_column=Column(UTCDateTime, nullable=False))
    outcome: str = Field(sa_column=Column(String, nullable=False))  # delivered | retry | failed
    http_status: int | None = Field(sa_column=Column(Integer))
    error: str | None = Field(sa_column=Column(Text))


class PublishedDeadlineRow(NotifyTable, table=True):
    __tablename__ = "published_deadlines"

    commitment_id: str = Field(sa_column=Column(String, primary_key=True))
    deadline: date = Field(sa_column=Column(Date, primary_key=True))
    event_id: str = Field(sa_column=Column(String, nullable=False))
    passed_at: datetime = Field(sa_column=Column(UTCDateTime, nullable=False))
    published_at: datetime = Field(sa_column=Column(UTCDateTime, nullable=False))
    # null: learned from the stream, not published by this database
    stream_sequence: int | None = Field(sa_column=Column(Integer))


def table(model: type[SQLModel]) -> Table:
    found: Table = model.__table__  # type: ignore[attr-defined]  # set by SQLModel's metaclass
    return found


# The repository writes SQL against the tables.
commitments = table(CommitmentRow)
due_statements = table(DueStatementRow)
fulfilments = table(FulfilmentRow)
watermarks = table(WatermarkRow)
event_index = table(EventIndexRow)
subscriptions = table(SubscriptionRow)
deliveries = table(DeliveryRow)
delivery_attempts = table(DeliveryAttemptRow)
published_deadlines = table(PublishedDeadlineRow)
corrections = table(CorrectionRow)

PROJECTION_TABLES = (checkpoint, commitments, due_statements, fulfilments, watermarks, corrections, event_index)


def create_all(engine: Engine) -> None:
    metadata.create_all(engine)
    add_missing_columns(engine, subscriptions)


def add_missing_columns(engine: Engine, table: Table) -> None:
    """A database made before a column was added gets it (nullable or with a server default)."""
    present = {c["name"] for c in inspect(engine).get_columns(table.name)}
    with engine.begin() as conn:
        for column in table.columns:
            if column.name not in present:
                kind = column.type.compile(engine.dialect)
                server_default = getattr(column.server_default, "arg", None)  # a DefaultClause's SQL
                default = f" DEFAULT {server_default}" if server_default is not None else ""
                conn.exec_driver_sql(f'ALTER TABLE {table.name} ADD COLUMN "{column.name}" {kind}{default}')


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
