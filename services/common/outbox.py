"""The transactional outbox: events saved with the state change that caused them, published afterwards.

A service writes its events into its own `outbox` table in the same transaction as its change; a relay
thread claims a batch and marks it sent in one UPDATE, publishes it with one wait for all its confirms, and
only then commits. A failed batch stays pending whole and is published again; so does one whose publish was
confirmed just before a crash. Consumers drop the repeats by event_id. Several relays may run: rows are
claimed with SKIP LOCKED where the database has it.

On PostgreSQL a trigger on the outbox NOTIFYs when rows are committed, whichever process wrote them, and
the relay LISTENs: it wakes at once for new events and otherwise looks once a second (for a notification
lost while its listening connection was down). Polling every 50 ms instead cost an idle relay 31 ms of
CPU per second, and PostgreSQL as much again. Elsewhere (SQLite) the relay polls every 50 ms.
"""
from __future__ import annotations

import functools
import json
import threading
from contextlib import contextmanager
from datetime import datetime, timezone
from typing import Protocol

import psycopg
import structlog
from prometheus_client import REGISTRY
from prometheus_client.core import GaugeMetricFamily
from sqlalchemy import (Column, DateTime, Integer, MetaData, String, Table, Text, bindparam, func, insert, select,
                        update)
from sqlalchemy.engine import Engine

from .envelope import as_json
from .faults import fault_point
from .logs import raised_at
from .publishers import BatchPublisher

log = structlog.get_logger("netra.relay")
BATCH = 100
WAKEUP_CHANNEL = "netra_outbox"
# The trigger that tells listening relays a transaction added outbox rows. One notification per
# transaction at most (PostgreSQL folds identical ones), sent on commit only.
CREATE_WAKEUP_TRIGGER = (
    f"""CREATE OR REPLACE FUNCTION netra_outbox_wakeup() RETURNS trigger AS $$
    BEGIN PERFORM pg_notify('{WAKEUP_CHANNEL}', ''); RETURN NULL; END $$ LANGUAGE plpgsql""",
    "CREATE TRIGGER outbox_wakeup AFTER INSERT ON outbox FOR EACH STATEMENT EXECUTE FUNCTION netra_outbox_wakeup()",
)
DROP_WAKEUP_TRIGGER = ("DROP TRIGGER IF EXISTS outbox_wakeup ON outbox", "DROP FUNCTION IF EXISTS netra_outbox_wakeup()")


def add_wakeup_trigger(op) -> None:
    """For a service's Alembic migration: the outbox's trigger, on PostgreSQL (SQLite relays poll)."""
    if op.get_bind().dialect.name == "postgresql":
        for statement in CREATE_WAKEUP_TRIGGER:
            op.execute(statement)


def drop_wakeup_trigger(op) -> None:
    if op.get_bind().dialect.name == "postgresql":
        for statement in DROP_WAKEUP_TRIGGER:
            op.execute(statement)


def outbox_table(metadata: MetaData) -> Table:
    return Table(
        "outbox", metadata,
        Column("id", Integer, primary_key=True, autoincrement=True),
        Column("event_id", String(64), nullable=False, unique=True),
        Column("event_type", String(64), nullable=False),
        Column("body", Text, nullable=False),
        Column("created_at", DateTime(timezone=True), server_default=func.now()),
        Column("published_at", DateTime(timezone=True), index=True),
    )


class PublishesBatches(Protocol):
    """What the relay needs of the broker (publishers.BatchPublisher): a whole batch published, returning only
    once every event of it was confirmed, or raising."""

    def publish(self, events: list[dict]) -> None: ...


def add_to_outbox(conn, outbox: Table, events: list[dict]) -> None:
    """The events, as rows of the caller's open transaction: the one place an outbox row is written."""
    if events:
        conn.execute(insert(outbox), [{"event_id": event["event_id"], "event_type": event["event_type"],
                                       "body": as_json(event)} for event in events])


def relay_once(engine: Engine, outbox: Table, publish_batch) -> int:
    """Publish one batch of pending events; returns how many were published.

    `publish_batch(events)` returns only once the broker has confirmed every event, or raises.
    """
    with engine.begin() as conn:
        # Claimed and marked sent in one statement; the mark only counts once the broker confirmed the whole
        # batch and the transaction commits. A failed publish rolls it back: the batch stays pending.
        rows = sorted(conn.execute(_claim_batch(engine.dialect.name, outbox),
                                   {"sent_at": datetime.now(timezone.utc)}).all(), key=lambda row: row.id)
        if not rows:
            return 0
        events = [json.loads(row.body) for row in rows]
        publish_batch(events)
        fault_point("relay_after_publish")
    for event in events:
        log.info("event.published", correlation_id=event["correlation_id"], event_id=event["event_id"],
                 event_type=event["event_type"])
    return len(rows)


# Built once: the relay runs it for every wakeup, and building it cost more client CPU than running it.
@functools.cache
def _claim_batch(dialect: str, outbox: Table):
    """The oldest pending rows, up to a batch, marked sent and returned (SKIP LOCKED where the database has it)."""
    pending = select(outbox.c.id).where(outbox.c.published_at.is_(None)).order_by(outbox.c.id).limit(BATCH)
    if dialect == "postgresql":
        pending = pending.with_for_update(skip_locked=True)
    return update(outbox).where(outbox.c.id.in_(pending.scalar_subquery())) \
        .values(published_at=bindparam("sent_at")).returning(outbox.c.id, outbox.c.body)


def backlog(engine: Engine, outbox: Table) -> tuple[int, datetime | None]:
    """How many events wait to be published, and when the oldest of them was saved."""
    with engine.connect() as conn:
        count, oldest = conn.execute(select(func.count(), func.min(outbox.c.created_at))
                                     .where(outbox.c.published_at.is_(None))).one()
    if oldest is not None and oldest.tzinfo is None:  # SQLite keeps no zone; the server wrote UTC
        oldest = oldest.replace(tzinfo=timezone.utc)
    return count, oldest


class OutboxCollector:
    """netra_outbox_pending and netra_outbox_oldest_age_seconds, read from the table at scrape time.

    While the database does not answer the two are left out; netra_check_up{check="database"} says why.
    """

    def __init__(self, engine: Engine, outbox: Table):
        self.engine, self.outbox = engine, outbox

    def describe(self):  # lets the registry learn the names without a query
        yield GaugeMetricFamily("netra_outbox_pending", "", value=0)
        yield GaugeMetricFamily("netra_outbox_oldest_age_seconds", "", value=0)

    def collect(self):
        try:
            count, oldest = backlog(self.engine, self.outbox)
        except Exception as exc:  # noqa: BLE001 - a scrape must answer while the database is away
            log.warning("outbox.backlog_unknown", error_type=type(exc).__name__)
            return
        age = (datetime.now(timezone.utc) - oldest).total_seconds() if oldest else 0.0
        yield GaugeMetricFamily("netra_outbox_pending", "Events saved but not yet published", value=count)
        yield GaugeMetricFamily("netra_outbox_oldest_age_seconds",
                                "Age of the oldest unpublished event; 0 when none waits", value=max(age, 0.0))


class Wakeup:
    """Waits until the database says outbox rows were committed (LISTEN), or `patience` seconds at most.

    The listening connection is opened on the first wait and again after it broke; a wait that (re)opens
    it returns at once, so rows committed before LISTEN took effect are looked for straight away."""

    def __init__(self, engine: Engine, patience: float = 1.0):
        self._dsn = engine.url.set(drivername="postgresql").render_as_string(hide_password=False)
        self._patience = patience
        self._conn: psycopg.Connection | None = None

    def wait(self, stop: threading.Event) -> None:
        if self._conn is None or self._conn.closed:
            self._conn = psycopg.connect(self._dsn, autocommit=True, connect_timeout=5)
            self._conn.execute(f"LISTEN {WAKEUP_CHANNEL}")
            return
        try:
            for _ in self._conn.notifies(timeout=self._patience, stop_after=1):
                pass
            # Commits that came meanwhile notified too: their rows are in the next batch, so their wakeups
            # are spent here rather than each on a pass that finds nothing.
            for _ in self._conn.notifies(timeout=0):
                pass
        except psycopg.Error:
            self.close()
            raise

    def close(self) -> None:
        if self._conn is not None:
            self._conn.close()
        self._conn = None


class Polling:
    """Where the database cannot notify: look again after `interval` seconds."""

    def __init__(self, interval: float = 0.05):
        self._interval = interval

    def wait(self, stop: threading.Event) -> None:
        stop.wait(self._interval)

    def close(self) -> None:
        pass


def waiter_for(engine: Engine) -> Wakeup | Polling:
    return Wakeup(engine) if engine.dialect.name == "postgresql" else Polling()


def run_relay(engine: Engine, outbox: Table, publish_batch, stop: threading.Event, waiter=None) -> None:
    waiter = waiter or waiter_for(engine)
    try:
        while not stop.is_set():
            try:
                published = relay_once(engine, outbox, publish_batch)
                if published < BATCH:
                    waiter.wait(stop)
            except Exception as exc:  # noqa: BLE001 - the relay outlives a database or broker outage
                log.warning("relay.failed", error_type=type(exc).__name__, raised_at=raised_at(exc))
                stop.wait(1)
    finally:
        waiter.close()


def _counted(collector: OutboxCollector) -> OutboxCollector | None:
    try:
        REGISTRY.register(collector)
        return collector
    except ValueError:  # a second relay in one process: the first one's outbox is the one exported
        log.warning("outbox.metrics_taken")
        return None


@contextmanager
def relaying(engine: Engine, outbox: Table, amqp_url: str):
    """The relay in a thread of its own for as long as the block runs; yields the thread, whose being alive
    is part of the process's readiness."""
    stop, publisher = threading.Event(), BatchPublisher(amqp_url)
    thread = threading.Thread(target=run_relay, args=(engine, outbox, publisher.publish, stop), name="outbox-relay")
    collector = _counted(OutboxCollector(engine, outbox))  # scraped on the process's health port
    thread.start()
    try:
        yield thread
    finally:
        if collector:
            REGISTRY.unregister(collector)
        stop.set()
        thread.join(timeout=30)
        publisher.close()
