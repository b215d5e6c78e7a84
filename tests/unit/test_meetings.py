"""Dated meetings of forums, and the forum alias table."""

from datetime import date
from pathlib import Path

from services.ingest.domain.cleaning import clean
from services.ingest.domain.forums import canonical_forum, find_forums
from services.ingest.domain.meetings import find_meetings

LETTERS = Path(__file__).resolve().parents[2] / "samples" / "letters"


def _meetings(prefix: str, document_date: date | None) -> set[tuple[str, date, date, bool]]:
    doc = clean(next(LETTERS.glob(f"{prefix}_*.txt")).read_text(encoding="utf-8"))
    return {(m.forum, m.start, m.end, m.held) for m in find_meetings(doc, document_date)}


def test_seed_000_gge_held_and_ccw_upcoming() -> None:
    found = _meetings("000", date(2019, 9, 20))
    assert ("GGE LAWS", date(2019, 8, 20), date(2019, 8, 21), True) in found
    assert ("CCW", date(2019, 11, 11), date(2019, 11, 15), False) in found
    assert ("EU", date(2019, 9, 1), date(2019, 11, 30), False) in found  # EDEO meeting "najaar van 2019"
    assert not any(forum == "UN" for forum, *_ in found)  # a UN report "in mei", not a meeting


def test_seed_003_undated_keeps_only_meetings_with_a_year() -> None:
    assert _meetings("003", None) == {("CCW", date(2021, 12, 1), date(2021, 12, 31), True)}


def test_seed_004_reaim_summit_and_no_document_dates() -> None:
    assert _meetings("004", date(2023, 1, 26)) == {("REAIM", date(2023, 2, 15), date(2023, 2, 16), False)}


def test_meeting_without_year_in_undated_document_is_skipped() -> None:
    doc = clean("Van 11 tot 15 november vindt de bijeenkomst van de verdragspartijen bij de CCW plaats.")
    assert find_meetings(doc, None) == ()
    (meeting,) = find_meetings(doc, date(2019, 9, 20))
    assert (meeting.forum, meeting.start, meeting.end) == ("CCW", date(2019, 11, 11), date(2019, 11, 15))


def test_forum_aliases() -> None:
    assert find_forums("Binnen de NAVO, de OESO en in VN-verband; ook de Group of Governmental Experts.") == (
        "NATO",
        "OECD",
        "UN",
        "GGE LAWS",
    )
    assert canonical_forum("NAVO") == "NATO"
    assert canonical_forum("Raad Buitenlandse Zaken") == "EU"
    assert canonical_forum("Conventionele Wapenverdrag") == "CCW"
    assert canonical_forum("Tweede Kamer") is None
