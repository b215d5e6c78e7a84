"""A small OData v4 client: one entity set, changed since a moment, page after page via `@odata.nextLink`.

The Gegevensmagazijn pages with `$skiptoken=Id-<guid>` (ordered by Id, not by change time), so the cursor of an
incremental poll may only move once every page of a run has been read. Transient failures (transport errors, 429,
5xx) are retried with exponential backoff; a page that is not an OData page ends that entity's run, logged.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import re
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

import httpx
import structlog

log = structlog.get_logger("opendata.odata")

_FRACTION = re.compile(r"(?<=\.)(\d+)")
RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})


class MalformedPage(ValueError):
    """A response that is not an OData collection page."""


@dataclass(frozen=True)
class Tombstone:
    """A record the parliament deleted: only its id and change time are left."""

    entity: str
    id: str
    modified: dt.datetime


@dataclass(frozen=True)
class Page:
    url: str
    records: list[dict[str, Any]]
    tombstones: list[Tombstone]
    rejected: int
    next_link: str | None


@dataclass
class RetryPolicy:
    attempts: int = 5
    first_delay: float = 0.5
    max_delay: float = 30.0
    sleep: Callable[[float], Awaitable[None]] = field(default=asyncio.sleep)

    def delay(self, attempt: int) -> float:
        return min(self.first_delay * 2**attempt, self.max_delay)


def odata_time(moment: dt.datetime) -> str:
    """A DateTimeOffset literal for $filter: UTC with a Z."""
    return moment.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def parse_time(value: object) -> dt.datetime | None:
    """An OData DateTimeOffset (up to 7 fractional digits, which Python's parser does not take)."""
    if not isinstance(value, str) or not value:
        return None
    # Python takes at most 6 fractional digits: cut the 7th (100 ns) the service writes.
    text = _FRACTION.sub(lambda m: m.group(1)[:6], value.replace("Z", "+00:00"))
    try:
        parsed = dt.datetime.fromisoformat(text)
    except ValueError:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=dt.UTC)


def split_page(entity: str, url: str, body: object) -> Page:
    """Records, tombstones and the next link of one response body. Bad records are logged and left out."""
    if not isinstance(body, dict) or not isinstance(body.get("value"), list):
        raise MalformedPage(f"{url}: not an OData collection page")
    next_link = body.get("@odata.nextLink")
    if next_link is not None and not isinstance(next_link, str):
        raise MalformedPage(f"{url}: @odata.nextLink is not a string")
    records: list[dict[str, Any]] = []
    tombstones: list[Tombstone] = []
    rejected = 0
    for raw in body["value"]:
        record_id = raw.get("Id") if isinstance(raw, dict) else None
        modified = parse_time(raw.get("ApiGewijzigdOp")) if isinstance(raw, dict) else None
        if not isinstance(record_id, str) or modified is None:
            log.warning("opendata.record_rejected", entity=entity, record_id=record_id, reason="no Id/ApiGewijzigdOp")
            rejected += 1
        elif raw.get("Verwijderd") is True:
            tombstones.append(Tombstone(entity, record_id, modified))
        else:
            records.append(raw)
    return Page(url, records, tombstones, rejected, next_link)


class ODataClient:
    def __init__(self, base_url: str, http: httpx.AsyncClient, retry: RetryPolicy | None = None) -> None:
        self.base_url = base_url.rstrip("/")
        self.http = http
        self.retry = retry or RetryPolicy()

    def first_url(self, entity: str, since: dt.datetime | None, *, where: str = "", expand: str = "") -> str:
        """The first page of `entity` changed after `since` (deleted records included: they are tombstones)."""
        clauses = [c for c in (where, f"ApiGewijzigdOp gt {odata_time(since)}" if since else "") if c]
        # No $orderby: the service pages by Id ($skiptoken=Id-...), and nothing here relies on an order.
        params = {"$filter": " and ".join(clauses), "$expand": expand}
        query = str(httpx.QueryParams({k: v for k, v in params.items() if v}))
        return f"{self.base_url}/{entity}?{query}"

    async def pages(self, entity: str, first_url: str) -> AsyncIterator[Page]:
        url: str | None = first_url
        seen: set[str] = set()
        while url is not None:
            if url in seen:
                raise MalformedPage(f"{url}: nextLink loops back to a page already read")
            seen.add(url)
            page = split_page(entity, url, await self.get_json(url))
            yield page
            url = page.next_link

    async def get_json(self, url: str) -> object:
        response = await self._get(url, accept="application/json")
        try:
            return response.json()
        except ValueError as exc:
            raise MalformedPage(f"{url}: body is not JSON") from exc

    async def get_bytes(self, url: str) -> bytes:
        return (await self._get(url, accept="application/xml")).content

    async def _get(self, url: str, accept: str) -> httpx.Response:
        for attempt in range(self.retry.attempts):
            last = attempt == self.retry.attempts - 1
            try:
                response = await self.http.get(url, headers={"Accept": accept})
            except httpx.TransportError as exc:
                if last:
                    raise
                log.warning("opendata.retry", url=url, error=str(exc), attempt=attempt + 1)
            else:
                if response.status_code not in RETRY_STATUSES or last:
                    response.raise_for_status()
                    return response
                log.warning("opendata.retry", url=url, status=response.status_code, attempt=attempt + 1)
            await self.retry.sleep(self.retry.delay(attempt))
        raise AssertionError("unreachable: the last attempt returns or raises")
