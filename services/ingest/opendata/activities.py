"""Committee debates (Activiteit, Soort Commissiedebat) as meetings of the committee that leads them."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from schemas import ids
from schemas.events import Envelope, ForumMeetingReported
from schemas.opendata import ForumMeetingCancelled, ForumMeetingMoved
from services.ingest.domain.dates import find_date_spans
from services.ingest.opendata.records import SkipRecord, open_data_event, record_day, record_time

COMMITTEE_DEBATE = "Commissiedebat"
# "(Verplaatst naar 23 september 2025)", "is verplaatst naar 18 april 2024", "VERPLAATST naar 27 november"
_MOVED_TO = re.compile(r"\bverplaatst\s+naar\s+(?P<rest>.*)", re.IGNORECASE)


def moved_to(subject: str, scheduled_for: dt.date | None) -> dt.date | None:
    """The new day the subject names; a day without a year is the next one after the old date.
    None for "tot nader order uitgesteld" or "naar een nader te bepalen datum"."""
    match = _MOVED_TO.search(subject)
    if match is None:
        return None
    days = [s for s in find_date_spans(match.group("rest"), scheduled_for, "future") if s.precision == "day"]
    return days[0].start if days else None


def committee_forum(activity: dict[str, Any]) -> tuple[str, str]:
    """(forum id, name): the voortouwcommissie, named by its abbreviation ('FIN' -> tk-fin)."""
    short = activity.get("Voortouwafkorting")
    name = activity.get("Voortouwnaam") or activity.get("Voortouwkortenaam")
    if not short or not name:
        raise SkipRecord("no voortouwcommissie")
    return ids.forum_id(f"tk-{short}"), name


def debate_event(activity: dict[str, Any]) -> Envelope | None:
    """The event of a committee debate as it now stands; None for other activities and unscheduled debates."""
    if activity.get("Soort") != COMMITTEE_DEBATE:
        return None
    status = activity.get("Status")
    number = activity.get("Nummer")
    if not number:
        raise SkipRecord("no Nummer")
    forum, name = committee_forum(activity)
    day = record_day(activity, "Datum")
    modified = record_time(activity)
    subject = " ".join((activity.get("Onderwerp") or "").split())
    common = {"record_id": activity["Id"], "source_modified": modified, "forum_id": forum, "forum": name}
    match status:
        case "Gepland" | "Uitgevoerd":
            if day is None:
                return None  # "Nog geen datum bekend": nothing to put on a timeline yet
            data: Any = ForumMeetingReported(
                **{k: v for k, v in common.items() if k not in ("record_id", "source_modified")},
                start=day,
                end=day,
                held=status == "Uitgevoerd",
                document_id=f"tk-activiteit-{ids.token(number)}",
                sentence=f"{COMMITTEE_DEBATE} {subject}",
            )
        case "Verplaatst":
            data = ForumMeetingMoved(
                **common, activity_number=number, subject=subject, scheduled_for=day, moved_to=moved_to(subject, day)
            )
        case "Geannuleerd":
            data = ForumMeetingCancelled(**common, activity_number=number, subject=subject, scheduled_for=day)
        case _:
            raise SkipRecord(f"unknown Status {status!r}")
    return open_data_event(data, occurred_on=day, modified=modified, record_id=activity["Id"])
