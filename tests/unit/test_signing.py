"""Standard Webhooks signatures: the spec's reference vector, round trips and tampering."""

from __future__ import annotations

import base64

import pytest

from services.notify.signing import InvalidSignature, headers, new_secret, sign, verify

# The reference vector of the standard-webhooks libraries (libraries/python/tests/test_webhooks.py).
SPEC_SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
SPEC_ID = "msg_p5jXN8AQM9LWM0D4loKWxJek"
SPEC_TIMESTAMP = 1614265330
SPEC_BODY = '{"test": 2432232314}'
SPEC_SIGNATURE = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE="


def spec_headers(signature: str = SPEC_SIGNATURE) -> dict[str, str]:
    return {"webhook-id": SPEC_ID, "webhook-timestamp": str(SPEC_TIMESTAMP), "webhook-signature": signature}


def test_spec_vector() -> None:
    assert sign(SPEC_SECRET, SPEC_ID, SPEC_TIMESTAMP, SPEC_BODY) == SPEC_SIGNATURE
    assert sign(SPEC_SECRET, SPEC_ID, SPEC_TIMESTAMP, SPEC_BODY.encode()) == SPEC_SIGNATURE
    # the prefix is optional on input, as in the reference libraries
    assert sign(SPEC_SECRET.removeprefix("whsec_"), SPEC_ID, SPEC_TIMESTAMP, SPEC_BODY) == SPEC_SIGNATURE
    verify(SPEC_SECRET, spec_headers(), SPEC_BODY, now=SPEC_TIMESTAMP + 10)


def test_round_trip_with_a_new_secret() -> None:
    secret = new_secret()
    assert secret.startswith("whsec_")
    assert len(base64.b64decode(secret.removeprefix("whsec_"))) == 32
    assert new_secret() != secret
    body = b'{"type":"commitment.deadline_passed"}'
    sent = headers(secret, "dlv-1", body)
    verify(secret, {k.upper(): v for k, v in sent.items()}, body)  # header names are case-insensitive


@pytest.mark.parametrize(
    "tamper",
    [
        lambda h, b: (h, SPEC_BODY.replace("2432232314", "2432232315")),
        lambda h, b: ({**h, "webhook-id": "msg_other"}, b),
        lambda h, b: ({**h, "webhook-timestamp": str(SPEC_TIMESTAMP + 1)}, b),
        lambda h, b: ({**h, "webhook-signature": "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OA="}, b),
        lambda h, b: ({**h, "webhook-signature": SPEC_SIGNATURE.replace("v1,", "v2,")}, b),
        lambda h, b: ({**h, "webhook-signature": "garbage"}, b),
        lambda h, b: ({k: v for k, v in h.items() if k != "webhook-signature"}, b),
        lambda h, b: ({k: v for k, v in h.items() if k != "webhook-id"}, b),
        lambda h, b: ({**h, "webhook-timestamp": "soon"}, b),
    ],
)
def test_tampering_is_rejected(tamper) -> None:  # type: ignore[no-untyped-def]
    tampered_headers, body = tamper(spec_headers(), SPEC_BODY)
    with pytest.raises(InvalidSignature):
        verify(SPEC_SECRET, tampered_headers, body, now=SPEC_TIMESTAMP)


def test_wrong_secret_is_rejected() -> None:
    with pytest.raises(InvalidSignature):
        verify(new_secret(), spec_headers(), SPEC_BODY, now=SPEC_TIMESTAMP)


@pytest.mark.parametrize(("offset", "ok"), [(-300, True), (300, True), (-301, False), (301, False)])
def test_timestamp_tolerance(offset: int, ok: bool) -> None:
    now = SPEC_TIMESTAMP - offset  # the message is `offset` seconds old (negative: from the future)
    if ok:
        verify(SPEC_SECRET, spec_headers(), SPEC_BODY, now=now)
    else:
        with pytest.raises(InvalidSignature, match="tolerance"):
            verify(SPEC_SECRET, spec_headers(), SPEC_BODY, now=now)


def test_one_valid_signature_among_several_is_enough() -> None:
    rotated = " ".join(["v1,Ceo5qEr07ixe2NLpvHk3FH9bwy/WavXrAFQ/9tdO6mc=", "v2,xyz", SPEC_SIGNATURE])
    verify(SPEC_SECRET, spec_headers(rotated), SPEC_BODY, now=SPEC_TIMESTAMP)


def test_a_malformed_secret_is_refused() -> None:
    with pytest.raises(ValueError, match="base64"):
        sign("whsec_not base64!", "id", 1, "body")
    with pytest.raises(ValueError, match="empty"):
        sign("whsec_", "id", 1, "body")
