"""The SQL the timeline runs: what the projection writes with, and what the routes read. On a given session."""

from __future__ import annotations

from collections.abc import Sequence

from sqlmodel import Session, col, select

from services.timeline.adapters.orm import Commitment, CommitmentRef, Document, EntryRef, Forum, Motion, TimelineEntry

# --- written by the projection --------------------------------------------------------------------------------


def ensure_motion(session: Session, motion_id: str, submitter: str | None) -> None:
    motion = session.get(Motion, motion_id)
    if motion is None:
        session.add(Motion(id=motion_id, submitter=submitter))
    elif submitter and not motion.submitter:
        motion.submitter = submitter
    session.flush()


def ensure_forum(session: Session, forum: str, name: str) -> None:
    if session.get(Forum, forum) is None:
        session.add(Forum(id=forum, name=name))
        session.flush()


def commitment_links(session: Session, commitment_id: str) -> tuple[list[str], list[str]]:
    """The motions and the forums a commitment was made under."""
    rows = session.exec(select(CommitmentRef).where(CommitmentRef.commitment_id == commitment_id)).all()
    return [r.ref_id for r in rows if r.kind == "motion"], [r.ref_id for r in rows if r.kind == "forum"]


def set_commitment_links(session: Session, commitment_id: str, refs: set[tuple[str, str]]) -> None:
    """Exactly these motions and forums are the commitment's."""
    for link in session.exec(select(CommitmentRef).where(CommitmentRef.commitment_id == commitment_id)).all():
        if (link.kind, link.ref_id) not in refs:
            session.delete(link)
    for kind, ref_id in refs:
        session.merge(CommitmentRef(commitment_id=commitment_id, kind=kind, ref_id=ref_id))


def set_entry_refs(session: Session, event_id: str, wanted: set[tuple[str, str]]) -> None:
    """Exactly these timelines show the line."""
    for row in session.exec(select(EntryRef).where(EntryRef.event_id == event_id)).all():
        if (row.kind, row.ref_id) not in wanted:
            session.delete(row)
    for kind, ref_id in wanted:
        session.merge(EntryRef(event_id=event_id, kind=kind, ref_id=ref_id))


def lines_of(session: Session, aggregate_id: str, prefix: str) -> Sequence[TimelineEntry]:
    """The lines of one aggregate whose event type starts with `prefix` (`document.`, `commitment.`)."""
    session.flush()
    return session.exec(
        select(TimelineEntry)
        .where(TimelineEntry.aggregate_id == aggregate_id, col(TimelineEntry.type).startswith(prefix))
        .order_by(col(TimelineEntry.sequence))
    ).all()


# --- read by the routes ---------------------------------------------------------------------------------------


def entries_about(session: Session, kind: str, ref_id: str) -> Sequence[TimelineEntry]:
    """Lines concerning one motion/forum/commitment/document: dated first in event time, undated last."""
    return session.exec(
        select(TimelineEntry)
        .join(EntryRef, col(EntryRef.event_id) == col(TimelineEntry.event_id))
        .where(EntryRef.kind == kind, EntryRef.ref_id == ref_id)
        .order_by(
            col(TimelineEntry.occurred_at).is_(None),
            col(TimelineEntry.occurred_at),
            col(TimelineEntry.sequence),
        )
    ).all()


def documents_by_id(session: Session, ids: list[str]) -> dict[str, Document]:
    return {d.id: d for d in session.exec(select(Document).where(col(Document.id).in_(ids))).all()}


def commitments_under(session: Session, kind: str, ref_id: str) -> Sequence[Commitment]:
    """The commitments made under one motion or forum, by id."""
    ids = session.exec(
        select(CommitmentRef.commitment_id).where(CommitmentRef.kind == kind, CommitmentRef.ref_id == ref_id)
    ).all()
    return session.exec(select(Commitment).where(col(Commitment.id).in_(ids)).order_by(col(Commitment.id))).all()
