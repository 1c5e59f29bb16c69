"""Creates the desk's tables at start, and the trigger that keeps the audit log append-only."""
from __future__ import annotations

from sqlalchemy import text
from sqlalchemy.engine import Engine

from .tables import metadata

SCHEMA_LOCK = 8090  # the web app and the worker may start together: one creates, the other waits
REFUSE_CHANGES = """
CREATE OR REPLACE FUNCTION audit_log_is_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'audit_log is append-only: % refused', TG_OP USING ERRCODE = 'insufficient_privilege';
END $$;
"""
TRIGGERS = {
    "audit_log_no_change": "BEFORE UPDATE OR DELETE ON audit_log FOR EACH ROW",
    "audit_log_no_truncate": "BEFORE TRUNCATE ON audit_log FOR EACH STATEMENT",
}


def create_schema(engine: Engine) -> None:
    with engine.begin() as conn:
        if engine.dialect.name == "postgresql":
            conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": SCHEMA_LOCK})
        metadata.create_all(conn)
        if engine.dialect.name == "postgresql":
            # added after the first release: a desk database of an earlier version gains it in place
            conn.execute(text("ALTER TABLE cases ADD COLUMN IF NOT EXISTS law JSON"))
            install_audit_triggers(conn)


def install_audit_triggers(conn) -> None:
    conn.execute(text(REFUSE_CHANGES))
    for name, when in TRIGGERS.items():
        exists = conn.execute(text("SELECT 1 FROM pg_trigger WHERE tgname = :name"), {"name": name}).first()
        if not exists:
            conn.execute(text(f"CREATE TRIGGER {name} {when} EXECUTE FUNCTION audit_log_is_append_only()"))
