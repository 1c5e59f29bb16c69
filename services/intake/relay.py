"""The outbox relay: publishes committed events with confirms, then marks them sent.

A crash between the publish and the mark publishes the event again on restart; consumers drop the
repeat by its event_id. Several relays may run: rows are claimed with SKIP LOCKED where the database
has it.
"""
from __future__ import annotations

import json
import threading
from datetime import datetime, timezone

import structlog
from sqlalchemy import select, update
from sqlalchemy.engine import Engine

from .tables import outbox

log = structlog.get_logger("netra.intake.relay")
BATCH = 100


def relay_once(engine: Engine, publish) -> int:
    """Publish one batch of pending events; returns how many were published."""
    with engine.begin() as conn:
        query = select(outbox.c.id, outbox.c.body).where(outbox.c.published_at.is_(None)) \
            .order_by(outbox.c.id).limit(BATCH)
        if engine.dialect.name == "postgresql":
            query = query.with_for_update(skip_locked=True)
        rows = conn.execute(query).all()
        for row in rows:
            event = json.loads(row.body)
            publish(event)
            conn.execute(update(outbox).where(outbox.c.id == row.id)
                         .values(published_at=datetime.now(timezone.utc)))
            log.info("event.published", correlation_id=event["correlation_id"], event_id=event["event_id"],
                     event_type=event["event_type"])
    return len(rows)


def run_relay(engine: Engine, publish, stop: threading.Event, idle_seconds: float = 0.05) -> None:
    while not stop.is_set():
        try:
            published = relay_once(engine, publish)
        except Exception as exc:  # noqa: BLE001 - the relay outlives a database or broker outage
            log.warning("relay.failed", error=repr(exc))
            stop.wait(1)
            continue
        if published < BATCH:
            stop.wait(idle_seconds)
