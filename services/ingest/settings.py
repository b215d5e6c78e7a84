"""Ingest service settings (environment variables)."""

from __future__ import annotations

from pydantic import Field

from services.common.settings import CommonSettings


class IngestSettings(CommonSettings):
    database_url: str = Field("", alias="INGEST_DATABASE_URL", description="default: SQLite in the data dir")
    source_name: str = Field("files", alias="INGEST_SOURCE", description="the watermark's source id")

    def resolved_database_url(self) -> str:
        return self.database_url or self.sqlite_url("ingest")
