"""Each service's database: dumped with pg_dump -Fc, restored with pg_restore into a database that is new."""
from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import psycopg
from psycopg import sql
from sqlalchemy.engine import make_url

SERVICES = ("intake", "routing", "notify", "desk")


def libpq_url(url: str) -> str:
    """postgresql+psycopg://... (the services' SQLAlchemy form) as the plain URL pg_dump understands."""
    return make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


def pg_tool(name: str) -> str:
    """pg_dump / pg_restore: the newest of Debian's PostgreSQL binaries, else the one on PATH."""
    candidates = sorted(Path("/usr/lib/postgresql").glob(f"*/bin/{name}"), key=lambda p: int(p.parts[-3]))
    found = str(candidates[-1]) if candidates else shutil.which(name)
    if not found:
        raise FileNotFoundError(f"{name} not found: install Debian's postgresql-client")
    return found


def dump(url: str, target: Path) -> None:
    subprocess.run([pg_tool("pg_dump"), "-Fc", "--no-owner", "--no-privileges", "-f", str(target),
                    "-d", libpq_url(url)], check=True)


def create_fresh(url: str) -> None:
    """Creates the database named by url; refuses one that already holds tables (restore only into new)."""
    parts = make_url(libpq_url(url))
    admin = parts.set(database="postgres").render_as_string(hide_password=False)
    with psycopg.connect(admin, autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (parts.database,)).fetchone()
        if not exists:
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(parts.database)))
            return
    with psycopg.connect(libpq_url(url)) as conn:
        tables = conn.execute("SELECT count(*) FROM information_schema.tables "
                              "WHERE table_schema = 'public'").fetchone()[0]
    if tables:
        raise RuntimeError(f"database {parts.database} already holds {tables} tables: restore into a new one")


def restore(url: str, source: Path) -> None:
    create_fresh(url)
    subprocess.run([pg_tool("pg_restore"), "--no-owner", "--no-privileges", "--exit-on-error",
                    "-d", libpq_url(url), str(source)], check=True)
