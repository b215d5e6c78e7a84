"""Which motions, forums, commitments and documents an event concerns: the one rule both the timeline
index and notify's subscription filters use.

Commitment events other than `commitment.made` carry only the commitment id; the caller supplies the
commitment's motions and forums (as recorded from its `commitment.made`) through `commitment_links`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Literal

from schemas.events import (
    CommitmentMade,
    DocumentIngested,
    Envelope,
    ForumMeetingReported,
    MotionReferenced,
)
from schemas.ids import forum_id

RefKind = Literal["motion", "forum", "commitment", "document", "source"]
Ref = tuple[RefKind, str]
CommitmentLinks = Callable[[str], tuple[list[str], list[str]]]  # commitment id -> (motions, forum ids)


def event_refs(event: Envelope, commitment_links: CommitmentLinks) -> set[Ref]:
    data = event.payload()
    refs: set[Ref] = set()
    document_id = getattr(data, "document_id", None)
    if document_id:
        refs.add(("document", document_id))
    if isinstance(data, DocumentIngested):
        refs.update(("motion", m) for m in data.motions)
    elif isinstance(data, MotionReferenced):
        refs.add(("motion", data.motion_id))
    elif isinstance(data, ForumMeetingReported):
        refs.add(("forum", data.forum_id))
    elif isinstance(data, CommitmentMade):
        refs.add(("commitment", data.commitment_id))
        refs.update(("motion", m) for m in data.motions)
        refs.update(("forum", forum_id(f)) for f in data.forums)
    elif event.type.startswith("commitment."):
        commitment = event.subject
        refs.add(("commitment", commitment))
        motions, forums = commitment_links(commitment)
        refs.update(("motion", m) for m in motions)
        refs.update(("forum", f) for f in forums)
    elif event.type == "ingest.watermark":
        refs.add(("source", event.subject))
    return refs
