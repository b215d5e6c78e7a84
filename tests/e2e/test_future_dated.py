"""A letter dated in the future (a typo: 2099) is recorded and flagged, but cannot move the watermark, so no open
deadline before 2099 is reported as passed (issue 9, item 2). The real services, as a user runs them."""

from __future__ import annotations

from pathlib import Path

from tests.e2e.conftest import Running

PROMISE = """Tweede Kamer der Staten-Generaal
Kamerstuk 36 100, nr. 12

Brief van de minister van Buitenlandse Zaken

Den Haag, 1 juni 2026

Het kabinet zal de Kamer voor 1 juli 2027 informeren over de evaluatie van het exportbeleid.

De minister van Buitenlandse Zaken
"""

TYPO = """Tweede Kamer der Staten-Generaal
Kamerstuk 36 100, nr. 13

Brief van de minister van Buitenlandse Zaken

Den Haag, 1 januari 2099

Hierbij bied ik u de jaarrapportage aan.

De minister van Buitenlandse Zaken
"""


def test_a_letter_dated_2099_is_recorded_but_reports_no_deadline_as_passed(running: Running, tmp_path: Path) -> None:
    files = []
    for name, text in (("promise.txt", PROMISE), ("typo.txt", TYPO)):
        (tmp_path / name).write_text(text, encoding="utf-8")
        files.append(tmp_path / name)
    report = running.ingest(files)
    running.settle()
    assert [f["status"] for f in report["files"]] == ["published", "published"]
    assert report["watermark"] == "2026-06-01"
    assert any("typo.txt is dated 2099-01-01, after today" in p for p in report["problems"])
    items = running.get("timeline", "/api/commitments", limit=100)["items"]
    [promise] = [c for c in items if "evaluatie" in c["text"]]
    assert (promise["due"]["end"], promise["status"]) == ("2027-06-30", "open")
    assert running.get("notify", "/deadlines/passed") == []
    dates = {d["date"] for d in running.get("timeline", "/api/documents")}
    assert dates == {"2026-06-01", "2099-01-01"}  # recorded, with the date it bears
