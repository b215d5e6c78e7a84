"""Score extraction reports against the hand-made gold in `tests/gold/`.

Pure functions over `ptl extract --json` dicts (each with a "file" key), plus a `main` that runs the real
extractor over the sample letters: `python -m bench.scoring [--gold DIR] [--letters DIR]`.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
GOLD_DIR = ROOT / "tests" / "gold"
LETTERS_DIR = ROOT / "samples" / "letters"

# Two sentences are the same commitment when their word sets overlap this much; small cleaning
# differences (footnote marks, hyphenation, quotes) must not count as misses.
JACCARD_MIN = 0.6
CONTAINMENT_MIN = 0.8
CONTAINMENT_LENGTH_RATIO = 0.5  # containment only between sentences of comparable length

TARGETS = {
    "commitments": ("f1", 0.9),
    "commitments.due_end": ("f1", 0.95),
    "motions": ("recall", 1.0),
    "document.date": ("f1", 1.0),
}


@dataclass(frozen=True)
class Row:
    field: str
    precision: float | None  # None for accuracy rows
    recall: float | None
    f1: float  # F1, or the accuracy for single-valued fields
    n: int  # gold items the row is computed over


@dataclass
class ScoreReport:
    rows: list[Row]
    missing_files: list[str] = field(default_factory=list)  # gold files with no prediction

    def row(self, name: str) -> Row:
        return next(r for r in self.rows if r.field == name)


# --- text matching -------------------------------------------------------------------------------

_SUP = re.compile(r"<sup>.*?</sup>", re.S)
_WORD = re.compile(r"\w+")


def tokens(text: str) -> set[str]:
    """Lower-case word set of a sentence, ignoring markup, punctuation and whitespace."""
    text = _SUP.sub(" ", text)
    text = re.sub(r"(\w)-\s*\n\s*(\w)", r"\1\2", text)
    return set(_WORD.findall(text.lower()))


def similarity(a: str, b: str) -> float:
    """Best of Jaccard and (length-guarded) containment, scaled so 1.0 means a sure match."""
    ta, tb = tokens(a), tokens(b)
    if not ta or not tb:
        return 0.0
    common = len(ta & tb)
    jaccard = common / len(ta | tb)
    small, large = sorted((len(ta), len(tb)))
    containment = common / small if small / large >= CONTAINMENT_LENGTH_RATIO else 0.0
    return max(jaccard / JACCARD_MIN, containment / CONTAINMENT_MIN)


def match_commitments(predicted: list[dict], gold: list[dict]) -> list[tuple[int, int]]:
    """One-to-one greedy matching by best overlap: (predicted index, gold index) pairs."""
    scored = []
    for i, p in enumerate(predicted):
        for j, g in enumerate(gold):
            s = similarity(p.get("text") or "", g.get("text") or "")
            if s >= 1.0:
                scored.append((s, i, j))
    scored.sort(key=lambda t: (-t[0], t[1], t[2]))
    used_p: set[int] = set()
    used_g: set[int] = set()
    pairs = []
    for _, i, j in scored:
        if i not in used_p and j not in used_g:
            used_p.add(i)
            used_g.add(j)
            pairs.append((i, j))
    return sorted(pairs, key=lambda t: t[1])


# --- counting ------------------------------------------------------------------------------------


@dataclass
class _Counts:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    def row(self, name: str) -> Row:
        gold = self.tp + self.fn
        predicted = self.tp + self.fp
        p = self.tp / predicted if predicted else (1.0 if gold == 0 else 0.0)
        r = self.tp / gold if gold else 1.0
        f1 = 2 * p * r / (p + r) if p + r else 0.0
        return Row(name, p, r, f1, gold)


@dataclass
class _Share:
    hits: int = 0
    n: int = 0

    def add(self, ok: bool) -> None:
        self.hits += ok
        self.n += 1

    def row(self, name: str) -> Row:
        return Row(name, None, None, self.hits / self.n if self.n else 1.0, self.n)


def _multiset_counts(pred: Iterable[Any], gold: Iterable[Any], counts: _Counts) -> None:
    rest = list(pred)
    for g in gold:
        if g in rest:
            rest.remove(g)
            counts.tp += 1
        else:
            counts.fn += 1
    counts.fp += len(rest)


def _norm(value: str | None) -> str | None:
    return " ".join(value.lower().split()) if value else None


def _due(c: dict, key: str) -> str | None:
    return (c.get("due") or {}).get(key)


def _meeting_keys(report: dict) -> list[tuple]:
    return [(m["forum"], m["start"], m["end"]) for m in report.get("meetings", [])]


def _submitter_hits(pred: list[dict], gold: list[dict]) -> list[bool]:
    """Per gold motion: is it there with the right submitter? Numbered by id, unnumbered by submitter."""
    rest = list(pred)
    hits = []
    for g in sorted(gold, key=lambda m: m.get("id") is None):  # numbered first, they are unambiguous
        if g.get("id"):
            found = next((p for p in rest if p.get("id") == g["id"]), None)
        else:
            same = [p for p in rest if _norm(p.get("submitter")) == _norm(g.get("submitter"))]
            found = min(same, key=lambda p: p.get("id") is not None, default=None)
        if found is not None:
            rest.remove(found)
        hits.append(found is not None and _norm(found.get("submitter")) == _norm(g.get("submitter")))
    return hits


def score(predicted: list[dict], gold: list[dict]) -> ScoreReport:
    """Compare predicted reports with gold reports, matched by their "file" key."""
    by_file = {p["file"]: p for p in predicted}
    date, kind, kamerstuk = _Share(), _Share(), _Share()
    submitter, due_end, due_start, due_null, actor = _Share(), _Share(), _Share(), _Share(), _Share()
    motions, commitments, meetings = _Counts(), _Counts(), _Counts()
    missing = []
    for g in gold:
        p = by_file.get(g["file"])
        if p is None:
            missing.append(g["file"])
            p = {"document": {}, "motions": [], "commitments": [], "meetings": []}
        gd, pd = g["document"], p.get("document") or {}
        date.add(pd.get("date") == gd["date"])
        kind.add(pd.get("kind") == gd["kind"])
        kamerstuk.add(pd.get("kamerstuk") == gd["kamerstuk"])

        ids = [m["id"] for m in p.get("motions", []) if m.get("id")]
        _multiset_counts(set(ids), {m["id"] for m in g["motions"] if m.get("id")}, motions)
        for ok in _submitter_hits(p.get("motions", []), g["motions"]):
            submitter.add(ok)

        pc, gc = p.get("commitments", []), g["commitments"]
        pairs = match_commitments(pc, gc)
        commitments.tp += len(pairs)
        commitments.fp += len(pc) - len(pairs)
        commitments.fn += len(gc) - len(pairs)
        for i, j in pairs:
            pi, gj = pc[i], gc[j]
            due_null.add((pi.get("due") is None) == (gj.get("due") is None))
            if gj.get("due"):
                due_end.add(_due(pi, "end") == _due(gj, "end"))
                due_start.add(_due(pi, "start") == _due(gj, "start"))
            if gj.get("actor"):
                actor.add(_norm(pi.get("actor")) == _norm(gj["actor"]))

        _multiset_counts(_meeting_keys(p), _meeting_keys(g), meetings)

    rows = [
        date.row("document.date"),
        kind.row("document.kind"),
        kamerstuk.row("document.kamerstuk"),
        motions.row("motions"),
        submitter.row("motions.submitter"),
        commitments.row("commitments"),
        due_end.row("commitments.due_end"),
        due_start.row("commitments.due_start"),
        due_null.row("commitments.due_null"),
        actor.row("commitments.actor"),
        meetings.row("meetings"),
    ]
    return ScoreReport(rows, missing)


def format_table(report: ScoreReport) -> str:
    def cell(v: float | None) -> str:
        return "    -" if v is None else f"{v:5.2f}"

    lines = [f"{'field':<22} {'P':>5} {'R':>5} {'F1/acc':>6} {'n':>4}"]
    for r in report.rows:
        lines.append(f"{r.field:<22} {cell(r.precision)} {cell(r.recall)} {cell(r.f1):>6} {r.n:>4}")
    if report.missing_files:
        lines.append("no prediction for: " + ", ".join(report.missing_files))
    return "\n".join(lines)


def check_targets(report: ScoreReport) -> list[str]:
    """The issue's acceptance targets; an empty list means they are all met."""
    failures = []
    for name, (attr, minimum) in TARGETS.items():
        value = getattr(report.row(name), attr) or 0.0
        if value < minimum:
            failures.append(f"{name} {attr} {value:.3f} < {minimum}")
    return failures


def misses(predicted: list[dict], gold: list[dict]) -> list[str]:
    """Human-readable differences: false negatives, false positives and wrong values, per file."""
    by_file = {p["file"]: p for p in predicted}
    out: list[str] = []
    for g in gold:
        f = g["file"]
        p = by_file.get(f, {"document": {}, "motions": [], "commitments": [], "meetings": []})
        for key in ("date", "kind", "kamerstuk"):
            if (p.get("document") or {}).get(key) != g["document"][key]:
                got = (p.get("document") or {}).get(key)
                out.append(f"{f}: document.{key} {got!r}, expected {g['document'][key]!r}")
        pids = {m.get("id") for m in p.get("motions", [])}
        gids = {m.get("id") for m in g["motions"]}
        out += [f"{f}: missed motion {i}" for i in sorted(gids - pids - {None})]
        out += [f"{f}: extra motion {i}" for i in sorted(pids - gids - {None})]
        psubs = {_norm(m.get("submitter")) for m in p.get("motions", [])}
        out += [
            f"{f}: missed unnumbered motion of {m.get('submitter')}"
            for m in g["motions"]
            if not m.get("id") and _norm(m.get("submitter")) not in psubs
        ]
        pc, gc = p.get("commitments", []), g["commitments"]
        pairs = match_commitments(pc, gc)
        matched_p, matched_g = {i for i, _ in pairs}, {j for _, j in pairs}
        out += [f"{f}: missed commitment: {c['text']}" for j, c in enumerate(gc) if j not in matched_g]
        out += [f"{f}: extra commitment: {c['text']}" for i, c in enumerate(pc) if i not in matched_p]
        for i, j in pairs:
            if _due(pc[i], "end") != _due(gc[j], "end"):
                out.append(f"{f}: due {pc[i].get('due')} expected {gc[j].get('due')}: {gc[j]['text']}")
        pm, gm = _meeting_keys(p), _meeting_keys(g)
        out += [f"{f}: missed meeting {m}" for m in gm if m not in pm]
        out += [f"{f}: extra meeting {m}" for m in pm if m not in gm]
    return out


# --- running the extractor -----------------------------------------------------------------------


def load_gold(gold_dir: Path = GOLD_DIR) -> list[dict]:
    return [json.loads(p.read_text(encoding="utf-8")) for p in sorted(gold_dir.glob("*.json"))]


def extract_letters(files: Iterable[str], letters_dir: Path = LETTERS_DIR) -> list[dict]:
    """Run the real extractor over the named letters; imported here so this module loads without it."""
    from services.ingest.domain.extract import extract

    reports = []
    for name in files:
        text = (letters_dir / name).read_text(encoding="utf-8")
        reports.append({"file": name, **extract(text).to_report()})
    return reports


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.scoring", description=__doc__)
    parser.add_argument("--gold", type=Path, default=GOLD_DIR)
    parser.add_argument("--letters", type=Path, default=LETTERS_DIR)
    args = parser.parse_args(argv)
    gold = load_gold(args.gold)
    if not gold:
        print(f"no gold files in {args.gold}", file=sys.stderr)
        return 2
    try:
        predicted = extract_letters([g["file"] for g in gold], args.letters)
    except ImportError as exc:
        print(f"extractor not importable: {exc}", file=sys.stderr)
        return 2
    report = score(predicted, gold)
    print(format_table(report))
    lines = misses(predicted, gold)
    if lines:
        print(f"\n{len(lines)} misses:")
        print("\n".join(f"  {line}" for line in lines))
    failures = check_targets(report)
    print("\ntargets: " + ("met" if not failures else "NOT met: " + "; ".join(failures)))
    return 1 if failures else 0


if __name__ == "__main__":
    raise SystemExit(main())
