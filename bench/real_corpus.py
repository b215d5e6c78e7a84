"""Score extraction on the real corpus (tests/corpus/real): one line per document, a line per group, totals.

    python bench/real_corpus.py                # all 38 documents
    python bench/real_corpus.py --half A       # only half A of split.json (develop on one half, measure the other)
    python bench/real_corpus.py --misses       # also list the missed and the unmatched commitments

The scoring rules are the corpus's own score.py (imported, not copied); extraction runs in this process through
the same code as `ptl extract --json`.
"""

from __future__ import annotations

import argparse
import contextlib
import importlib.util
import io
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "tests" / "corpus" / "real"
sys.path.insert(0, str(ROOT))

from services.ptl.extract_report import extract_files  # noqa: E402


def load_scorer(corpus: Path = CORPUS):
    spec = importlib.util.spec_from_file_location("real_corpus_score", corpus / "score.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def gold_documents(corpus: Path = CORPUS, half: str | None = None) -> list[dict]:
    gold = json.loads((corpus / "gold.json").read_text(encoding="utf-8"))
    if half:
        names = set(json.loads((corpus / "split.json").read_text(encoding="utf-8"))[half])
        gold = [g for g in gold if g["file"] in names]
    return gold


def predictions(gold: list[dict], corpus: Path = CORPUS) -> dict[str, dict]:
    """Run extraction on every gold input; return the report per input file name."""
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        extract_files([corpus / g["input"] for g in gold], {}, as_json=True)
    reports = [json.loads(line) for line in out.getvalue().splitlines() if line.startswith("{")]
    return {Path(r["file"]).name: r for r in reports}


def misses(scorer, gold: list[dict], preds: dict[str, dict]) -> list[str]:
    lines = []
    for g in gold:
        name = Path(g["input"]).name
        predicted = [(scorer.norm(c.get("text")), c) for c in preds.get(name, {}).get("commitments") or []]
        for c in g["commitments"]:
            hits = [pc for text, pc in predicted if scorer.norm(c["anchor"]) in text]
            if c.get("core") and not hits:
                lines.append(f"{name}: missed: {c['anchor']!r} ({c.get('due_end')})")
            elif (
                c.get("core")
                and c.get("due_end")
                and not any((h.get("due") or {}).get("end") == c["due_end"] for h in hits)
            ):
                got = [(h.get("due") or {}).get("end") for h in hits]
                lines.append(f"{name}: deadline {got} != {c['due_end']}: {c['anchor']!r}")
        if g.get("complete"):
            anchors = [scorer.norm(c["anchor"]) for c in g["commitments"]]
            for text, pc in predicted:
                if not any(a in text for a in anchors):
                    lines.append(f"{name}: unmatched prediction: {pc.get('text', '')[:160]!r}")
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--half", choices=["A", "B"])
    parser.add_argument("--misses", action="store_true")
    args = parser.parse_args(argv)
    scorer = load_scorer()
    gold = gold_documents(half=args.half)
    preds = predictions(gold)
    totals = scorer.score(gold, preds)
    print()
    for key in sorted(totals, key=lambda k: (k == "all", k)):
        print(scorer.line(key, totals[key]))
    if args.misses:
        print()
        print("\n".join(misses(scorer, gold, preds)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
