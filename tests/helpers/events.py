"""Hand-built events, as ingest and notify would publish them, for tests of the projections."""

from __future__ import annotations

import datetime as dt

from schemas import ids
from schemas.codec import day_start, make_event
from schemas.events import (
    CommitmentDeadlinePassed,
    CommitmentDeadlineRevised,
    CommitmentFulfilled,
    CommitmentMade,
    DocumentIngested,
    Due,
    Envelope,
    ForumMeetingReported,
    IngestWatermark,
    MotionReferenced,
    Source,
)

SOURCE = Source(service="test", version="1")
D = dt.date


def due(start: dt.date, end: dt.date, precision: str) -> Due:
    return Due(start=start, end=end, precision=precision)


def ev(data, day: dt.date | None, *unique: object) -> Envelope:  # type: ignore[no-untyped-def]
    return make_event(data, occurred_at=day_start(day) if day else None, source=SOURCE, unique=unique)


AIV = ids.commitment_id("doc-000", "zal dit advies in de tweede helft van het jaar 2020 worden geactualiseerd")
H2_2020 = due(D(2020, 7, 1), D(2020, 12, 31), "half")
Q2_2021 = due(D(2021, 4, 1), D(2021, 6, 30), "quarter")


def worked_example_aiv() -> list[Envelope]:
    """The AIV/CAVV advice update of DESIGN.md's worked example, in document order."""
    return [
        ev(DocumentIngested(document_id="doc-000", title="Motie Koopmans c.s.", kind="letter", date=D(2019, 9, 20),
                            source_name="000.txt", content_sha256="0" * 64, motions=["33694-43"]),
           D(2019, 9, 20), "000"),
        ev(MotionReferenced(motion_id="33694-43", submitter="Koopmans", document_id="doc-000", sentence="motie"),
           D(2019, 9, 20), "doc-000"),
        ev(CommitmentMade(commitment_id=AIV, text="advies geactualiseerd", actor="AIV/CAVV", due=H2_2020,
                          deliverable="advies", document_id="doc-000", motions=["33694-43"], forums=["GGE LAWS"]),
           D(2019, 9, 20), "made"),
        ev(ForumMeetingReported(forum_id="gge-laws", forum="GGE LAWS", start=D(2019, 8, 20), end=D(2019, 8, 21),
                                held=True, document_id="doc-000", sentence="Op 20-21 augustus jl."),
           D(2019, 8, 20), "gge"),
        ev(CommitmentDeadlinePassed(commitment_id=AIV, deadline=D(2020, 12, 31), due=H2_2020),
           D(2021, 1, 1), AIV, "2020-12-31"),
        ev(CommitmentDeadlineRevised(commitment_id=AIV, due=Q2_2021, previous_due=H2_2020,
                                     text="In het tweede kwartaal", document_id="doc-002"),
           D(2021, 3, 22), "revised"),
        ev(CommitmentDeadlinePassed(commitment_id=AIV, deadline=D(2021, 6, 30), due=Q2_2021),
           D(2021, 7, 1), AIV, "2021-06-30"),
        ev(CommitmentFulfilled(commitment_id=AIV, evidence="Hiermee wordt het advies geactualiseerd",
                               document_id="doc-003"), None, "fulfilled-003"),
        ev(CommitmentFulfilled(commitment_id=AIV, evidence="AIV-advies 119 van 3 december 2021",
                               document_id="doc-004", fulfilled_on=D(2021, 12, 3)), D(2021, 12, 3), "fulfilled-004"),
        ev(IngestWatermark(source="files", up_to=D(2023, 1, 26)), D(2023, 1, 26), "files"),
    ]  # fmt: skip
