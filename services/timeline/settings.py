"""Timeline service settings (environment variables)."""

from __future__ import annotations

from pydantic import Field

from services.common.settings import CommonSettings


class TimelineSettings(CommonSettings):
    database_url: str = Field("", alias="TIMELINE_DATABASE_URL", description="default: SQLite in the data dir")

    def resolved_database_url(self) -> str:
        return self.database_url or self.sqlite_url("timeline")
