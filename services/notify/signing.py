"""Standard Webhooks signatures (https://www.standardwebhooks.com/).

The secret is "whsec_" + base64(key). A message is signed as HMAC-SHA256(key, f"{id}.{timestamp}.{body}") and
sent in the headers webhook-id, webhook-timestamp (unix seconds) and webhook-signature ("v1,<base64>", several
separated by spaces while a key is rotated). Signing is the standardwebhooks package's; `verify` keeps a
clock and tolerance of its own for receivers and tests.
"""

from __future__ import annotations

import base64
import binascii
import hmac
import secrets
import time
from collections.abc import Mapping
from datetime import UTC, datetime

from standardwebhooks import Webhook

PREFIX = "whsec_"


class InvalidSignature(ValueError):
    """The headers do not prove the body came from the holder of the secret, now."""


def new_secret(nbytes: int = 32) -> str:
    return PREFIX + base64.b64encode(secrets.token_bytes(nbytes)).decode()


def _key(secret: str) -> bytes:
    raw = secret.removeprefix(PREFIX)
    try:
        key = base64.b64decode(raw + "=" * (-len(raw) % 4), validate=True)
    except (binascii.Error, ValueError) as exc:
        raise ValueError("a webhook secret is 'whsec_' followed by base64") from exc
    if not key:
        raise ValueError("empty webhook secret")
    return key


def _as_bytes(body: bytes | str) -> bytes:
    return body.encode() if isinstance(body, str) else body


def sign(secret: str, msg_id: str, timestamp: int, body: bytes | str) -> str:
    """The webhook-signature header value for one message (signed by the standardwebhooks package)."""
    return Webhook(_key(secret)).sign(msg_id, datetime.fromtimestamp(int(timestamp), UTC), _as_bytes(body))


def headers(secret: str, msg_id: str, body: bytes | str, timestamp: int | None = None) -> dict[str, str]:
    ts = int(time.time()) if timestamp is None else int(timestamp)
    return {"webhook-id": msg_id, "webhook-timestamp": str(ts), "webhook-signature": sign(secret, msg_id, ts, body)}


def verify(
    secret: str, headers: Mapping[str, str], body: bytes | str, tolerance: int = 300, now: float | None = None
) -> None:
    """Raise InvalidSignature unless a v1 signature matches and the timestamp is within `tolerance` seconds."""
    lowered = {k.lower(): v for k, v in headers.items()}
    msg_id, stamp, signatures = (lowered.get(h) for h in ("webhook-id", "webhook-timestamp", "webhook-signature"))
    if not (msg_id and stamp and signatures):
        raise InvalidSignature("missing webhook-id, webhook-timestamp or webhook-signature")
    try:
        timestamp = int(stamp)
    except ValueError as exc:
        raise InvalidSignature(f"webhook-timestamp is not unix seconds: {stamp!r}") from exc
    current = time.time() if now is None else now
    if abs(current - timestamp) > tolerance:
        raise InvalidSignature("webhook-timestamp outside the tolerance (replayed or clock skew)")
    expected = sign(secret, msg_id, timestamp, body).encode()
    for candidate in signatures.split():
        version, _, _ = candidate.partition(",")
        if version == "v1" and hmac.compare_digest(candidate.encode(), expected):
            return
    raise InvalidSignature("no matching v1 signature")
