"""The database session: one engine per service and an inbox for idempotency (tables: services.migrate)."""
from __future__ import annotations

from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import Column, DateTime, MetaData, String, Table, create_engine, func, text
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.engine import Engine


def make_engine(url: str) -> Engine:
    if url.startswith("sqlite:///"):
        Path(url.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)
        return create_engine(url, connect_args={"timeout": 30})
    return create_engine(url, pool_pre_ping=True, pool_size=5, max_overflow=5)


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
    return (postgresql_insert if conn.dialect.name == "postgresql" else sqlite_insert)(table)


def record_processed(conn, inbox: Table, event: dict) -> bool:
    """Insert the event id inside the caller's transaction; False if another delivery got there first."""
    statement = dialect_insert(conn, inbox).values(event_id=event["event_id"], event_type=event["event_type"]) \
        .on_conflict_do_nothing(index_elements=["event_id"]).returning(inbox.c.event_id)
    return conn.execute(statement).first() is not None  # (rowcount says -1 here under psycopg 3)


@contextmanager
def transaction(engine: Engine):
    with engine.begin() as conn:
        yield conn


def database_answers(engine: Engine) -> bool:
    try:
        with engine.connect() as conn:
            conn.execute(text("SELECT 1"))
        return True
    except Exception:
        return False
