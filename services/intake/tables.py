"""intake's own tables: complaints, sealed identities, status timeline, outbox, idempotency, quota, access log."""
from sqlalchemy import (JSON, BigInteger, Column, Date, DateTime, ForeignKey, Integer, LargeBinary, MetaData,
                        String, Table, Text, func, inspect, text)
from sqlalchemy.engine import Engine

from services.common.db import create_tables, inbox_table
from services.common.outbox import outbox_table

metadata = MetaData()

complaints = Table(
    "complaints", metadata,
    Column("complaint_id", String(36), primary_key=True),
    Column("tracking_code", String(20), nullable=False, unique=True),
    Column("receipt_hash", String(64), nullable=False),
    Column("status", String(40), nullable=False),
    Column("subject", JSON, nullable=False),
    Column("violation", JSON, nullable=False),
    Column("evidence", JSON, nullable=False),
    Column("submitted_at", DateTime(timezone=True), nullable=False),
)

# Name, email and phone of a reporter who gave them, sealed to the custodian's public key: intake cannot
# open it. No row for an anonymous reporter; no IP address for anyone.
sealed_identities = Table(
    "sealed_identities", metadata,
    Column("complaint_id", String(36), ForeignKey("complaints.complaint_id"), primary_key=True),
    Column("token", Text, nullable=False),
)

timeline = Table(
    "timeline", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("complaint_id", String(36), ForeignKey("complaints.complaint_id"), nullable=False, index=True),
    Column("status", String(40), nullable=False),
    Column("detail", Text),
    Column("event_id", String(64), unique=True),
    Column("at", DateTime(timezone=True), nullable=False),
)

outbox = outbox_table(metadata)

# Questions a unit asked the reporter (reporter.question_asked) and the reporter's one answer from /lacak.
questions = Table(
    "questions", metadata,
    Column("question_id", String(36), primary_key=True),
    Column("complaint_id", String(36), ForeignKey("complaints.complaint_id"), nullable=False, index=True),
    Column("question", Text, nullable=False),
    Column("asked_at", DateTime(timezone=True), nullable=False),
    Column("answer_id", String(36)),
    Column("answer", Text),
    Column("answered_at", DateTime(timezone=True)),
)

# The first answer to a request with an Idempotency-Key, encrypted under a key derived from that
# Idempotency-Key and found by its SHA-256 (secrets.IdempotencyKey).
idempotency_answers = Table(
    "idempotency_answers", metadata,
    Column("key_sha256", String(64), primary_key=True),
    Column("fingerprint", String(64), nullable=False),
    Column("answer", LargeBinary, nullable=False),
    Column("created_at", DateTime(timezone=True), server_default=func.now()),
)

# Bytes of evidence accepted per (UTC) day, reserved before anything is staged.
evidence_quota = Table(
    "evidence_quota", metadata,
    Column("day", Date, primary_key=True),
    Column("bytes", BigInteger, nullable=False),
)

# Who opened which identity, when and why: append-only (a trigger refuses UPDATE, DELETE and TRUNCATE).
identity_access_log = Table(
    "identity_access_log", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("tracking_code", String(20), nullable=False),
    Column("who", String(200), nullable=False),
    Column("reason", Text, nullable=False),
    Column("outcome", String(40), nullable=False),
    Column("at", DateTime(timezone=True), nullable=False, server_default=func.now()),
)

inbox = inbox_table(metadata)

# Monitoring teams (issue 12.5): a team is an organisation, never a person; its keys are stored as the
# SHA-256 of a 256-bit random token (teams.py says why that suffices), revoked by setting revoked_at.
teams = Table(
    "teams", metadata,
    Column("team_id", String(40), primary_key=True),
    Column("name", String(200), nullable=False, unique=True),
    Column("region_code", String(13)),
    Column("created_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
)

team_keys = Table(
    "team_keys", metadata,
    Column("key_id", String(40), primary_key=True),
    Column("team_id", String(40), ForeignKey("teams.team_id"), nullable=False, index=True),
    Column("token_sha256", String(64), nullable=False, unique=True),
    Column("scopes", String(200), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    Column("revoked_at", DateTime(timezone=True)),
)

# One row per batch upload: the per-item answer as it was given, for GET /api/v1/batches/{id}.
team_batches = Table(
    "team_batches", metadata,
    Column("batch_id", String(36), primary_key=True),
    Column("team_id", String(40), ForeignKey("teams.team_id"), nullable=False, index=True),
    Column("results", JSON, nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
)

# The complaint each of a team's items became; (team_id, external_id) is the item's idempotency key.
team_findings = Table(
    "team_findings", metadata,
    Column("team_id", String(40), ForeignKey("teams.team_id"), primary_key=True),
    Column("external_id", String(100), primary_key=True),
    Column("complaint_id", String(36), ForeignKey("complaints.complaint_id"), nullable=False, unique=True),
    Column("batch_id", String(36), nullable=False),
)

APPEND_ONLY = [
    """CREATE OR REPLACE FUNCTION netra_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
       BEGIN RAISE EXCEPTION 'identity_access_log is append-only: % refused', TG_OP; END $$""",
    "DROP TRIGGER IF EXISTS identity_access_log_append_only ON identity_access_log",
    """CREATE TRIGGER identity_access_log_append_only BEFORE UPDATE OR DELETE ON identity_access_log
       FOR EACH ROW EXECUTE FUNCTION netra_refuse_change()""",
    "DROP TRIGGER IF EXISTS identity_access_log_no_truncate ON identity_access_log",
    """CREATE TRIGGER identity_access_log_no_truncate BEFORE TRUNCATE ON identity_access_log
       FOR EACH STATEMENT EXECUTE FUNCTION netra_refuse_change()""",
]


# Tables an earlier version wrote: identities with IP addresses under a symmetric key, raw Idempotency-Keys.
LEFTOVERS = ("reporters", "idempotency_keys")


def create_schema(engine: Engine) -> list[str]:
    """The tables, and on PostgreSQL the trigger that keeps the access log append-only.

    Returns the leftover tables of an earlier version still present, for the caller to warn about: nothing
    reads or writes them any more, and an operator should drop them (no migrations yet).
    """
    create_tables(engine, metadata)  # several gunicorn workers start at once
    if engine.dialect.name == "postgresql":
        with engine.begin() as conn:
            conn.execute(text("SELECT pg_advisory_xact_lock(74201)"))
            for statement in APPEND_ONLY:
                conn.execute(text(statement))
    return [name for name in LEFTOVERS if inspect(engine).has_table(name)]
