"""notify's own tables: one row per mail it owes (the idempotency key and the record), and sealed contacts.

A delivery is keyed by (complaint, recipient kind, purpose): however often an event arrives, at most one
mail of each purpose goes to each recipient kind, unless the worker died between sending and recording.
"""
from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

from sqlalchemy import (Column, DateTime, MetaData, String, Table, Text, UniqueConstraint, and_, insert,
                        select, update)
from sqlalchemy.engine import Engine

from services.common.db import inbox_table

metadata = MetaData()

deliveries = Table(
    "deliveries", metadata,
    Column("delivery_id", String(36), primary_key=True),
    Column("complaint_id", String(64), nullable=False),
    Column("case_id", String(64)),
    Column("recipient_kind", String(16), nullable=False),  # unit | reporter
    Column("purpose", String(32), nullable=False),  # case | case_copies | ack | evidence_rejected
    Column("unit_id", String(128)),
    Column("message_id", String(255), nullable=False),
    Column("status", String(16), nullable=False),  # sending | sent | failed
    Column("error", Text),
    Column("attempted_at", DateTime(timezone=True)),  # while set and recent, a worker holds the send
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("sent_at", DateTime(timezone=True)),
    UniqueConstraint("complaint_id", "recipient_kind", "purpose", name="uq_delivery_purpose"),
)

# The reporter's email stays sealed here exactly as intake sealed it; it is opened only to send a mail.
reporter_contacts = Table(
    "reporter_contacts", metadata,
    Column("complaint_id", String(64), primary_key=True),
    Column("tracking_code", String(32), nullable=False),
    Column("sealed_contact", Text),  # null: the reporter left no email
    Column("received_at", DateTime(timezone=True), nullable=False),
)

inbox = inbox_table(metadata)

CLAIMED, ALREADY_SENT, BUSY = "claimed", "sent", "busy"
# Longer than one SMTP exchange may take; a claim older than this was left by a worker that died.
CLAIM_LEASE = timedelta(seconds=90)
FIRST_NOTICE = {"unit": "case", "reporter": "ack"}


@dataclass(frozen=True)
class Delivery:
    complaint_id: str
    recipient_kind: str
    purpose: str
    message_id: str
    case_id: str | None = None
    unit_id: str | None = None

    @property
    def notification_key(self) -> str:
        # The contract keys notices by complaint and recipient kind; a later notice to the same kind
        # (evidence rejected) adds its purpose so consumers do not drop it as a repeat of the first.
        key = f"{self.complaint_id}:{self.recipient_kind}"
        return key if FIRST_NOTICE.get(self.recipient_kind) == self.purpose else f"{key}:{self.purpose}"


def _utcnow() -> datetime:
    return datetime.now(timezone.utc)


def _key(delivery: Delivery):
    return and_(deliveries.c.complaint_id == delivery.complaint_id,
                deliveries.c.recipient_kind == delivery.recipient_kind,
                deliveries.c.purpose == delivery.purpose)


def claim(engine: Engine, delivery: Delivery, lease: timedelta = CLAIM_LEASE) -> str:
    """CLAIMED: this worker sends now. ALREADY_SENT: never send again. BUSY: another worker is sending.

    Two workers inserting at once: the loser's unique-key error is transient, and its retry reads `sent`.
    """
    now = _utcnow()
    with engine.begin() as conn:
        row = conn.execute(select(deliveries.c.status, deliveries.c.attempted_at).where(_key(delivery))).first()
        if row is None:
            conn.execute(insert(deliveries).values(
                delivery_id=str(uuid.uuid4()), complaint_id=delivery.complaint_id, case_id=delivery.case_id,
                recipient_kind=delivery.recipient_kind, purpose=delivery.purpose, unit_id=delivery.unit_id,
                message_id=delivery.message_id, status="sending", attempted_at=now, created_at=now))
            return CLAIMED
        if row.status == "sent":
            return ALREADY_SENT
        return CLAIMED if _take_over(conn, delivery, row, now - lease, now) else BUSY


def _take_over(conn, delivery: Delivery, row, stale_before: datetime, now: datetime) -> bool:
    free = row.status == "failed" or row.attempted_at is None or _aware(row.attempted_at) < stale_before
    if not free:
        return False
    unchanged = (deliveries.c.attempted_at.is_(None) if row.attempted_at is None
                 else deliveries.c.attempted_at == row.attempted_at)
    taken = conn.execute(update(deliveries).where(_key(delivery), deliveries.c.status == row.status, unchanged)
                         .values(status="sending", attempted_at=now, case_id=delivery.case_id,
                                 unit_id=delivery.unit_id, message_id=delivery.message_id))
    return taken.rowcount == 1


def _aware(moment: datetime) -> datetime:
    # SQLite hands back naive datetimes; every time this table holds is UTC.
    return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)


def mark_sent(conn, delivery: Delivery) -> None:
    conn.execute(update(deliveries).where(_key(delivery))
                 .values(status="sent", sent_at=_utcnow(), error=None, attempted_at=None))


def mark_failed(engine: Engine, delivery: Delivery, reason: str) -> None:
    with engine.begin() as conn:
        conn.execute(update(deliveries).where(_key(delivery))
                     .values(status="failed", error=reason[:2000], attempted_at=None))


def release(engine: Engine, delivery: Delivery, reason: str) -> None:
    """A transient failure: the mail is still owed, and the next attempt may claim it at once."""
    with engine.begin() as conn:
        conn.execute(update(deliveries).where(_key(delivery), deliveries.c.status == "sending")
                     .values(error=reason[:2000], attempted_at=None))


def keep_contact(engine: Engine, complaint_id: str, tracking_code: str, sealed: str | None) -> None:
    with engine.begin() as conn:
        known = conn.execute(select(reporter_contacts.c.complaint_id)
                             .where(reporter_contacts.c.complaint_id == complaint_id)).first()
        if known is None:
            conn.execute(insert(reporter_contacts).values(complaint_id=complaint_id, tracking_code=tracking_code,
                                                          sealed_contact=sealed, received_at=_utcnow()))


def sealed_contact(engine: Engine, complaint_id: str) -> tuple[bool, str | None]:
    """(known, sealed token): known is False until the complaint.submitted event has been read."""
    with engine.connect() as conn:
        row = conn.execute(select(reporter_contacts.c.sealed_contact)
                           .where(reporter_contacts.c.complaint_id == complaint_id)).first()
    return (row is not None, row.sealed_contact if row else None)


def delivery_rows(engine: Engine, complaint_id: str) -> list:
    with engine.connect() as conn:
        return list(conn.execute(select(deliveries).where(deliveries.c.complaint_id == complaint_id)))
