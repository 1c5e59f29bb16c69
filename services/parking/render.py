"""How a parked message reads for an operator; a reporter_contact never shows, even sealed."""
from __future__ import annotations

import json
import re

from services.common.naming import ATTEMPT_HEADER, PARKED_AT_HEADER, REASON_HEADER

from .lot import Parked

SEALED_FIELD = "reporter_contact"
PREVIEW_BYTES = 2000
REASON_WIDTH = 120


def death_entry(message: Parked, queue: str) -> dict | None:
    """The broker's record of the dead-lettering that brought the message here (most recent first)."""
    deaths = [d for d in message.headers.get("x-death") or [] if isinstance(d, dict)]
    return next((d for d in deaths if d.get("queue") == queue), deaths[0] if deaths else None)


def reason_of(message: Parked, origin: str) -> str:
    if REASON_HEADER in message.headers:
        return str(message.headers[REASON_HEADER])
    death = death_entry(message, origin)
    return f"{death.get('reason')} (dead-lettered by {death.get('queue')})" if death else "-"


def parked_at(message: Parked, origin: str) -> str:
    if PARKED_AT_HEADER in message.headers:
        return str(message.headers[PARKED_AT_HEADER])
    death = death_entry(message, origin) if REASON_HEADER not in message.headers else None
    when = death.get("time") if death else None
    return when.isoformat() if hasattr(when, "isoformat") else "-"


def summary_line(message: Parked, origin: str) -> str:
    event = message.event or {}
    reason = reason_of(message, origin).replace("\n", " ")
    return (f"  {message.position:>3}  id={message.ident}  type={event.get('event_type', '-')}"
            f"  complaint={event.get('correlation_id', '-')}"
            f"  attempts={message.headers.get(ATTEMPT_HEADER, '-')}"
            f"  parked={parked_at(message, origin)}  reason={reason[:REASON_WIDTH]}")


def sealed(value):
    """A copy of a decoded body or header value with every reporter_contact replaced by [sealed]."""
    if isinstance(value, dict):
        return {k: "[sealed]" if k == SEALED_FIELD else sealed(v) for k, v in value.items()}
    if isinstance(value, list):
        return [sealed(v) for v in value]
    return value


def _as_json(value) -> str:
    return json.dumps(sealed(value), ensure_ascii=False, default=str)


def body_text(body: bytes) -> str:
    try:
        return json.dumps(sealed(json.loads(body)), ensure_ascii=False, indent=2, default=str)
    except ValueError:
        preview = repr(body[:PREVIEW_BYTES])
        preview = re.sub(rf'("{SEALED_FIELD}"\s*:\s*)"[^"]*"', r'\1"[sealed]"', preview)
        return f"(not JSON, {len(body)} bytes; escaped preview)\n{preview}"


def full_text(message: Parked, queue: str) -> str:
    props = message.properties
    lines = [f"queue: {queue}", f"position: {message.position}", f"message_id: {props.message_id}",
             f"content_type: {props.content_type}", f"delivery_mode: {props.delivery_mode}", "headers:"]
    lines += [f"  {name}: {_as_json(value)}" for name, value in sorted(message.headers.items())]
    return "\n".join([*lines, "body:", body_text(message.body)])

