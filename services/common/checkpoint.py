"""The tracking record: which stream sequence a projection has applied, written in the same transaction."""

from __future__ import annotations

from sqlalchemy import Column, Integer, MetaData, String, Table
from sqlalchemy.engine import Connection


def checkpoint_table(metadata: MetaData) -> Table:
    return Table(
        "projection_checkpoint",
        metadata,
        Column("projection", String, primary_key=True),
        Column("last_sequence", Integer, nullable=False),
    )


def read_checkpoint(conn: Connection, table: Table, projection: str) -> int:
    row = conn.execute(table.select().where(table.c.projection == projection)).first()
    return int(row.last_sequence) if row else 0


def write_checkpoint(conn: Connection, table: Table, projection: str, sequence: int) -> None:
    updated = conn.execute(
        table.update().where(table.c.projection == projection).values(last_sequence=sequence)
    ).rowcount
    if not updated:
        conn.execute(table.insert().values(projection=projection, last_sequence=sequence))
