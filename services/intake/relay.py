"""The outbox relay: publishes committed events in confirmed batches, then marks them sent.

A batch is claimed, published with one wait for all its confirms, and marked sent in one UPDATE. A
failed batch stays pending whole and is published again; so does one whose publish was confirmed
just before a crash. Consumers drop the repeats by event_id. Several relays may run: rows are claimed
with SKIP LOCKED where the database has it.
"""
from __future__ import annotations

import json
import threading
from datetime import datetime, timezone

import structlog
from sqlalchemy import select, update
from sqlalchemy.engine import Engine

from services.common.faults import fault_point

from .tables import outbox

log = structlog.get_logger("netra.intake.relay")
BATCH = 100


def relay_once(engine: Engine, publish_batch) -> int:
    """Publish one batch of pending events; returns how many were published.

    `publish_batch(events)` returns only once the broker has confirmed every event, or raises.
    """
    with engine.begin() as conn:
        rows = conn.execute(pending_batch(engine)).all()
        if not rows:
            return 0
        events = [json.loads(row.body) for row in rows]
        publish_batch(events)
        fault_point("relay_after_publish")
        conn.execute(update(outbox).where(outbox.c.id.in_([row.id for row in rows]))
                     .values(published_at=datetime.now(timezone.utc)))
    for event in events:
        log.info("event.published", correlation_id=event["correlation_id"], event_id=event["event_id"],
                 event_type=event["event_type"])
    return len(rows)


def pending_batch(engine: Engine):
    query = select(outbox.c.id, outbox.c.body).where(outbox.c.published_at.is_(None)) \
        .order_by(outbox.c.id).limit(BATCH)
    if engine.dialect.name == "postgresql":
        query = query.with_for_update(skip_locked=True)
    return query


def run_relay(engine: Engine, publish_batch, stop: threading.Event, idle_seconds: float = 0.05) -> None:
    while not stop.is_set():
        try:
            published = relay_once(engine, publish_batch)
        except Exception as exc:  # noqa: BLE001 - the relay outlives a database or broker outage
            log.warning("relay.failed", error_type=type(exc).__name__)
            stop.wait(1)
            continue
        if published < BATCH:
            stop.wait(idle_seconds)
