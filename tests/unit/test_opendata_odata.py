"""The OData client: paging by @odata.nextLink/$skiptoken, tombstones, retries with backoff, bad pages."""

from __future__ import annotations

import asyncio
import datetime as dt
import json

import httpx
import pytest

from services.ingest.opendata.odata import (
    MalformedPage,
    ODataClient,
    RetryPolicy,
    odata_time,
    parse_time,
    split_page,
)
from tests.helpers.tk_odata import FakeGegevensmagazijn, load


class Sleeps:
    def __init__(self) -> None:
        self.delays: list[float] = []

    async def __call__(self, delay: float) -> None:
        self.delays.append(delay)


def client_for(fake: FakeGegevensmagazijn, sleeps: Sleeps | None = None) -> ODataClient:
    http = httpx.AsyncClient(transport=fake.transport())
    return ODataClient(fake.base_url, http, RetryPolicy(attempts=4, first_delay=0.5, sleep=sleeps or Sleeps()))


async def read_all(client: ODataClient, entity: str, since: dt.datetime | None = None) -> list:
    return [page async for page in client.pages(entity, client.first_url(entity, since))]


def test_the_recorded_raw_page_splits_into_records_and_its_real_next_link() -> None:
    raw = load("raw_stemming_sample.json")
    page = split_page("Stemming", "recorded", raw)
    assert len(page.records) + len(page.tombstones) + page.rejected == len(raw["value"]) == 250
    assert page.next_link is not None and "$skiptoken=Id-" in page.next_link


def test_pages_follow_next_links_until_the_last_and_tombstones_come_apart() -> None:
    activities = load("activiteit_subset.json")
    fake = FakeGegevensmagazijn(entities={"Activiteit": activities}, page_size=2)
    pages = asyncio.run(read_all(client_for(fake), "Activiteit"))
    assert len(pages) == 4  # 7 records, 2 a page
    assert [p.next_link is None for p in pages] == [False, False, False, True]
    assert "$skiptoken=Id-" in fake.requests[1]
    ids = [r["Id"] for p in pages for r in p.records] + [t.id for p in pages for t in p.tombstones]
    assert sorted(ids) == sorted(a["Id"] for a in activities)
    tombstones = [t for p in pages for t in p.tombstones]
    assert [t.id for t in tombstones] == [a["Id"] for a in activities if a["Verwijderd"]]


def test_only_records_changed_after_since_are_read() -> None:
    activities = load("activiteit_subset.json")
    since = dt.datetime(2025, 1, 1, tzinfo=dt.UTC)
    fake = FakeGegevensmagazijn(entities={"Activiteit": activities})
    pages = asyncio.run(read_all(client_for(fake), "Activiteit", since))
    read = {r["Id"] for p in pages for r in p.records}
    expected = {a["Id"] for a in activities if parse_time(a["ApiGewijzigdOp"]) > since and not a["Verwijderd"]}
    assert read == expected and 0 < len(read) < len(activities)
    assert f"ApiGewijzigdOp gt {odata_time(since)}" in httpx.URL(fake.requests[0]).params["$filter"]


def test_transient_failures_are_retried_with_growing_delays() -> None:
    fake = FakeGegevensmagazijn(entities={"Activiteit": load("activiteit_subset.json")}, failures=[503, 429, 502])
    sleeps = Sleeps()
    pages = asyncio.run(read_all(client_for(fake, sleeps), "Activiteit"))
    assert sum(len(p.records) + len(p.tombstones) for p in pages) == 7
    assert sleeps.delays == [0.5, 1.0, 2.0]


def test_a_failure_that_outlasts_the_retries_is_raised() -> None:
    fake = FakeGegevensmagazijn(entities={"Activiteit": []}, failures=[503] * 4)
    with pytest.raises(httpx.HTTPStatusError):
        asyncio.run(read_all(client_for(fake), "Activiteit"))
    assert len(fake.requests) == 4


def test_a_client_error_is_not_retried() -> None:
    fake = FakeGegevensmagazijn(entities={})
    with pytest.raises(httpx.HTTPStatusError):
        asyncio.run(read_all(client_for(fake), "Nope"))
    assert len(fake.requests) == 1


MALFORMED = [b"<html>maintenance</html>", b"[]", json.dumps({"value": 3}).encode(),
             json.dumps({"value": [], "@odata.nextLink": 7}).encode()]  # fmt: skip


@pytest.mark.parametrize("body", MALFORMED)
def test_a_malformed_page_is_refused(body: bytes) -> None:
    fake = FakeGegevensmagazijn(entities={"Activiteit": []}, broken_pages={("Activiteit", 0): body})
    with pytest.raises(MalformedPage):
        asyncio.run(read_all(client_for(fake), "Activiteit"))


def test_records_without_id_or_change_time_are_rejected_and_the_rest_kept() -> None:
    good = load("activiteit_subset.json")[1]
    page = split_page("Activiteit", "u", {"value": [good, {"Id": None}, "junk", {**good, "ApiGewijzigdOp": None}]})
    assert [r["Id"] for r in page.records] == [good["Id"]] and page.rejected == 3


def test_odata_times_with_seven_fraction_digits_parse() -> None:
    assert parse_time("2025-09-12T10:27:53.0302169Z") == dt.datetime(2025, 9, 12, 10, 27, 53, 30216, tzinfo=dt.UTC)
    assert parse_time("2025-09-12T12:27:49.373+02:00") == dt.datetime(2025, 9, 12, 10, 27, 49, 373000, tzinfo=dt.UTC)
    assert parse_time("nonsense") is None and parse_time(None) is None
