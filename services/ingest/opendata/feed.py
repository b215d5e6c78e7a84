"""One poll of the Tweede Kamer open data: per entity, every record changed since its cursor, as events.

Order of a poll: motions (Zaak) first, so the votes (Stemming) that follow can name the motions they decide.
Each event is published, then recorded (a crash in between republishes it under the same id, which JetStream's
dedup window or the fact registry drops). An entity's cursor moves only after every page of its run was read
and published; a page that cannot be read ends that entity's run, logged, and the next poll retries it.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import json
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

import httpx
import structlog
from sqlalchemy.engine import Engine
from sqlmodel import Session

from schemas import ids
from schemas.codec import AMSTERDAM
from schemas.events import Envelope
from schemas.opendata import OpenDataRecordDeleted
from services.common.nats import Published
from services.ingest.opendata import activities, motions, registry, toezeggingen
from services.ingest.opendata.odata import MalformedPage, ODataClient, Tombstone
from services.ingest.opendata.publication import NotAMotionPublication, read_motion_publication
from services.ingest.opendata.records import SkipRecord, open_data_event, skipped

log = structlog.get_logger("opendata.feed")

Publish = Callable[[Envelope], Awaitable[Published]]


@dataclass(frozen=True)
class EntityQuery:
    entity: str
    where: str = ""
    expand: str = ""


STEMMING_EXPAND = "Besluit($expand=Agendapunt($expand=Zaak)),Fractie"
VOTES_OF_BESLUIT = EntityQuery("Stemming", "", STEMMING_EXPAND)
# Tombstones have every field but Id and Verwijderd null, so a filter on Soort must let them through.
QUERIES = (
    EntityQuery(
        "Zaak",
        "(Soort eq 'Motie' or Verwijderd eq true)",
        "Document($expand=HuidigeDocumentVersie($expand=DocumentPublicatie)),ZaakActor",
    ),
    EntityQuery("Stemming", "", STEMMING_EXPAND),
    # The live service links a Besluit to its Zaak directly; this also finds decisions without votes
    # (aangehouden, ingetrokken), which no Stemming row carries.
    EntityQuery("Besluit", "(startswith(BesluitSoort,'Stemmen') or Verwijderd eq true)", "Zaak,Stemming"),
    EntityQuery("Activiteit", "(Soort eq 'Commissiedebat' or Verwijderd eq true)"),
    EntityQuery("Toezegging"),
)


@dataclass
class EntityReport:
    records: int = 0
    tombstones: int = 0
    published: int = 0
    unchanged: int = 0
    skipped: int = 0
    complete: bool = True


@dataclass
class PollReport:
    entities: dict[str, EntityReport] = field(default_factory=dict)

    @property
    def published(self) -> int:
        return sum(e.published for e in self.entities.values())

    @property
    def complete(self) -> bool:
        return all(e.complete for e in self.entities.values())


def fact_digest(event: Envelope) -> str:
    """What the event states, without when the record last changed."""
    stated = {k: v for k, v in event.data.items() if k != "source_modified"}
    return ids.digest(event.type, json.dumps(stated, sort_keys=True, ensure_ascii=False), length=32)


class TkFeed:
    def __init__(self, client: ODataClient, engine: Engine, publish: Publish, since: dt.date | None = None) -> None:
        self.client = client
        self.engine = engine
        self.publish = publish
        self.since = dt.datetime.combine(since, dt.time(0), tzinfo=AMSTERDAM) if since else None
        registry.create_tables(engine)

    async def poll(self, queries: Iterable[EntityQuery] = QUERIES) -> PollReport:
        report = PollReport()
        for query in queries:
            report.entities[query.entity] = await self.poll_entity(query)
        return report

    async def poll_entity(self, query: EntityQuery) -> EntityReport:
        """Page by page (a first poll may cover years): each page's events are published before the next page
        is read; the cursor moves to the newest change seen once the last page is done."""
        report = EntityReport()
        with Session(self.engine) as session:
            cursor = registry.cursor(session, query.entity)
        since = max((m for m in (cursor, self.since) if m is not None), default=None)
        newest: dt.datetime | None = None
        done: set[str] = set()  # Besluiten whose votes this run has read in full already
        url = self.client.first_url(query.entity, since, where=query.where, expand=query.expand)
        try:
            async for page in self.client.pages(query.entity, url):
                report.records += len(page.records)
                report.tombstones += len(page.tombstones)
                report.skipped += page.rejected
                events = await self.events(query.entity, page.records, report, done)
                if page.tombstones:
                    with Session(self.engine) as session:
                        events += deleted(page.tombstones, registry.motion_ids(session))
                for record_id, event in events:
                    await self.publish_fact(record_id, event, report)
                changes = [t.modified for t in page.tombstones] + [motions.record_time(r) for r in page.records]
                newest = max([*changes, *([newest] if newest else [])], default=None)
        except (MalformedPage, httpx.HTTPError) as exc:
            # What was read is published; the cursor stays, so the next poll reads the rest again.
            log.error("opendata.run_incomplete", entity=query.entity, error=str(exc))
            report.complete = False
        if report.complete and newest is not None:
            with Session(self.engine) as session:
                registry.move_cursor(session, query.entity, newest)
                session.commit()
        log.info("opendata.polled", entity=query.entity, since=since.isoformat() if since else None,
                 **vars(report))  # fmt: skip
        return report

    async def events(
        self, entity: str, records: list[dict[str, Any]], report: EntityReport, done: set[str]
    ) -> list[tuple[str, Envelope]]:
        with Session(self.engine) as session:
            known = registry.motion_ids(session)  # Zaak GUID -> motion id, for the decisions
        out: list[tuple[str, Envelope]] = []
        if entity == "Stemming":
            for besluit, changed in motions.besluiten_with_votes(records):
                if besluit["Id"] in done:
                    continue
                done.add(besluit["Id"])
                rows = await self._all_votes(besluit["Id"], report)
                if rows is not None:
                    votes = rows or changed
                    out += self._guarded(entity, besluit, report, motions.decided, besluit, votes, known)
            return out
        for record in records:
            if entity == "Zaak":
                out += await self._motion_events(record, report)
            elif entity == "Besluit":
                votes = record.get("Stemming") or []
                out += self._guarded(entity, record, report, motions.decided, record, votes, known)
            elif entity == "Activiteit":
                out += self._guarded(entity, record, report, activities.debate_event, record)
            elif entity == "Toezegging":
                out += self._guarded(entity, record, report, toezeggingen.commitment_events, record)
            else:
                raise ValueError(f"no events are read from {entity}")
        return out

    def _guarded(
        self, entity: str, record: dict[str, Any], report: EntityReport, make: Callable[..., Any], *args: Any
    ) -> list[tuple[str, Envelope]]:
        """The record's events (`make(*args)`: one, none or a list), or none when it is bad input: logged with
        its id, and the poll goes on."""
        try:
            made = make(*args)
        except (SkipRecord, ValueError) as exc:  # pydantic's ValidationError is a ValueError
            skipped(entity, record, str(exc))
            report.skipped += 1
            return []
        return [(record["Id"], e) for e in (made if isinstance(made, list) else [made]) if e is not None]

    async def _all_votes(self, besluit_id: str, report: EntityReport) -> list[dict[str, Any]] | None:
        """Every vote on a Besluit: an incremental poll may see only the rows that changed (a Vergissing
        corrected), and a decision must carry them all. None when they cannot be read: retried next poll."""
        query = VOTES_OF_BESLUIT
        url = self.client.first_url(query.entity, None, where=f"Besluit_Id eq {besluit_id}", expand=query.expand)
        try:
            return [r async for page in self.client.pages(query.entity, url) for r in page.records]
        except (MalformedPage, httpx.HTTPError) as exc:
            log.error("opendata.votes_unreadable", besluit_id=besluit_id, error=str(exc))
            report.complete = False
            return None

    async def _motion_events(self, zaak: dict[str, Any], report: EntityReport) -> list[tuple[str, Envelope]]:
        found: list[Envelope] = []
        motion_id = motions.motion_id_of(zaak)
        publication_id = motions.xml_publication_id(zaak)
        if publication_id is None:
            skipped("Zaak", zaak, "no Xml DocumentPublicatie expanded: motion text unknown")
        else:
            try:
                xml = await self.client.get_bytes(
                    f"{self.client.base_url}/DocumentPublicatie({publication_id})/Resource"
                )
                publication = read_motion_publication(xml)
                found.append(motions.submitted(zaak, publication))
                motion_id = publication.motion_id
            except (httpx.HTTPError, NotAMotionPublication, SkipRecord, ValueError) as exc:
                skipped("Zaak", zaak, f"publication {publication_id}: {exc}")
        if motion_id is None:
            report.skipped += 1
            return []
        with Session(self.engine) as session:
            session.merge(registry.OpenDataMotion(zaak_id=zaak["Id"], motion_id=motion_id))
            session.commit()
        return [(zaak["Id"], e) for e in found] + self._guarded(
            "Zaak", zaak, report, motions.appraised, zaak, motion_id
        )

    async def publish_fact(self, record_id: str, event: Envelope, report: EntityReport) -> None:
        digest = fact_digest(event)
        with Session(self.engine) as session:
            last = session.get(registry.OpenDataFact, (record_id, event.type))
            if last is not None and (last.digest == digest or last.event_id == event.id):
                report.unchanged += 1
                return
            published = await self.publish(event)
            session.merge(registry.OpenDataFact(record_id=record_id, event_type=event.type, digest=digest,
                                                event_id=event.id, sequence=published.sequence))  # fmt: skip
            session.commit()
        report.published += 1


def deleted(tombstones: Iterable[Tombstone], motion_ids: dict[str, str]) -> list[tuple[str, Envelope]]:
    events = []
    for t in tombstones:
        data = OpenDataRecordDeleted(
            record_id=t.id, source_modified=t.modified, entity=t.entity, motion_id=motion_ids.get(t.id)
        )
        events.append((t.id, open_data_event(data, record_id=t.id, occurred_on=None, modified=t.modified)))
    return events


async def run_periodically(feed: TkFeed, interval_seconds: float, stop: asyncio.Event) -> None:
    """Poll, then wait `interval_seconds` (or until `stop`); a failed poll is logged and tried again next time."""
    while not stop.is_set():
        try:
            await feed.poll()
        except Exception:  # the poller must outlive one bad poll (e.g. NATS briefly down)
            log.exception("opendata.poll_failed")
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(stop.wait(), timeout=interval_seconds)
