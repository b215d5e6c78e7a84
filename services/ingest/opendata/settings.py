"""Settings of the Tweede Kamer open-data feed (environment variables). The periodic poll is off by default."""

from __future__ import annotations

import datetime as dt

from pydantic import Field

from services.ingest.settings import IngestSettings

GEGEVENSMAGAZIJN = "https://gegevensmagazijn.tweedekamer.nl/OData/v4/2.0"


class TkFeedSettings(IngestSettings):
    tk_base_url: str = Field(GEGEVENSMAGAZIJN, alias="TK_ODATA_URL")
    tk_poll_enabled: bool = Field(False, alias="TK_FEED_ENABLED", description="poll periodically inside ingest")
    tk_poll_interval_seconds: float = Field(900.0, alias="TK_FEED_INTERVAL_SECONDS")
    tk_since: dt.date | None = Field(None, alias="TK_FEED_SINCE", description="where a first poll starts")
    tk_http_timeout: float = Field(30.0, alias="TK_HTTP_TIMEOUT")
