"""Notify service settings (environment variables)."""

from __future__ import annotations

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

    @model_validator(mode="after")
    def _default_database(self) -> NotifySettings:
        if not self.database_url:
            self.database_url = self.sqlite_url("notify")
        return self

    def resolved_database_url(self) -> str:
        return self.database_url
