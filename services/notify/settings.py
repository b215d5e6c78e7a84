"""Notify service settings (environment variables)."""

from __future__ import annotations

import secrets
from pathlib import Path
from typing import Literal

from pydantic import Field, model_validator

from services.common.settings import CommonSettings


class NotifySettings(CommonSettings):
    database_url: str = Field("", alias="NOTIFY_DATABASE_URL", description="default: SQLite in the data dir")

    smtp_host: str = Field("127.0.0.1", alias="SMTP_HOST")
    smtp_port: int = Field(1025, alias="SMTP_PORT")
    smtp_from: str = Field("policy-timeline@localhost", alias="SMTP_FROM")
    smtp_timeout: float = Field(10.0, alias="SMTP_TIMEOUT")

    # standard-webhooks: attempts immediately, after 5 s, 5 min, 30 min, 2 h, 5 h, 10 h and 10 h (the due times
    # are stored, so a restart keeps the schedule); exponential: the three settings below.
    delivery_schedule: Literal["standard-webhooks", "exponential"] = Field(
        "standard-webhooks", alias="NOTIFY_DELIVERY_SCHEDULE"
    )
    delivery_max_attempts: int = Field(6, ge=1, alias="NOTIFY_DELIVERY_MAX_ATTEMPTS")
    # Retry n waits base * 2**(n-1) seconds, at most the cap.
    delivery_backoff_base: float = Field(1.0, gt=0, alias="NOTIFY_DELIVERY_BACKOFF_BASE")
    delivery_backoff_cap: float = Field(300.0, gt=0, alias="NOTIFY_DELIVERY_BACKOFF_CAP")
    delivery_poll_seconds: float = Field(1.0, gt=0, alias="NOTIFY_DELIVERY_POLL_SECONDS")
    delivery_concurrency: int = Field(8, ge=1, alias="NOTIFY_DELIVERY_CONCURRENCY")
    webhook_timeout: float = Field(10.0, gt=0, alias="NOTIFY_WEBHOOK_TIMEOUT")
    # Re-evaluates every deadline: covers a crash between a commit and its deadline publish.
    deadline_sweep_seconds: float = Field(60.0, gt=0, alias="NOTIFY_DEADLINE_SWEEP_SECONDS")

    timeline_url: str = Field("http://127.0.0.1:8000", alias="TIMELINE_PUBLIC_URL")
    # Where subscribers reach notify: the confirmation and unsubscribe links in mails point here.
    public_url: str = Field("http://127.0.0.1:8103", alias="NOTIFY_PUBLIC_URL")
    # Signs the confirmation and unsubscribe links; default: made once and kept in DATA_DIR/notify-link-key.
    link_key: str = Field("", alias="NOTIFY_LINK_KEY", repr=False)
    confirm_hours: float = Field(48.0, gt=0, alias="NOTIFY_CONFIRM_HOURS", description="unconfirmed ones expire")
    # Per address: subscriptions made in a day (each sends a confirmation mail). Per client: made in an hour.
    max_per_address_per_day: int = Field(3, ge=1, alias="NOTIFY_MAX_PER_ADDRESS_PER_DAY")
    max_per_client_per_hour: int = Field(20, ge=1, alias="NOTIFY_MAX_PER_CLIENT_PER_HOUR")
    # Webhook hosts exempt from the public-address rule (tests, on-premise receivers), comma-separated.
    webhook_allowed_hosts: str = Field("", alias="NOTIFY_WEBHOOK_ALLOWED_HOSTS")
    webhook_max_response_bytes: int = Field(64 * 1024, ge=0, alias="NOTIFY_WEBHOOK_MAX_RESPONSE_BYTES")

    @model_validator(mode="after")
    def _default_database(self) -> NotifySettings:
        if not self.database_url:
            self.database_url = self.sqlite_url("notify")
        return self

    @property
    def allowed_webhook_hosts(self) -> frozenset[str]:
        return frozenset(h.strip().lower() for h in self.webhook_allowed_hosts.split(",") if h.strip())

    def signing_key(self) -> str:
        if self.link_key:
            return self.link_key
        kept = Path(self.data_dir) / "notify-link-key"
        if not kept.exists():
            kept.parent.mkdir(parents=True, exist_ok=True)
            kept.touch(mode=0o600)
            kept.write_text(secrets.token_urlsafe(32))
        return kept.read_text().strip()

    def resolved_database_url(self) -> str:
        return self.database_url
