"""The id scheme: one place that says how every aggregate and event is named.

Ids are deterministic (a hash of what makes the fact unique), so re-ingesting the same document yields the
same ids, and they are safe as NATS subject tokens (no dots, spaces or wildcards).
"""

from __future__ import annotations

import hashlib
import re

_UNSAFE = re.compile(r"[^A-Za-z0-9_-]+")


def digest(*parts: object, length: int = 20) -> str:
    """A short stable hex digest of the parts (joined unambiguously)."""
    joined = "\x1f".join("" if p is None else str(p) for p in parts)
    return hashlib.sha256(joined.encode()).hexdigest()[:length]


def token(value: str) -> str:
    """Make a value usable as one NATS subject token."""
    cleaned = _UNSAFE.sub("-", value.strip()).strip("-")
    if not cleaned:
        raise ValueError(f"cannot make a subject token from {value!r}")
    return cleaned


def kamerstuk_document_id(dossier: str, number: str) -> str:
    """Kamerstuk 33 694, nr. 63 -> kst-33694-63."""
    return token(f"kst-{dossier.replace(' ', '')}-{number}")


def content_document_id(content_sha256: str) -> str:
    """A document without a printed Kamerstuk number is named by its content."""
    return f"doc-{content_sha256[:16]}"


def motion_id(dossier: str, number: str) -> str:
    """Motie 33694 nr. 43 -> 33694-43."""
    return token(f"{dossier.replace(' ', '')}-{number}")


def forum_id(canonical_name: str) -> str:
    """GGE LAWS -> gge-laws."""
    return token(canonical_name.lower())


def commitment_id(document_id: str, sentence: str) -> str:
    """A commitment is named by the statement that first made it."""
    return f"c-{digest(document_id, _normalise(sentence), length=16)}"


def subscription_id(*parts: object) -> str:
    return f"sub-{digest(*parts, length=16)}"


def event_id(event_type: str, subject: str, *unique: object) -> str:
    """The envelope id and Nats-Msg-Id: type + aggregate + what makes the fact unique."""
    return f"ev-{digest(event_type, subject, *unique, length=24)}"


def _normalise(sentence: str) -> str:
    return " ".join(sentence.lower().split())
