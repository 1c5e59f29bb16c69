"""intake's own tables: complaints, reporter identity (encrypted), status timeline, outbox, idempotency."""
from sqlalchemy import (JSON, Column, DateTime, ForeignKey, Integer, LargeBinary, MetaData, String, Table,
                        Text, func)

from services.common.db import inbox_table

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

# Name, email, phone and IP of the reporter, as one Fernet token: never readable from the database alone.
reporters = Table(
    "reporters", metadata,
    Column("complaint_id", String(36), ForeignKey("complaints.complaint_id"), primary_key=True),
    Column("identity", LargeBinary, nullable=False),
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

outbox = Table(
    "outbox", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("event_id", String(64), nullable=False, unique=True),
    Column("event_type", String(64), nullable=False),
    Column("body", Text, nullable=False),
    Column("created_at", DateTime(timezone=True), server_default=func.now()),
    Column("published_at", DateTime(timezone=True), index=True),
)

# The first answer to a request with an Idempotency-Key; it holds the receipt, so it is encrypted too.
idempotency_keys = Table(
    "idempotency_keys", metadata,
    Column("key", String(200), primary_key=True),
    Column("request_hash", String(64), nullable=False),
    Column("answer", LargeBinary, nullable=False),
    Column("created_at", DateTime(timezone=True), server_default=func.now()),
)

inbox = inbox_table(metadata)
