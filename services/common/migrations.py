"""Alembic, one revision history per service database (services/<service>/migrations/).

`python -m services.migrate [service]` upgrades (services/migrate) as the role that owns the tables, then
grants the services' own role what it may do (services/common/grants.py); the services only check at start
that their database is at head (`schema_problem`) and never create tables themselves.
"""
from __future__ import annotations

import fcntl

import importlib
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import MetaData, inspect, text
from sqlalchemy.engine import Connection, Engine

from .db import make_engine
from .grants import grant_service_role

ROOT = Path(__file__).resolve().parents[1]
# Where each service declares its tables: the target of autogenerate and of the "at head" check.
METADATA = {
    "intake": "services.intake.tables",
    "routing": "services.routing.repository",
    "notify": "services.notify.repository",
    "desk": "services.desk.tables",
}
SERVICES = tuple(METADATA)
FIRST_REVISION = "0001"
_UPGRADE_LOCK = 0x6E65746D  # "netm": one upgrade at a time on a PostgreSQL server, whichever service


class UnknownService(ValueError):
    pass


def version_table(service: str) -> str:
    """Separate per service, so two services sharing one database keep separate histories."""
    return f"alembic_version_{service}"


def metadata_of(service: str) -> MetaData:
    if service not in METADATA:
        raise UnknownService(f"unknown service {service!r}: one of {', '.join(SERVICES)}")
    return importlib.import_module(METADATA[service]).metadata


def alembic_config(service: str, connection: Connection | None = None) -> Config:
    metadata_of(service)  # refuses an unknown name before Alembic looks for a folder
    config = Config()
    config.set_main_option("script_location", str(ROOT / service / "migrations"))
    config.set_main_option("file_template", "%%(rev)s_%%(slug)s")
    config.attributes.update(service=service, connection=connection)
    return config


def head(service: str) -> str:
    return ScriptDirectory.from_config(alembic_config(service)).get_current_head()


def current(connection: Connection, service: str) -> str | None:
    context = MigrationContext.configure(connection, opts={"version_table": version_table(service)})
    return context.get_current_revision()


def schema_problem(engine: Engine, service: str) -> str | None:
    """None when the database is at this code's head; otherwise what is wrong and the command to run."""
    with engine.connect() as conn:
        found = current(conn, service)
    wanted = head(service)
    if found == wanted:
        return None
    return (f"{service} database is at revision {found or 'none (empty)'}, this code needs {wanted}: "
            f"run `python -m services.migrate {service}`")


def upgrade(service: str, url: str, service_role: str = "") -> tuple[str | None, str]:
    """Upgrades to head under a PostgreSQL advisory lock, then grants `service_role` (when named, on
    PostgreSQL) the rows it may read and write; returns the revisions before and after."""
    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            with _upgrade_lock(conn):
                before = current(conn, service)
                if before is None and _holds_first_schema(conn, service):
                    command.stamp(alembic_config(service, conn), FIRST_REVISION)  # tables made before Alembic
                command.upgrade(alembic_config(service, conn), "head")
                if service_role and conn.dialect.name == "postgresql":
                    grant_service_role(conn, metadata_of(service), version_table(service), service_role)
                conn.commit()
                return before, current(conn, service)
    finally:
        engine.dispose()


def new_revision(service: str, url: str, message: str) -> None:
    """Writes the next numbered revision from the difference between the code's tables and a database at head."""
    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            command.revision(alembic_config(service, conn), message=message, autogenerate=True,
                             rev_id=f"{int(head(service)) + 1:04d}")
    finally:
        engine.dispose()


class _upgrade_lock:
    """A session lock held over every transaction of the upgrade; released even when it fails. On a SQLite
    file (a laptop run) an exclusive lock on a file beside it does the same."""

    def __init__(self, conn: Connection):
        self.conn, self.postgres = conn, conn.dialect.name == "postgresql"
        database = conn.engine.url.database if conn.dialect.name == "sqlite" else None
        self.lock_file = f"{database}.migrate-lock" if database and database != ":memory:" else None

    def __enter__(self):
        if self.postgres:
            self.conn.execute(text("SELECT pg_advisory_lock(:key)"), {"key": _UPGRADE_LOCK})
            self.conn.commit()
        if self.lock_file:
            self.held = open(self.lock_file, "a")
            fcntl.flock(self.held, fcntl.LOCK_EX)

    def __exit__(self, *exc):
        if self.lock_file:
            self.held.close()  # closing releases the lock
        if self.postgres:
            self.conn.rollback()
            self.conn.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": _UPGRADE_LOCK})
            self.conn.commit()


def _holds_first_schema(conn: Connection, service: str) -> bool:
    """Every table of revision 0001 is there without a version table: made by create_all before Alembic."""
    first = ScriptDirectory.from_config(alembic_config(service)).get_revision(FIRST_REVISION).module
    return set(first.TABLES) <= set(inspect(conn).get_table_names())
