"""intake's own tables: complaints, sealed identities, status timeline, outbox, idempotency, quota, access log.

Alembic makes and changes them (migrations/); change a table here, then add a revision.
"""
from sqlalchemy import (
                        JSON,
                        BigInteger,
                        Column,
                        Date,
                        DateTime,
                        ForeignKey,
                        Integer,
                        LargeBinary,
                        MetaData,
                        String,
                        Table,
                        Text,
                        func,
)

from services.common.db import inbox_table
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
    # The same identity sealed to the desk's disclosure key, released only for a request the custodian
    # approved (services/intake/identity/disclosure.py); none for identities sealed before disclosure existed.
    Column("disclosure_token", Text),
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
# Idempotency-Key and found by its SHA-256 (receipts.IdempotencyKey).
idempotency_answers = Table(
    "idempotency_answers", metadata,
    Column("key_sha256", String(64), primary_key=True),
    Column("fingerprint", String(64), nullable=False),
    Column("answer", LargeBinary, nullable=False),
    Column("created_at", DateTime(timezone=True), server_default=func.now()),
)

# Bytes of evidence accepted per (UTC) day, reserved before any original is stored.
evidence_quota = Table(
    "evidence_quota", metadata,
    Column("day", Date, primary_key=True),
    Column("bytes", BigInteger, nullable=False),
)

# Who opened which identity, when and why: append-only (a trigger refuses UPDATE, DELETE and TRUNCATE,
# migrations/versions/0001_initial.py; the services' role is granted only SELECT and INSERT,
# services/common/grants.py).
identity_access_log = Table(
    "identity_access_log", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("tracking_code", String(20), nullable=False),
    Column("who", String(200), nullable=False),
    Column("reason", Text, nullable=False),
    Column("outcome", String(40), nullable=False),
    Column("at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    info={"append_only": True},
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
