"""The event contract: one example envelope per event type and purpose, in docs/events/<name>.json.

Consumers load each example they read with their own tolerant schema; producers check that what they emit
has the same shape as the example (every field the example has, and no field it lacks), so renaming a
field in an example, or in the code, fails a test on one side or the other.
"""
from __future__ import annotations

import json
from pathlib import Path

EXAMPLES = Path(__file__).resolve().parents[2] / "docs" / "events"


def example(name: str) -> dict:
    """docs/events/<name>.json, e.g. "case.routed" or "notification.sent.ack"."""
    return json.loads((EXAMPLES / f"{name}.json").read_text(encoding="utf-8"))


def example_names(event_type: str | None = None) -> list[str]:
    names = sorted(path.stem for path in EXAMPLES.glob("*.json"))
    if event_type is None:
        return names
    return [n for n in names if n == event_type or n.startswith(event_type + ".")]


def shape_differences(emitted, documented, path: str = "") -> list[str]:
    """Where the emitted value's shape differs from the documented one (keys, nesting, list items).

    A null on either side matches anything: optional fields are documented with a value where possible.
    """
    if emitted is None or documented is None:
        return []
    if isinstance(documented, dict):
        if not isinstance(emitted, dict):
            return [f"{path or '.'}: expected an object"]
        problems = [f"{path}.{k}: documented, not emitted" for k in documented.keys() - emitted.keys()]
        problems += [f"{path}.{k}: emitted, not documented" for k in emitted.keys() - documented.keys()]
        for key in documented.keys() & emitted.keys():
            problems += shape_differences(emitted[key], documented[key], f"{path}.{key}")
        return problems
    if isinstance(documented, list):
        if not isinstance(emitted, list):
            return [f"{path}: expected a list"]
        if documented and emitted:
            return [p for item in emitted for p in shape_differences(item, documented[0], f"{path}[]")]
        return []
    if isinstance(documented, bool) != isinstance(emitted, bool) or \
            isinstance(documented, (int, float)) != isinstance(emitted, (int, float)):
        return [f"{path}: {type(emitted).__name__} where {type(documented).__name__} is documented"]
    return []


def assert_matches_example(emitted: dict, name: str) -> None:
    documented = example(name)
    assert emitted["event_type"] == documented["event_type"], (emitted["event_type"], name)
    problems = shape_differences(emitted, documented)
    assert not problems, f"{emitted['event_type']} differs from docs/events/{name}.json:\n" + "\n".join(problems)
