"""Linking a new document's statements to known commitments, and the seed sequence of DESIGN.md."""

from dataclasses import replace
from datetime import date
from pathlib import Path

from services.ingest.domain.extract import extract
from services.ingest.domain.linking import KnownCommitment, Link, link_document
from services.ingest.domain.model import CommitmentStatement, Delivery, DocumentInfo, DueInterval, Extraction

LETTERS = Path(__file__).resolve().parents[2] / "samples" / "letters"
SEQUENCE = ("000", "002", "001", "003", "004")  # date order; 003 is undated


def _due(start: str, end: str) -> DueInterval:
    return DueInterval(date.fromisoformat(start), date.fromisoformat(end), "year")


ADVICE = KnownCommitment(
    "advice", "AIV/CAVV", "advies", frozenset({"aiv", "cavv", "autonom", "wapensystem"}),
    _due("2020-07-01", "2020-12-31"), date(2019, 9, 20), False,
)  # fmt: skip
CONFERENCE = KnownCommitment(
    "conference", "kabinet", "conferentie",
    frozenset({"nieuw", "technologi", "wapenbehersing", "militair", "domein", "initiatief", "lancer"}),
    _due("2021-01-01", "2021-12-31"), date(2021, 3, 22), False,
)  # fmt: skip


def _extraction(*commitments: CommitmentStatement, deliveries: tuple[Delivery, ...] = ()) -> Extraction:
    info = DocumentInfo(date(2021, 10, 11), None, "letter", None)
    return Extraction(info, commitments=commitments, deliveries=deliveries)


def _statement(
    actor: str, deliverable: str, topic: set[str], due: DueInterval | None, **kw: bool
) -> CommitmentStatement:
    return CommitmentStatement("...", actor, due, deliverable, frozenset(topic), **kw)


def test_same_deliverable_new_due_is_revised_same_due_is_restated() -> None:
    topic = set(CONFERENCE.topic)
    moved = _statement("kabinet", "conferentie", topic, _due("2022-10-01", "2022-12-31"))
    same = _statement("Nederland", "conferentie", topic, CONFERENCE.due)
    assert [(lk.kind, lk.commitment_id) for lk in link_document(_extraction(moved), [CONFERENCE])] == [
        ("revised", "conference")
    ]
    assert [lk.kind for lk in link_document(_extraction(same), [CONFERENCE])] == ["restated"]


def test_same_body_and_deliverable_without_shared_topic_is_not_enough() -> None:
    other_advice = Delivery("AIV/CAVV", "advies", date(2021, 12, 3), "advies over ruimte", frozenset({"ruimt"}))
    assert link_document(_extraction(deliveries=(other_advice,)), [ADVICE]) == []


def test_unrelated_topic_or_actor_is_a_new_commitment() -> None:
    uav = _statement("kabinet", "conferentie", {"uav", "commerciel", "industri", "standard"}, None)
    by_body = _statement("AIV/CAVV", "conferentie", set(CONFERENCE.topic), None)
    links = link_document(_extraction(uav, by_body), [CONFERENCE])
    assert [(lk.kind, lk.commitment_id) for lk in links] == [("made", None), ("made", None)]


def test_delivery_fulfils_with_its_date_else_the_document_date() -> None:
    dated = Delivery("AIV/CAVV", "advies", date(2021, 12, 3), "AIV-advies 119 ...", ADVICE.topic)
    (link,) = link_document(_extraction(deliveries=(dated,)), [ADVICE])
    assert (link.kind, link.commitment_id, link.fulfilled_on) == ("fulfilled", "advice", date(2021, 12, 3))
    undated = replace(dated, on=None)
    (link,) = link_document(_extraction(deliveries=(undated,)), [ADVICE])
    assert link.fulfilled_on == date(2021, 10, 11)


def test_delivery_older_than_the_promise_does_not_fulfil_it() -> None:
    old = Delivery("AIV/CAVV", "advies", date(2015, 10, 1), "advies uit 2015", frozenset(ADVICE.topic))
    assert link_document(_extraction(deliveries=(old,)), [ADVICE]) == []


def test_each_known_commitment_is_matched_once_best_score_wins() -> None:
    weak = _statement("kabinet", "conferentie", {"nieuw", "technologi", "wapenbehersing"}, None)
    strong = _statement("kabinet", "conferentie", set(CONFERENCE.topic), _due("2023-02-15", "2023-02-16"))
    links = link_document(_extraction(weak, strong), [CONFERENCE])
    assert [(lk.kind, lk.commitment_id) for lk in links] == [("made", None), ("revised", "conference")]


def test_fulfilled_here_statement_fulfils() -> None:
    words = {"motie", "koopman", "stapp", "uitvoering", "verdrag", "massavernietigingswap", "aanjager"}
    promise = KnownCommitment("inform", "minister", "brief", frozenset(words), None, None, False)
    statement = _statement("minister", "brief", words | {"volgend"}, None, fulfilled_here=True)
    (link,) = link_document(_extraction(statement), [promise])
    assert (link.kind, link.commitment_id, link.fulfilled_on) == ("fulfilled", "inform", date(2021, 10, 11))


def run_seed_sequence() -> dict[str, list[Link]]:
    """Feeds the seeds in date order, accumulating `known` from the links like the ingest service would."""
    known: dict[str, KnownCommitment] = {}
    results: dict[str, list[Link]] = {}
    for prefix in SEQUENCE:
        extraction = extract(next(LETTERS.glob(f"{prefix}_*.txt")).read_text(encoding="utf-8"))
        stated_on = extraction.document.date
        links = link_document(extraction, list(known.values()))
        results[prefix] = links
        for index, link in enumerate(links):
            statement = link.statement
            if link.kind == "made" and statement is not None:
                cid = f"{prefix}-{index}"
                known[cid] = KnownCommitment(cid, statement.actor, statement.deliverable, statement.topic,
                                             statement.due, stated_on, statement.fulfilled_here)  # fmt: skip
            elif link.commitment_id is not None:
                current = known[link.commitment_id]
                if link.kind == "fulfilled":
                    known[link.commitment_id] = replace(current, fulfilled=True)
                elif statement is not None:
                    known[link.commitment_id] = replace(
                        current, topic=current.topic | statement.topic, due=statement.due or current.due,
                        stated_on=stated_on or current.stated_on,
                    )  # fmt: skip
    return results


def _made_id(results: dict[str, list[Link]], prefix: str, needle: str) -> str:
    index = next(i for i, lk in enumerate(results[prefix]) if lk.kind == "made" and needle in lk.statement.text)  # type: ignore[union-attr]
    return f"{prefix}-{index}"


def test_seed_sequence_links_the_worked_example() -> None:
    results = run_seed_sequence()
    advice = _made_id(results, "000", "zal dit advies in de tweede helft")
    uav = _made_id(results, "000", "UAV-industrie")
    conference = _made_id(results, "002", "voornemens in 2021 een internationale conferentie")

    def kinds(prefix: str, commitment_id: str) -> list[str]:
        return [lk.kind for lk in results[prefix] if lk.commitment_id == commitment_id]

    assert kinds("002", advice) == ["revised"]
    assert kinds("003", advice) == ["fulfilled"]
    assert kinds("004", advice) == ["fulfilled"]
    assert [lk.fulfilled_on for lk in results["003"] if lk.commitment_id == advice] == [None]
    assert [lk.fulfilled_on for lk in results["004"] if lk.commitment_id == advice] == [date(2021, 12, 3)]
    assert kinds("001", conference) == ["revised"]
    assert "revised" in kinds("004", conference)
    assert all(lk.commitment_id != uav for prefix in SEQUENCE for lk in results[prefix])  # stays separate
