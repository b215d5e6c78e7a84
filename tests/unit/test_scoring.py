"""The scorer on hand-made reports, and the gold files themselves (shape, verbatim text, worked example)."""

from __future__ import annotations

import copy
import json
import re
import sys
import types
from datetime import date
from pathlib import Path

import pytest

from bench import scoring
from bench.scoring import check_targets, format_table, misses, score

ROOT = Path(__file__).resolve().parents[2]
GOLD_DIR = ROOT / "tests" / "gold"
LETTERS_DIR = ROOT / "samples" / "letters"
GOLD_FILES = sorted(GOLD_DIR.glob("*.json"))

PRECISIONS = {"day", "days", "month", "quarter", "half", "year", "season", "part_of_year", "before", "vague"}
FORUMS = {"GGE LAWS", "CCW", "REAIM", "NATO", "EU", "OECD", "UN", "GCTF", "Wassenaar", "MTCR", "ATT", "BWC"}
KINDS = {"letter", "answers", "cabinet_response", "other"}

AIV = (
    "Zoals werd aangekondigd ten tijde van de publicatie zal dit advies in de tweede helft van 2020 "
    "worden geactualiseerd."
)
INFORM = "Ik zal uw Kamer blijven informeren over de voortgang."
EXPLORE = "Het Kabinet zal dit verder verkennen."


def due(start: str, end: str, precision: str = "half") -> dict:
    return {"start": start, "end": end, "precision": precision}


def report(file: str = "a.txt", commitments: list[dict] | None = None, **extra) -> dict:
    base = {
        "file": file,
        "document": {"date": "2019-09-20", "title": None, "kind": "letter", "kamerstuk": None},
        "motions": [{"id": "33694-43", "submitter": "Koopmans"}],
        "commitments": commitments
        if commitments is not None
        else [
            {"text": AIV, "actor": "AIV/CAVV", "due": due("2020-07-01", "2020-12-31")},
            {"text": INFORM, "actor": "minister van Buitenlandse Zaken", "due": None},
        ],
        "meetings": [{"forum": "GGE LAWS", "start": "2019-08-20", "end": "2019-08-21"}],
    }
    base.update(extra)
    return base


def rows(rep: scoring.ScoreReport) -> dict[str, scoring.Row]:
    return {r.field: r for r in rep.rows}


# --- the scorer --------------------------------------------------------------------------------------


def test_perfect_prediction_scores_one_everywhere() -> None:
    gold = [report("a.txt"), report("b.txt")]
    result = score(copy.deepcopy(gold), gold)
    for row in result.rows:
        assert row.f1 == 1.0, row
        assert row.precision in (None, 1.0) and row.recall in (None, 1.0), row
    assert rows(result)["commitments"].n == 4
    assert check_targets(result) == []
    assert misses(copy.deepcopy(gold), gold) == []


def test_missing_commitment_lowers_recall_not_precision() -> None:
    gold = [report()]
    pred = [report(commitments=[gold[0]["commitments"][0]])]
    c = rows(score(pred, gold))["commitments"]
    assert (c.precision, c.recall) == (1.0, 0.5)
    assert c.f1 == pytest.approx(2 / 3)
    assert any("commitments f1" in f for f in check_targets(score(pred, gold)))
    assert misses(pred, gold) == [f"a.txt: missed commitment: {INFORM}"]


def test_extra_commitment_lowers_precision() -> None:
    gold = [report()]
    pred = copy.deepcopy(gold)
    pred[0]["commitments"].append({"text": EXPLORE, "actor": "kabinet", "due": None})
    c = rows(score(pred, gold))["commitments"]
    assert (c.precision, c.recall) == (pytest.approx(2 / 3), 1.0)
    assert f"a.txt: extra commitment: {EXPLORE}" in misses(pred, gold)


def test_wrong_due_end_lowers_due_accuracy() -> None:
    gold = [report()]
    pred = copy.deepcopy(gold)
    pred[0]["commitments"][0]["due"] = due("2020-07-01", "2020-09-30", "quarter")
    result = rows(score(pred, gold))
    assert result["commitments"].f1 == 1.0  # the sentence is still found
    assert (result["commitments.due_end"].f1, result["commitments.due_end"].n) == (0.0, 1)
    assert result["commitments.due_start"].f1 == 1.0
    assert result["commitments.due_null"].f1 == 1.0
    assert check_targets(score(pred, gold)) == ["commitments.due_end f1 0.000 < 0.95"]
    assert any("due" in m and "2020-09-30" in m for m in misses(pred, gold))


def test_dated_versus_null_due_is_counted() -> None:
    gold = [report()]
    pred = copy.deepcopy(gold)
    pred[0]["commitments"][1]["due"] = due("2019-09-20", "2020-03-20", "vague")  # gold has no deadline
    result = rows(score(pred, gold))
    assert result["commitments.due_null"].f1 == 0.5
    assert result["commitments.due_end"].n == 1  # only dated gold commitments count there


def test_whitespace_case_and_markup_differences_still_match() -> None:
    gold = [report()]
    # layout, case, markup, an undone line-end hyphen and a bare footnote digit
    messy = (
        "zoals werd aangekondigd ten tijde van de\npublicatie  zal dit ADVIES<sup>4</sup> in de tweede "
        "helft van 2020 worden geactua- liseerd.5"
    )
    pred = copy.deepcopy(gold)
    pred[0]["commitments"][0]["text"] = messy
    assert rows(score(pred, gold))["commitments"].f1 == 1.0


def test_a_different_sentence_does_not_match() -> None:
    gold = [report(commitments=[{"text": EXPLORE, "actor": "kabinet", "due": None}])]
    other = (
        "Het kabinet zal de mogelijkheden voor staatsaansprakelijkheid verder verkennen "
        "en onderdeel maken van de inbreng."
    )
    pred = [report(commitments=[{"text": other, "actor": "kabinet", "due": None}])]
    assert rows(score(pred, gold))["commitments"].f1 == 0.0


def test_matching_is_one_to_one() -> None:
    gold = [report(commitments=[{"text": INFORM, "actor": None, "due": None}])]
    pred = [report(commitments=[{"text": INFORM, "actor": None, "due": None}] * 2)]
    c = rows(score(pred, gold))["commitments"]
    assert (c.precision, c.recall) == (0.5, 1.0)


def test_greedy_matching_prefers_the_best_overlap() -> None:
    a = "Het kabinet zal in 2021 een internationale conferentie organiseren over nieuwe technologieën."
    b = "Het kabinet zal in 2022 een internationale conferentie organiseren over nieuwe technologieën."
    gold = [
        report(
            commitments=[
                {"text": a, "actor": None, "due": due("2021-01-01", "2021-12-31", "year")},
                {"text": b, "actor": None, "due": due("2022-01-01", "2022-12-31", "year")},
            ]
        )
    ]
    pred = copy.deepcopy(gold)
    pred[0]["commitments"].reverse()
    assert rows(score(pred, gold))["commitments.due_end"].f1 == 1.0


def test_actor_agreement_ignores_case() -> None:
    gold = [report()]
    pred = copy.deepcopy(gold)
    pred[0]["commitments"][0]["actor"] = "aiv/cavv"
    pred[0]["commitments"][1]["actor"] = "kabinet"
    assert rows(score(pred, gold))["commitments.actor"].f1 == 0.5


def test_motions_score_ids_and_count_unnumbered_submitters_apart() -> None:
    gold = [
        report(
            motions=[
                {"id": "33694-43", "submitter": "Koopmans"},
                {"id": "35848-8", "submitter": "Van Ginneken"},
                {"id": None, "submitter": "Belhaj"},
            ]
        )
    ]
    pred = [report(motions=[{"id": "33694-43", "submitter": "Koopmans"}, {"id": None, "submitter": "Belhaj"}])]
    result = rows(score(pred, gold))
    assert (result["motions"].precision, result["motions"].recall, result["motions"].n) == (1.0, 0.5, 2)
    assert result["motions.submitter"].f1 == pytest.approx(2 / 3)
    assert "motions recall 0.500 < 1.0" in check_targets(score(pred, gold))
    assert "a.txt: missed motion 35848-8" in misses(pred, gold)


def test_meetings_need_exact_forum_and_dates() -> None:
    gold = [report()]
    pred = [report(meetings=[{"forum": "GGE LAWS", "start": "2019-08-20", "end": "2019-08-20"}])]
    m = rows(score(pred, gold))["meetings"]
    assert (m.precision, m.recall) == (0.0, 0.0)


def test_document_fields_and_missing_file() -> None:
    gold = [report("a.txt"), report("b.txt")]
    wrong = report("a.txt")
    wrong["document"] = {"date": None, "title": None, "kind": "other", "kamerstuk": None}
    result = score([wrong], gold)
    assert rows(result)["document.date"].f1 == 0.0  # a.txt wrong, b.txt missing
    assert result.missing_files == ["b.txt"]
    assert rows(result)["commitments"].recall == 0.5  # a.txt's commitments still match
    assert "document.date f1 0.000 < 1.0" in check_targets(result)
    assert "a.txt: document.date None, expected '2019-09-20'" in misses([wrong], gold)


def test_format_table_lists_every_row() -> None:
    result = score([report()], [report()])
    table = format_table(result)
    for row in result.rows:
        assert row.field in table
    assert "1.00" in table


def test_main_runs_the_extractor_and_exits_by_targets(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    gold = report("x.txt")
    (tmp_path / "gold").mkdir()
    (tmp_path / "gold" / "x.json").write_text(json.dumps(gold))
    (tmp_path / "x.txt").write_text("letter text", encoding="utf-8")
    answer = {k: v for k, v in gold.items() if k != "file"}

    class Fake:
        def to_report(self) -> dict:
            return copy.deepcopy(answer)

    module = types.ModuleType("services.ingest.domain.extract")
    module.extract = lambda text: Fake()  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "services.ingest.domain.extract", module)
    argv = ["--gold", str(tmp_path / "gold"), "--letters", str(tmp_path)]
    assert scoring.main(argv) == 0
    assert "commitments" in capsys.readouterr().out

    answer["commitments"] = []
    assert scoring.main(argv) == 1
    assert "missed commitment" in capsys.readouterr().out


# --- the gold files ----------------------------------------------------------------------------------


def _alnum(text: str) -> str:
    """Letters and digits only, so the verbatim check ignores layout, hyphenation and markup."""
    text = re.sub(r"<sup>.*?</sup>", "", text)
    return re.sub(r"\W|_", "", text.lower())


def _iso(value: str) -> date:
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", value), value
    return date.fromisoformat(value)


def _gold(stem: str) -> dict:
    return json.loads((GOLD_DIR / f"{stem}.json").read_text(encoding="utf-8"))


def test_there_is_one_gold_file_per_letter() -> None:
    assert [p.stem for p in GOLD_FILES] == sorted(p.stem for p in LETTERS_DIR.glob("*.txt"))


@pytest.mark.parametrize("path", GOLD_FILES, ids=lambda p: p.stem)
def test_gold_file_has_the_report_shape(path: Path) -> None:
    g = json.loads(path.read_text(encoding="utf-8"))
    assert set(g) == {"file", "document", "motions", "commitments", "meetings"}
    assert g["file"] == f"{path.stem}.txt" and (LETTERS_DIR / g["file"]).is_file()
    doc = g["document"]
    assert set(doc) == {"date", "title", "kind", "kamerstuk"}
    assert doc["date"] is None or _iso(doc["date"])
    assert doc["title"] is None or isinstance(doc["title"], str)
    assert doc["kind"] in KINDS
    assert doc["kamerstuk"] is None or (
        set(doc["kamerstuk"]) == {"dossier", "number"} and all(isinstance(v, str) for v in doc["kamerstuk"].values())
    )
    ids = [m["id"] for m in g["motions"] if m["id"]]
    assert len(ids) == len(set(ids))
    for m in g["motions"]:
        assert set(m) == {"id", "submitter"}
        assert m["id"] is None or re.fullmatch(r"\d+(-[0-9A-Z]+)?-\d+", m["id"])
    letter = _alnum((LETTERS_DIR / g["file"]).read_text(encoding="utf-8"))
    assert g["commitments"], "every sample letter promises something"
    for c in g["commitments"]:
        assert set(c) == {"text", "actor", "due"}
        assert c["text"] == " ".join(c["text"].split()) and "<sup>" not in c["text"] and "**" not in c["text"]
        assert _alnum(c["text"]) in letter, f"not verbatim in the letter: {c['text']}"
        if c["due"] is not None:
            assert set(c["due"]) == {"start", "end", "precision"}
            assert _iso(c["due"]["start"]) <= _iso(c["due"]["end"])
            assert c["due"]["precision"] in PRECISIONS
    for m in g["meetings"]:
        assert set(m) == {"forum", "start", "end"} and m["forum"] in FORUMS
        assert _iso(m["start"]) <= _iso(m["end"])


def _dues(g: dict, word: str) -> set[tuple[str, str]]:
    return {(c["due"]["start"], c["due"]["end"]) for c in g["commitments"] if c["due"] and word in c["text"]}


def _meetings(g: dict) -> set[tuple[str, str, str]]:
    return {(m["forum"], m["start"], m["end"]) for m in g["meetings"]}


def test_gold_agrees_with_the_worked_example() -> None:
    g0, g1, g2, g3, g4 = (_gold(p.stem) for p in GOLD_FILES)
    # AIV/CAVV update: second half of 2020 (000), moved to Q2 2021 (002)
    assert ("2020-07-01", "2020-12-31") in _dues(g0, "advies")
    assert ("2021-04-01", "2021-06-30") in _dues(g2, "advies")
    # the conference: 2021 (002), end of 2022 (001), the REAIM Summit of 15-16 February 2023 (004)
    assert ("2021-01-01", "2021-12-31") in _dues(g2, "conferentie")
    assert ("2022-10-01", "2022-12-31") in _dues(g1, "conferentie")
    assert ("2023-02-15", "2023-02-16") in _dues(g4, "REAIM Summit")
    assert ("REAIM", "2023-02-15", "2023-02-16") in _meetings(g4)
    # forums
    assert {("GGE LAWS", "2019-08-20", "2019-08-21"), ("CCW", "2019-11-11", "2019-11-15")} <= _meetings(g0)
    assert ("CCW", "2021-12-01", "2021-12-31") in _meetings(g3)
    # dates and motions
    assert [g["document"]["date"] for g in (g0, g1, g2, g3, g4)] == [
        "2019-09-20",
        "2021-10-11",
        "2021-03-22",
        None,
        "2023-01-26",
    ]
    for g in (g0, g1, g4):
        assert "33694-43" in {m["id"] for m in g["motions"]}
    assert {"id": None, "submitter": "Koopmans"} in g2["motions"]
    assert {"id": "35848-8", "submitter": "Van Ginneken"} in g4["motions"]


def test_gold_scores_perfectly_against_itself() -> None:
    gold = scoring.load_gold(GOLD_DIR)
    assert len(gold) == 5
    assert check_targets(score(copy.deepcopy(gold), gold)) == []
