"""`ptl extract`: the stable JSON-lines shape, a readable table, and bad files named without stopping."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from services.ingest.domain.extract import EXTRACTOR_VERSION
from tests.conftest import SAMPLES


def ptl(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "services.ptl.cli", *args], capture_output=True, text=True,
                          timeout=120, check=False, env={"COLUMNS": "200", "PATH": "/usr/bin:/bin"})  # fmt: skip


def test_json_lines_in_the_documented_shape_and_bad_files_named(tmp_path: Path) -> None:
    bad = tmp_path / "scan.pdf"
    bad.write_bytes(b"not a pdf at all")
    letters = [SAMPLES / "000_7e5ffd6a86c26419.txt", bad, SAMPLES / "003_67ad65bc35250a4f.txt"]
    result = ptl("extract", *map(str, letters), "--json")
    assert result.returncode == 1
    assert f"{bad.name}: not a PDF" in result.stderr
    reports = [json.loads(line) for line in result.stdout.splitlines()]
    assert [Path(r["file"]).name for r in reports] == [letters[0].name, letters[2].name]
    first = reports[0]
    assert set(first) == {"file", "extractor_version", "document", "motions", "commitments", "meetings"}
    assert first["extractor_version"] == EXTRACTOR_VERSION
    assert set(first["document"]) == {"date", "title", "kind", "kamerstuk"}
    assert first["document"]["date"] == "2019-09-20"
    assert {"id": "33694-43", "submitter": "Koopmans"} in first["motions"]
    assert all(set(c) == {"text", "actor", "due"} for c in first["commitments"])
    assert any(c["due"] == {"start": "2020-07-01", "end": "2020-12-31", "precision": "half"}
               for c in first["commitments"])  # fmt: skip
    assert {"forum": "GGE LAWS", "start": "2019-08-20", "end": "2019-08-21"} in first["meetings"]
    assert reports[1]["document"]["date"] is None


def test_a_supplied_date_dates_an_undated_letter_and_the_table_is_readable() -> None:
    undated = SAMPLES / "003_67ad65bc35250a4f.txt"
    result = ptl("extract", str(undated), "--json", "--date", f"{undated.name}=2021-12-10")
    assert json.loads(result.stdout)["document"]["date"] == "2021-12-10"
    table = ptl("extract", str(SAMPLES / "001_84760ad38bbd21a0.txt"))
    assert table.returncode == 0
    assert "2021-10-11" in table.stdout and "2022-10-01" in table.stdout and "commitment" in table.stdout
