"""The database session: one engine per service and an inbox for idempotency (tables: services.migrate)."""
from __future__ import annotations

from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import Column, DateTime, MetaData, String, Table, create_engine, func, insert, text
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError


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


def record_processed(conn, inbox: Table, event: dict) -> bool:
    """Insert the event id inside the caller's transaction; False if another delivery got there first."""
    try:
        with conn.begin_nested():
            conn.execute(insert(inbox).values(event_id=event["event_id"], event_type=event["event_type"]))
        return True
    except IntegrityError:
        return False


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
