"""notify's persistence: the deliveries it owes (idempotency key and record) and the sealed contacts.

Each method is one transaction. The reporter's email stays sealed here exactly as intake sealed it; it is
opened only to send a mail.
"""
from __future__ import annotations

import uuid
from dataclasses import replace
from datetime import datetime, timezone

from sqlalchemy import (Column, DateTime, Integer, MetaData, String, Table, Text, UniqueConstraint, and_,
                        bindparam, insert, select, update)
from sqlalchemy.engine import Engine

from services.common.db import insert_new, one_statement

from .delivery import CLAIMED, BUSY, Delivery

metadata = MetaData()

deliveries = Table(
    "deliveries", metadata,
    Column("delivery_id", String(36), primary_key=True),
    Column("complaint_id", String(64), nullable=False),
    Column("case_id", String(64)),
    Column("recipient_kind", String(16), nullable=False),
    Column("purpose", String(32), nullable=False),
    Column("ref", String(128), nullable=False, default=""),
    Column("unit_id", String(128)),
    Column("message_id", String(255), nullable=False),
    Column("status", String(16), nullable=False),  # sending | sent | failed
    Column("error", Text),
    Column("attempted_at", DateTime(timezone=True)),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("sent_at", DateTime(timezone=True)),
    UniqueConstraint("complaint_id", "recipient_kind", "purpose", "ref", name="uq_delivery_key"),
)

reporter_contacts = Table(
    "reporter_contacts", metadata,
    Column("complaint_id", String(64), primary_key=True),
    Column("sealed_contact", Text),  # null: the reporter left no email
    Column("received_at", DateTime(timezone=True), nullable=False),
)


# When the reporter's case closed (the desk's last case.status_changed, by sequence), and when the contact
# was deleted for it: NETRA_CONTACT_RETENTION_DAYS after closed_at, `python -m services.notify.cli purge-contacts`.
contact_retention = Table(
    "contact_retention", metadata,
    Column("complaint_id", String(64), primary_key=True),
    Column("sequence", Integer, nullable=False),
    Column("closed_at", DateTime(timezone=True), index=True),  # null: open (again)
    Column("purged_at", DateTime(timezone=True)),
)


def _aware(moment: datetime | None) -> datetime | None:
    # SQLite hands back naive datetimes; every time these tables hold is UTC.
    return moment if moment is None or moment.tzinfo else moment.replace(tzinfo=timezone.utc)


DELIVERY_KEY = ("complaint_id", "recipient_kind", "purpose", "ref")
# The row of one delivery key, its values given as parameters (see _key_of); built once, as is what a sent,
# failed or released mail writes back: building them per mail cost more than running them.
SAME_KEY = and_(*(deliveries.c[name] == bindparam(f"key_{name}") for name in DELIVERY_KEY))
RECORD = update(deliveries).where(SAME_KEY)


def _key_of(delivery: Delivery) -> dict:
    return {f"key_{name}": getattr(delivery, name) for name in DELIVERY_KEY}


class SqlDeliveries:
    def __init__(self, engine: Engine):
        self.engine = engine
        self._one_statement = one_statement(engine)

    def claim(self, delivery: Delivery, now: datetime) -> str:
        """The delivery's claim, taken against the stored state. Of two workers claiming a new mail at once,
        the second's insert waits for the first's commit, does nothing, and reads the first's row (busy)."""
        with self.engine.begin() as conn:
            if delivery.status is None and self._insert_first(conn, delivery, now):
                return CLAIMED
            row = conn.execute(select(deliveries.c.status, deliveries.c.attempted_at).where(SAME_KEY),
                               _key_of(delivery)).first()
            if row is not None:
                delivery.status, delivery.attempted_at = row.status, _aware(row.attempted_at)
            outcome = delivery.claim(now)
            if outcome != CLAIMED:
                return outcome
            if row is None:
                conn.execute(insert(deliveries).values(delivery_id=str(uuid.uuid4()), created_at=now,
                                                       **self._fields(delivery)))
                return CLAIMED
            unchanged = (deliveries.c.attempted_at.is_(None) if row.attempted_at is None
                         else deliveries.c.attempted_at == row.attempted_at)
            taken = conn.execute(update(deliveries).where(SAME_KEY, deliveries.c.status == row.status, unchanged)
                                 .values(**self._fields(delivery)), _key_of(delivery))
            return CLAIMED if taken.rowcount == 1 else BUSY

    def _insert_first(self, conn, delivery: Delivery, now: datetime) -> bool:
        """The usual case, a mail never tried: its claimed row in one statement. False, and the delivery as
        it was, when a row is there already (then it is read and claimed against it)."""
        fresh = replace(delivery)
        fresh.claim(now)
        inserted = conn.execute(insert_new(conn, deliveries, DELIVERY_KEY, "delivery_id"),
                                {"delivery_id": str(uuid.uuid4()), "created_at": now, **self._fields(fresh)}).first()
        if inserted is not None:
            delivery.status, delivery.attempted_at = fresh.status, fresh.attempted_at
        return inserted is not None

    def record(self, delivery: Delivery) -> None:
        """Store what became of a claimed delivery (sent, failed, or released for another try): one statement."""
        with self._one_statement.connect() as conn:
            conn.execute(RECORD, {**self._fields(delivery), **_key_of(delivery)})

    @staticmethod
    def _fields(delivery: Delivery) -> dict:
        return {"complaint_id": delivery.complaint_id, "recipient_kind": delivery.recipient_kind,
                "purpose": delivery.purpose, "ref": delivery.ref, "case_id": delivery.case_id,
                "unit_id": delivery.unit_id, "message_id": delivery.message_id, "status": delivery.status,
                "error": delivery.error, "attempted_at": delivery.attempted_at, "sent_at": delivery.sent_at}


class SqlContacts:
    def __init__(self, engine: Engine):
        self.engine = engine
        self._one_statement = one_statement(engine)

    def keep(self, complaint_id: str, sealed: str | None) -> None:
        with self._one_statement.connect() as conn:  # the first word stays; a repeat changes nothing
            conn.execute(insert_new(conn, reporter_contacts, ("complaint_id",), "complaint_id"),
                         {"complaint_id": complaint_id, "sealed_contact": sealed,
                          "received_at": datetime.now(timezone.utc)})

    def sealed_for(self, complaint_id: str) -> tuple[bool, str | None]:
        """(known, sealed token): known is False until the complaint.submitted event has been read."""
        with self.engine.connect() as conn:
            row = conn.execute(select(reporter_contacts.c.sealed_contact)
                               .where(reporter_contacts.c.complaint_id == complaint_id)).first()
        return (row is not None, row.sealed_contact if row else None)


    def note_status(self, complaint_id: str, sequence: int, closed_at: datetime | None) -> None:
        """The case's latest status: closed_at when it closed, None when it is open (again). Older changes
        arriving late are ignored."""
        with self.engine.begin() as conn:
            row = conn.execute(select(contact_retention.c.sequence)
                               .where(contact_retention.c.complaint_id == complaint_id).with_for_update()).first()
            if row is None:
                conn.execute(insert(contact_retention).values(complaint_id=complaint_id, sequence=sequence,
                                                              closed_at=closed_at))
            elif sequence > row.sequence:
                conn.execute(update(contact_retention).where(contact_retention.c.complaint_id == complaint_id)
                             .values(sequence=sequence, closed_at=closed_at))

    def purge(self, closed_before: datetime, now: datetime) -> int:
        """Deletes the sealed contact of every case closed before closed_before; returns how many."""
        with self.engine.begin() as conn:
            due = [row.complaint_id for row in conn.execute(
                select(contact_retention.c.complaint_id).where(contact_retention.c.closed_at < closed_before,
                                                               contact_retention.c.purged_at.is_(None))
                .with_for_update(skip_locked=True))]
            if due:
                conn.execute(update(reporter_contacts).where(reporter_contacts.c.complaint_id.in_(due))
                             .values(sealed_contact=None))
                conn.execute(update(contact_retention).where(contact_retention.c.complaint_id.in_(due))
                             .values(purged_at=now))
        return len(due)

    def purged(self, complaint_id: str) -> bool:
        with self.engine.connect() as conn:
            return conn.execute(select(contact_retention.c.purged_at)
                                .where(contact_retention.c.complaint_id == complaint_id)).scalar() is not None
