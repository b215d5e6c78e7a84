"""The worked example of DESIGN.md, end to end over the real seed letters: extract, then link in date order."""

from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest

from services.ingest.domain.extract import extract
from services.ingest.domain.linking import KnownCommitment, Link, link_document
from services.ingest.domain.model import CommitmentStatement, Extraction

LETTERS = Path(__file__).resolve().parents[2] / "samples" / "letters"
SEQUENCE = ("000", "002", "001", "003", "004")


def _extract(prefix: str, document_date: date | None = None) -> Extraction:
    text = next(LETTERS.glob(f"{prefix}_*.txt")).read_text(encoding="utf-8")
    return extract(text, document_date=document_date)


def _statement(extraction: Extraction, needle: str) -> CommitmentStatement:
    return next(c for c in extraction.commitments if needle in c.text)


def _interval(statement: CommitmentStatement) -> tuple[str, str, str]:
    assert statement.due is not None, statement.text
    return statement.due.start.isoformat(), statement.due.end.isoformat(), statement.due.precision


def test_000_aiv_update_and_the_separate_uav_conference() -> None:
    extraction = _extract("000")
    advice = _statement(extraction, "zal dit advies in de tweede helft van het jaar 2020 worden geactualiseerd")
    assert (advice.actor, advice.deliverable) == ("AIV/CAVV", "advies")
    assert _interval(advice) == ("2020-07-01", "2020-12-31", "half")
    assert advice.motions == ("33694-43",)
    uav = _statement(extraction, "UAV-industrie")
    assert uav.deliverable == "conferentie"
    assert _interval(uav) == ("2020-01-01", "2020-12-31", "year")
    open_ended = _statement(extraction, "Ik zal uw Kamer blijven informeren")
    assert open_ended.due is None


def test_002_moves_the_advice_and_announces_the_conference() -> None:
    extraction = _extract("002")
    advice = _statement(extraction, "In het tweede kwartaal van dit jaar zal de AIV/CAVV commissie")
    assert advice.actor == "AIV/CAVV"
    assert _interval(advice) == ("2021-04-01", "2021-06-30", "quarter")
    conference = _statement(extraction, "voornemens in 2021 een internationale conferentie")
    assert _interval(conference) == ("2021-01-01", "2021-12-31", "year")
    assert not any(c.text.startswith("Welke") for c in extraction.commitments)  # questions are skipped


def test_001_moves_the_conference_to_end_2022() -> None:
    extraction = _extract("001")
    assert extraction.document.kamerstuk is not None and extraction.document.kamerstuk.document_id == "kst-33694-63"
    conference = _statement(extraction, "eind 2022 een internationale conferentie")
    assert (conference.actor, conference.deliverable) == ("kabinet", "conferentie")
    assert _interval(conference) == ("2022-10-01", "2022-12-31", "part_of_year")
    assert _statement(extraction, "Zoals toegezegd tijdens het Commissiedebat").fulfilled_here


def test_003_stays_undated_and_delivers_the_advice() -> None:
    extraction = _extract("003")
    assert extraction.document.date is None
    assert extraction.document.kind == "cabinet_response"
    assert [(d.actor, d.deliverable, d.on) for d in extraction.deliveries] == [("AIV/CAVV", "advies", None)]
    assert all(c.due is None for c in extraction.commitments)  # no relative dates resolved without a date
    meetings = [(m.forum, m.start, m.end) for m in extraction.meetings]
    assert meetings == [("CCW", date(2021, 12, 1), date(2021, 12, 31))]
    assert _extract("003", date(2022, 3, 1)).document.date == date(2022, 3, 1)  # a caller may supply it


def test_004_reaim_summit_and_the_dated_advice() -> None:
    extraction = _extract("004")
    summit = _statement(extraction, "Met de ministeriële REAIM Summit")
    assert summit.deliverable == "conferentie"
    assert _interval(summit) == ("2023-02-15", "2023-02-16", "days")
    assert ("AIV/CAVV", "advies", date(2021, 12, 3)) in [(d.actor, d.deliverable, d.on) for d in extraction.deliveries]
    assert [m.id for m in extraction.motions] == ["33694-43", "35848-8"]


def _run_sequence() -> tuple[dict[str, list[Link]], dict[str, KnownCommitment]]:
    known: dict[str, KnownCommitment] = {}
    results: dict[str, list[Link]] = {}
    for prefix in SEQUENCE:
        extraction = _extract(prefix)
        stated_on = extraction.document.date
        results[prefix] = links = link_document(extraction, list(known.values()))
        for index, link in enumerate(links):
            statement = link.statement
            if link.kind == "made" and statement is not None:
                cid = f"{prefix}-{index}"
                known[cid] = KnownCommitment(cid, statement.actor, statement.deliverable, statement.topic,
                                             statement.due, stated_on, statement.fulfilled_here)  # fmt: skip
            elif link.commitment_id and link.kind == "fulfilled":
                known[link.commitment_id] = replace(known[link.commitment_id], fulfilled=True)
            elif link.commitment_id and statement is not None:
                current = known[link.commitment_id]
                known[link.commitment_id] = replace(
                    current, topic=current.topic | statement.topic, due=statement.due or current.due,
                    stated_on=stated_on or current.stated_on,
                )  # fmt: skip
    return results, known


@pytest.fixture(scope="module")
def sequence() -> tuple[dict[str, list[Link]], dict[str, KnownCommitment]]:
    return _run_sequence()


def _history(results: dict[str, list[Link]], commitment_id: str) -> list[tuple[str, str, str | None]]:
    rows = []
    for prefix in SEQUENCE:
        for link in results[prefix]:
            if link.commitment_id == commitment_id:
                due = link.statement.due.end.isoformat() if link.statement and link.statement.due else None
                rows.append((prefix, link.kind, due))
    return rows


def _made(results: dict[str, list[Link]], prefix: str, needle: str) -> str:
    for index, link in enumerate(results[prefix]):
        if link.kind == "made" and link.statement is not None and needle in link.statement.text:
            return f"{prefix}-{index}"
    raise AssertionError(f"{needle!r} not made in {prefix}")


def test_aiv_advice_made_revised_fulfilled(sequence: tuple[dict[str, list[Link]], dict[str, KnownCommitment]]) -> None:
    results, known = sequence
    advice = _made(results, "000", "zal dit advies in de tweede helft")
    assert _history(results, advice) == [("002", "revised", "2021-06-30"), ("003", "fulfilled", None),
                                         ("004", "fulfilled", None)]  # fmt: skip
    fulfilled_on = [lk.fulfilled_on for p in ("003", "004") for lk in results[p] if lk.commitment_id == advice]
    assert fulfilled_on == [None, date(2021, 12, 3)]
    assert known[advice].fulfilled


def test_military_ai_conference_revised_twice(
    sequence: tuple[dict[str, list[Link]], dict[str, KnownCommitment]],
) -> None:
    results, known = sequence
    conference = _made(results, "002", "voornemens in 2021 een internationale conferentie")
    revisions = [row for row in _history(results, conference) if row[1] == "revised"]
    assert revisions == [("001", "revised", "2022-12-31"), ("004", "revised", "2023-02-16")]
    due = known[conference].due
    assert due is not None and (due.start, due.end) == (date(2023, 2, 15), date(2023, 2, 16))


def test_uav_conference_stays_separate(sequence: tuple[dict[str, list[Link]], dict[str, KnownCommitment]]) -> None:
    results, known = sequence
    uav = _made(results, "000", "UAV-industrie")
    assert _history(results, uav) == []
    assert known[uav].due is not None and known[uav].due.end == date(2020, 12, 31)
