"""The open-data feed's state in ingest's database: a cursor per entity, the facts published, the motions known.

Tables of their own (own MetaData, created by the feed) beside ingest's registry in `services.ingest.store`.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import MetaData
from sqlalchemy.engine import Engine
from sqlmodel import Field, Session, SQLModel, select


class OpenDataTable(SQLModel):
    metadata = MetaData()


class OpenDataCursor(OpenDataTable, table=True):
    """Every record of `entity` changed up to `modified` has been read and its events published."""

    entity: str = Field(primary_key=True)
    modified: dt.datetime
    updated_at: dt.datetime


class OpenDataFact(OpenDataTable, table=True):
    """The last event published per record and type, with a digest of its content (without the change time):
    a record changed upstream publishes again only when the fact it states changed."""

    record_id: str = Field(primary_key=True)
    event_type: str = Field(primary_key=True)
    digest: str
    event_id: str
    sequence: int


class OpenDataMotion(OpenDataTable, table=True):
    """Zaak GUID -> motion id, so a Besluit on a Zaak names the motion."""

    zaak_id: str = Field(primary_key=True)
    motion_id: str = Field(index=True)


metadata = OpenDataTable.metadata


def create_tables(engine: Engine) -> None:
    metadata.create_all(engine)


def cursor(session: Session, entity: str) -> dt.datetime | None:
    row = session.get(OpenDataCursor, entity)
    if row is None:
        return None
    # SQLite hands datetimes back naive; they were written in UTC.
    return row.modified if row.modified.tzinfo else row.modified.replace(tzinfo=dt.UTC)


def move_cursor(session: Session, entity: str, modified: dt.datetime) -> None:
    """Only forward: a run that saw nothing newer leaves the cursor where it was."""
    current = cursor(session, entity)
    if current is None or modified > current:
        now = dt.datetime.now(dt.UTC)
        session.merge(OpenDataCursor(entity=entity, modified=modified.astimezone(dt.UTC), updated_at=now))


def motion_ids(session: Session) -> dict[str, str]:
    return {row.zaak_id: row.motion_id for row in session.exec(select(OpenDataMotion)).all()}
