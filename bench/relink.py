"""How long a whole re-link takes as the registry grows: `fold` (linking every kept document in date order) and
`reconcile` against an unchanged plan, over the sample letters and the real corpus, copied N times.

Run: .venv/bin/python bench/relink.py [--copies 1 4 16]
A copy is each letter with a line added (another content, another id), so linking sees N times the documents
and commitments. This is the cost of one out-of-date-order ingest or one re-extraction (plus reading the
changed documents); a batch dated after everything known links only the new documents.
"""

from __future__ import annotations

import argparse
import hashlib
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # run as a script from anywhere

from schemas.events import Source  # noqa: E402
from services.ingest.domain.extract import extract  # noqa: E402
from services.ingest.domain.readers import read_document  # noqa: E402
from services.ingest.planning import DocumentFacts  # noqa: E402
from services.ingest.relinking import Fact, fold, reconcile  # noqa: E402

SOURCE = Source(service="ingest", version="bench")
FOLDERS = (ROOT / "samples" / "letters", ROOT / "tests" / "corpus" / "real" / "docs")


def documents(copies: int) -> list[DocumentFacts]:
    out = []
    for folder in FOLDERS:
        for path in sorted(folder.glob("*.txt")):
            for copy in range(copies):
                data = path.read_bytes() + f"\n\nKopie {copy}.\n".encode()
                text = read_document(path.name, data)
                sha = hashlib.sha256(data).hexdigest()
                out.append(DocumentFacts(path.name, sha, extract(text), date_supplied=False))
    return out


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--copies", type=int, nargs="+", default=[1, 4, 16])
    args = parser.parse_args()
    print(f"{'documents':>9} {'commitments':>11} {'events':>7} {'fold s':>7} {'reconcile s':>11}")
    for copies in args.copies:
        docs = documents(copies)
        start = time.perf_counter()
        planned = fold(docs, SOURCE)
        folded = time.perf_counter() - start
        facts = {e.id: Fact.of(e) for e in planned.events}
        start = time.perf_counter()
        assert reconcile(facts, planned, reason="bench", source=SOURCE).publish == []
        reconciled = time.perf_counter() - start
        commitments = len(planned.registry.commitments)
        print(f"{len(docs):>9} {commitments:>11} {len(planned.events):>7} {folded:>7.2f} {reconciled:>11.2f}")


if __name__ == "__main__":
    main()
