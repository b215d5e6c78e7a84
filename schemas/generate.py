"""Write the JSON Schema of the envelope and of each event's data to schemas/json (checked in).

Run `python -m schemas.generate` after changing a model; a test fails when the files drift.
"""

from __future__ import annotations

import json
from pathlib import Path

from schemas.events import EVENT_TYPES, Envelope

JSON_DIR = Path(__file__).parent / "json"


def rendered_schemas() -> dict[str, str]:
    out = {"envelope.schema.json": Envelope.model_json_schema()}
    for event_type, cls in EVENT_TYPES.items():
        schema = cls.model_json_schema()
        schema["title"] = event_type
        schema["x-event-version"] = cls.VERSION
        schema["x-aggregate"] = cls.AGGREGATE
        out[f"{event_type}.v{cls.VERSION}.schema.json"] = schema
    return {name: json.dumps(schema, indent=2, sort_keys=True) + "\n" for name, schema in out.items()}


def main() -> None:
    JSON_DIR.mkdir(exist_ok=True)
    for stale in JSON_DIR.glob("*.json"):
        stale.unlink()
    for name, text in rendered_schemas().items():
        (JSON_DIR / name).write_text(text)
        print(f"wrote {JSON_DIR / name}")


if __name__ == "__main__":
    main()
