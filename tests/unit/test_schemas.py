"""The event contract: JSON Schemas checked in, envelopes round-trip, bad messages are named."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from schemas import ids
from schemas.codec import InvalidEvent, day_start, decode, encode, make_event, nats_subject
from schemas.events import CommitmentMade, Due, Source
from schemas.generate import JSON_DIR, rendered_schemas
from schemas.stream import retry_delay, subject_for
from schemas.upcasting import upcast, upcaster

SOURCE = Source(service="test", version="1")


def made(text: str = "Het kabinet zal in 2021 een conferentie organiseren.") -> CommitmentMade:
    return CommitmentMade(
        commitment_id=ids.commitment_id("kst-1-2", text),
        text=text,
        actor="kabinet",
        due=Due(start=dt.date(2021, 1, 1), end=dt.date(2021, 12, 31), precision="year"),
        document_id="kst-1-2",
        motions=["33694-43"],
    )


def test_checked_in_json_schemas_match_the_models() -> None:
    on_disk = {p.name: p.read_text() for p in JSON_DIR.glob("*.json")}
    assert on_disk == rendered_schemas(), "schemas/json drifted: run `python -m schemas.generate`"


def test_envelope_round_trips_and_lands_on_its_aggregate_subject() -> None:
    event = make_event(made(), occurred_at=day_start(dt.date(2021, 3, 22)), source=SOURCE, unique=("x",))
    back = decode(encode(event))
    assert back == event
    assert nats_subject(event) == f"policy.commitment.{event.subject}"
    assert back.payload().due.end == dt.date(2021, 12, 31)


def test_event_ids_are_deterministic_and_distinguish_facts() -> None:
    first = make_event(made(), occurred_at=None, source=SOURCE, unique=("doc", "s1"))
    again = make_event(made(), occurred_at=None, source=SOURCE, unique=("doc", "s1"))
    other = make_event(made(), occurred_at=None, source=SOURCE, unique=("doc", "s2"))
    assert first.id == again.id != other.id
    assert first.recorded_at <= again.recorded_at


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        (b"\xff\xfe", "not JSON"),
        (b"[1, 2]", "not a JSON object"),
        (b'{"type": "commitment.exploded"}', "unknown event type 'commitment.exploded'"),
        (b'{"type": "commitment.made", "version": 1, "data": {}}', "invalid commitment.made"),
    ],
)
def test_invalid_messages_are_rejected_with_the_reason(raw: bytes, message: str) -> None:
    with pytest.raises(InvalidEvent, match=message):
        decode(raw)


def test_upcasters_bring_old_versions_to_the_current_one() -> None:
    @upcaster("test.renamed", 1)
    def v1_to_v2(data: dict) -> dict:
        data["title"] = data.pop("name")
        return data

    assert upcast("test.renamed", 1, {"name": "x"}, current=2) == (2, {"title": "x"})
    with pytest.raises(ValueError, match=r"no upcaster for test\.renamed from v2"):
        upcast("test.renamed", 1, {"name": "x"}, current=3)
    with pytest.raises(ValueError, match="newer than this reader"):
        upcast("test.renamed", 4, {}, current=2)


def test_ids_are_subject_tokens() -> None:
    assert ids.kamerstuk_document_id("33 694", "63") == "kst-33694-63"
    assert ids.motion_id("35 848", "8") == "35848-8"
    assert ids.forum_id("GGE LAWS") == "gge-laws"
    assert "." not in ids.commitment_id("kst-1-2", "Een zin. Met punten.")
    with pytest.raises(ValueError):
        subject_for("parliament", "x")


def test_retry_delays_grow_and_are_bounded() -> None:
    delays = [retry_delay(n) for n in range(1, 8)]
    assert delays == sorted(delays)
    assert delays[-1] == delays[-2]


def test_json_schema_files_are_valid_json_with_versions() -> None:
    for path in JSON_DIR.glob("*.v*.schema.json"):
        schema = json.loads(path.read_text())
        assert schema["x-event-version"] >= 1
        assert schema["title"] in path.name
