"""The database session: one engine per service, tables created on start, an inbox for idempotency."""
from __future__ import annotations

from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import Column, DateTime, MetaData, String, Table, create_engine, func, insert, inspect, text
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


def outdated_tables(engine: Engine, metadata: MetaData) -> list[str]:
    """Tables made by an earlier version with another shape (create_all leaves them as they are): a column
    this version needs is missing, or a required column it does not write is still there."""
    problems, inspector = [], inspect(engine)
    for table in metadata.sorted_tables:
        if not inspector.has_table(table.name):
            continue
        columns = {c["name"]: c for c in inspector.get_columns(table.name)}
        missing = sorted(set(table.columns.keys()) - set(columns))
        stale = sorted(n for n, c in columns.items() if n not in table.columns and not c["nullable"]
                       and c.get("default") is None)
        if missing or stale:
            problems.append(f"{table.name}: missing {missing or '-'}, no longer written {stale or '-'}")
    return problems


def create_tables(engine: Engine, metadata: MetaData) -> None:
    """Create what is missing, one process at a time: two replicas starting together on an empty
    PostgreSQL database would otherwise collide on the same new type and one of them would crash."""
    with engine.begin() as conn:
        if conn.dialect.name == "postgresql":
            conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _SCHEMA_LOCK})
        metadata.create_all(conn)


_SCHEMA_LOCK = 0x6E657472  # "netr": any fixed number, the same in every Netra process


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
