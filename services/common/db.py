"""The database session: one engine per service and an inbox for idempotency (tables: services.migrate)."""
from __future__ import annotations

import functools
import time
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import Column, DateTime, MetaData, String, Table, create_engine, event, func, text
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.engine import Engine
from sqlalchemy.exc import DisconnectionError


# A connection back in the pool for less than this is not pinged again before its next use (see ping_if_idle).
PING_AFTER_IDLE_SECONDS = 1.0


def make_engine(url: str) -> Engine:
    if url.startswith("sqlite:///"):
        Path(url.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)
        return create_engine(url, connect_args={"timeout": 30})
    engine = create_engine(url, pool_size=5, max_overflow=5)
    ping_if_idle(engine, PING_AFTER_IDLE_SECONDS)
    return engine


def ping_if_idle(engine: Engine, idle_seconds: float) -> None:
    """SQLAlchemy's pool_pre_ping, for a connection that sat in the pool `idle_seconds` or more.

    A PostgreSQL restart leaves the pool's connections dead; the ping finds that before a statement does, so
    a service goes on unseen. pool_pre_ping pings at every checkout: 0.2 ms of CPU each, a round trip, and
    PostgreSQL's work, about 20 times per complaint, nearly always on a connection handed back milliseconds
    before. A dead connection is replaced by raising DisconnectionError, which the pool answers by connecting
    anew (SQLAlchemy's documented pessimistic recipe). A connection killed within the idle time fails its
    statement instead: the worker retries the message; intake answers the request 503 with Retry-After, the
    desk its "try again shortly" page."""
    @event.listens_for(engine.pool, "checkin")
    def _handed_back(_dbapi_connection, record) -> None:
        if record is not None:
            record.info["idle_since"] = time.monotonic()

    @event.listens_for(engine.pool, "checkout")
    def _ping_if_idle(dbapi_connection, record, _proxy) -> None:
        since = record.info.get("idle_since")
        if since is None or time.monotonic() - since < idle_seconds:
            return  # a new connection, or one in use a moment ago
        try:
            with dbapi_connection.cursor() as cursor:
                cursor.execute("SELECT 1")
            dbapi_connection.rollback()
        except Exception as exc:
            raise DisconnectionError(f"pooled connection no longer answers: {type(exc).__name__}") from exc


def one_statement(engine: Engine) -> Engine:
    """The engine for writes of a single statement, which is atomic on its own: in autocommit psycopg sends
    just the statement, where a transaction block adds a BEGIN and a COMMIT round trip around it. The same
    pool; the connection is handed back in its usual mode."""
    return engine.execution_options(isolation_level="AUTOCOMMIT")


def inbox_table(metadata: MetaData) -> Table:
    """Event ids a consumer has already handled, so a redelivered event changes nothing twice."""
    return Table(
        "processed_events", metadata,
        Column("event_id", String(64), primary_key=True),
        Column("event_type", String(64), nullable=False),
        Column("processed_at", DateTime(timezone=True), server_default=func.now()),
    )


def dialect_insert(conn, table: Table):
    """An INSERT that can say ON CONFLICT (PostgreSQL and SQLite spell it alike): one statement where a
    savepoint around a plain INSERT would take three round trips."""
    return insert_for(conn.dialect.name, table)


def insert_for(dialect: str, table: Table):
    """dialect_insert by the dialect's name, for a statement built once and kept."""
    return (postgresql_insert if dialect == "postgresql" else sqlite_insert)(table)


def insert_new(conn, table: Table, key: tuple[str, ...], returning: str):
    """INSERT ... ON CONFLICT (key) DO NOTHING RETURNING one column, built once per dialect and table; run it
    with the row's values as parameters. Building the statement for every row cost more client CPU than
    sending it (about 0.3 ms a statement)."""
    return _insert_new(conn.dialect.name, table, key, returning)


@functools.cache
def _insert_new(dialect: str, table: Table, key: tuple[str, ...], returning: str):
    return insert_for(dialect, table).on_conflict_do_nothing(index_elements=list(key)).returning(table.c[returning])


def record_processed(conn, inbox: Table, event: dict) -> bool:
    """Insert the event id inside the caller's transaction; False if another delivery got there first."""
    statement = insert_new(conn, inbox, ("event_id",), "event_id")
    row = {"event_id": event["event_id"], "event_type": event["event_type"]}
    return conn.execute(statement, row).first() is not None  # (rowcount says -1 here under psycopg 3)


@contextmanager
def transaction(engine: Engine):
    with engine.begin() as conn:
        yield conn


def database_answers(engine: Engine) -> bool:
    try:
        with engine.connect() as conn:
            conn.execute(text("SELECT 1"))
        return True
    except Exception:  # noqa: BLE001 - a readiness check answers "no", whatever the driver raised
        return False
