"""The event envelope every message carries, and reading a payload tolerantly.

Envelope: {"event_id", "event_type", "schema_version", "occurred_at", "correlation_id", "producer",
"payload"}. Each service reads the payloads it consumes with its own schema built on `Tolerant`.
"""
from __future__ import annotations

import functools
import json
import uuid
from datetime import datetime, timezone

from marshmallow import EXCLUDE, Schema, ValidationError

SCHEMA_VERSION = 1
ENVELOPE_KEYS = ("event_id", "event_type", "correlation_id", "payload")


class Permanent(Exception):
    """The message can never be handled: park it with this reason instead of retrying."""


class Tolerant(Schema):
    """A consumer's reading of a payload: fields it does not know are dropped, not errors."""

    class Meta:
        unknown = EXCLUDE


def new_event(event_type: str, payload: dict, *, correlation_id: str, producer: str,
              event_id: str | None = None) -> dict:
    return {
        "event_id": event_id or str(uuid.uuid4()),
        "event_type": event_type,
        "schema_version": SCHEMA_VERSION,
        "occurred_at": datetime.now(timezone.utc).isoformat(),
        "correlation_id": correlation_id,
        "producer": producer,
        "payload": payload,
    }


def derived_event_id(event_type: str, business_key: str) -> str:
    """The same fact about the same thing always gets the same id, so consumers can drop repeats."""
    return str(uuid.uuid5(uuid.NAMESPACE_URL, f"netra:{event_type}:{business_key}"))


def decode_envelope(body: bytes) -> dict:
    try:
        event = json.loads(body)
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise Permanent(f"unreadable message: {exc}") from None
    if not isinstance(event, dict) or any(key not in event for key in ENVELOPE_KEYS):
        raise Permanent(f"not an event envelope: needs {', '.join(ENVELOPE_KEYS)}")
    return event


def read_payload(schema: Schema | type[Schema], event: dict) -> dict:
    """The payload as this consumer reads it; one that does not fit will never fit, so it is parked."""
    reader = _reader_of(schema) if isinstance(schema, type) else schema
    try:
        return reader.load(event["payload"])
    except ValidationError as exc:
        raise Permanent(f"{event.get('event_type')} payload is invalid: {exc.messages}") from None


@functools.cache
def _reader_of(schema_class: type[Schema]) -> Schema:
    """One instance per schema, kept: building one (its fields copied, its nested schemas made on first use)
    cost four times its load of a case.routed payload."""
    return schema_class()


def as_json(event: dict) -> str:
    """The one encoding of an event, on the wire (encode) and in an outbox row alike."""
    return json.dumps(event, ensure_ascii=False)


def encode(event: dict) -> bytes:
    return as_json(event).encode()
