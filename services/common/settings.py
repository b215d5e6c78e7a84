"""Settings shared by every service, read from environment variables (pydantic-settings)."""

from __future__ import annotations

from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class CommonSettings(BaseSettings):
    model_config = SettingsConfigDict(env_file=".env", extra="ignore")

    nats_url: str = Field("nats://127.0.0.1:4222", alias="NATS_URL")
    data_dir: Path = Field(Path(".data"), alias="PTL_DATA_DIR")
    log_level: str = Field("INFO", alias="PTL_LOG_LEVEL")
    log_format: str = Field("json", alias="PTL_LOG_FORMAT", description="json | console")
    stream_replicas: int = Field(1, alias="PTL_STREAM_REPLICAS", description="3 on a NATS cluster")
    publish_timeout: float = Field(10.0, alias="PTL_PUBLISH_TIMEOUT")

    @property
    def nats_servers(self) -> list[str]:
        """NATS_URL may list several servers of a cluster, comma-separated."""
        return [url.strip() for url in self.nats_url.split(",") if url.strip()]

    def sqlite_url(self, name: str) -> str:
        return f"sqlite:///{(self.data_dir / f'{name}.db').resolve()}"
