"""A notify database made before the security columns gets them on start, and its subscriptions stay confirmed."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import inspect, text

from services.common.db import make_engine
from services.notify.adapters import orm
from services.notify.adapters.repository import SqlTransactions


def test_an_older_subscriptions_table_gains_the_new_columns(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'notify.db'}")
    with engine.begin() as conn:
        conn.exec_driver_sql(
            "CREATE TABLE subscriptions (id VARCHAR PRIMARY KEY, channel VARCHAR NOT NULL, target VARCHAR NOT NULL,"
            " motion_id VARCHAR, forum_id VARCHAR, commitment_id VARCHAR, event_types JSON, since DATETIME NOT NULL,"
            " secret VARCHAR, active BOOLEAN NOT NULL, created_at DATETIME NOT NULL, deleted_at DATETIME)"
        )
        conn.execute(text("INSERT INTO subscriptions VALUES ('sub-old', 'email', 'a@b.nl', NULL, NULL, NULL, NULL,"
                          " '2021-01-01 00:00:00', NULL, 1, '2021-01-01 00:00:00', NULL)"))  # fmt: skip
    orm.create_all(engine)
    columns = {c["name"] for c in inspect(engine).get_columns("subscriptions")}
    assert {"confirmed", "manage_token_hash", "client"} <= columns
    with SqlTransactions(engine)() as repo:
        old = repo.subscription("sub-old")
    assert old is not None and old.confirmed and old.manage_token_hash is None
    orm.create_all(engine)  # a second start changes nothing
    engine.dispose()
