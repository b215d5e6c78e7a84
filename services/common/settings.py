"""Settings shared by every service, read from environment variables (pydantic-settings)."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import quote, urlsplit, urlunsplit

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class CommonSettings(BaseSettings):
    model_config = SettingsConfigDict(env_file=".env", extra="ignore")

    nats_url: str = Field("nats://127.0.0.1:4222", alias="NATS_URL")
    # This service's NATS user (each service has its own, with only the permissions it needs).
    nats_user: str = Field("", alias="NATS_USER")
    nats_password: str = Field("", alias="NATS_PASSWORD", repr=False)
    data_dir: Path = Field(Path(".data"), alias="PTL_DATA_DIR")
    # Operator API keys (argon2 hashes), shared by the three services; `ptl keys` writes it.
    api_keys_file: Path | None = Field(None, alias="PTL_API_KEYS_FILE", description="default: DATA_DIR/api-keys.json")
    log_level: str = Field("INFO", alias="PTL_LOG_LEVEL")
    log_format: str = Field("json", alias="PTL_LOG_FORMAT", description="json | console")
    stream_replicas: int = Field(1, alias="PTL_STREAM_REPLICAS", description="3 on a NATS cluster")
    publish_timeout: float = Field(10.0, alias="PTL_PUBLISH_TIMEOUT")

    @property
    def nats_servers(self) -> list[str]:
        """NATS_URL may list several servers of a cluster, comma-separated; NATS_USER/PASSWORD go into each."""
        return [with_credentials(url.strip(), self.nats_user, self.nats_password)
                for url in self.nats_url.split(",") if url.strip()]  # fmt: skip

    @property
    def nats_connect_url(self) -> str:
        return ",".join(self.nats_servers)

    @property
    def keys_file(self) -> Path:
        return self.api_keys_file or self.data_dir / "api-keys.json"

    def sqlite_url(self, name: str) -> str:
        return f"sqlite:///{(self.data_dir / f'{name}.db').resolve()}"


def with_credentials(url: str, user: str, password: str) -> str:
    """nats://host:port -> nats://user:password@host:port (a URL that already names a user is kept)."""
    parts = urlsplit(url)
    if not user or parts.username:
        return url
    return urlunsplit(parts._replace(netloc=f"{quote(user, safe='')}:{quote(password, safe='')}@{parts.netloc}"))
