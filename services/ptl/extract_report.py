"""`ptl extract`: what the extractor reads from files, as JSON lines or a readable table."""

from __future__ import annotations

import datetime as dt
import json
import sys
from pathlib import Path

from rich.console import Console
from rich.table import Table

from services.ingest.domain.extract import extract
from services.ingest.domain.readers import UnreadableDocument, read_document


def extract_files(files: list[Path], dates: dict[str, dt.date], *, as_json: bool) -> int:
    """Print one report per file; return how many files could not be read."""
    out = Console()
    failed = 0
    for path in files:
        try:
            text = read_document(path.name, path.read_bytes())
        except (UnreadableDocument, OSError) as exc:
            failed += 1
            print(f"error: {exc}" if isinstance(exc, UnreadableDocument) else f"error: {path}: {exc}", file=sys.stderr)
            continue
        report = {"file": str(path), **extract(text, document_date=dates.get(path.name)).to_report()}
        if as_json:
            print(json.dumps(report, ensure_ascii=False), flush=True)
        else:
            out.print(render_table(report))
    return failed


def render_table(report: dict) -> Table:
    doc = report["document"]
    kst = doc["kamerstuk"]
    table = Table(title=f"{report['file']} — {doc['kind']}, {doc['date'] or 'undated'}"
                  f"{', Kamerstuk ' + kst['dossier'] + ' nr. ' + kst['number'] if kst else ''}",
                  caption=doc["title"] or "", show_lines=True)  # fmt: skip
    table.add_column("what")
    table.add_column("due / date")
    table.add_column("text")
    for m in report["motions"]:
        table.add_row("motion", "", f"{m['id'] or '(no number)'} {m['submitter'] or ''}".strip())
    for c in report["commitments"]:
        due = c["due"]
        when = f"{due['start']} – {due['end']} {due['precision']}" if due else "no deadline"
        table.add_row(f"commitment ({c['actor'] or '?'})", when, c["text"])
    for m in report["meetings"]:
        table.add_row("meeting", f"{m['start']} – {m['end']}", m["forum"])
    return table
