"""The extractor on the five sample letters against the hand-made gold: the issue's acceptance targets.

Expected to fail until the extractor is good enough; the failure message carries the table and the misses.
"""

from __future__ import annotations

import pytest

from bench import scoring


def test_extraction_meets_the_targets_on_the_sample_letters() -> None:
    gold = scoring.load_gold()
    assert len(gold) == 5
    try:
        predicted = scoring.extract_letters([g["file"] for g in gold])
    except ImportError as exc:
        pytest.fail(f"extractor not importable: {exc}")
    report = scoring.score(predicted, gold)
    failures = scoring.check_targets(report)
    table = scoring.format_table(report)
    print(table)
    detail = "\n".join(scoring.misses(predicted, gold))
    assert failures == [], f"targets not met: {failures}\n{table}\n{detail}"
