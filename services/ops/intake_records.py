"""What the reconciler reads and writes in intake's database: the complaints still on their way to a unit
with their timelines, the complaint.submitted event intake saved for each, and the outbox a re-drive goes
through (intake's relay publishes it, with publisher confirms, like every event of intake's)."""
from __future__ import annotations

import json
import uuid
import zlib
from datetime import datetime, timezone

from sqlalchemy import select, text
from sqlalchemy.engine import Engine

from services.common.unit_of_work import unit_of_work

from services.intake.tables import complaints, outbox, timeline

from .overdue import WAITING, Waiting

# One lock for every reconciler on this database: two replicas, or an operator beside the scheduled one,
# never re-drive at the same time.
LOCK_KEY = zlib.crc32(b"netra.reconcile")
SUBMITTED = "complaint.submitted"


def utc(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)  # SQLite keeps no zone


class IntakeRecords:
    def __init__(self, engine: Engine):
        self.engine = engine

    def waiting(self) -> list[Waiting]:
        """Every complaint whose status is still before its unit's mail, with its timeline oldest first."""
        query = (select(complaints.c.complaint_id, complaints.c.tracking_code, timeline.c.status, timeline.c.at)
                 .join(timeline, timeline.c.complaint_id == complaints.c.complaint_id)
                 .where(complaints.c.status.in_(WAITING))
                 .order_by(complaints.c.complaint_id, timeline.c.at, timeline.c.id))
        found: dict[str, tuple[str, list]] = {}
        with self.engine.connect() as conn:
            for row in conn.execute(query):
                found.setdefault(row.complaint_id, (row.tracking_code, []))[1].append((row.status, utc(row.at)))
        return [Waiting(complaint_id, code, tuple(entries)) for complaint_id, (code, entries) in found.items()]

    def submitted_event(self, complaint_id: str) -> dict | None:
        """The complaint.submitted intake saved with the complaint (its outbox keeps published rows)."""
        query = (select(outbox.c.body).where(outbox.c.event_type == SUBMITTED)
                 .where(outbox.c.body.contains(complaint_id)).order_by(outbox.c.id))
        with self.engine.connect() as conn:
            for body in conn.execute(query).scalars():
                event = json.loads(body)
                if event["payload"]["complaint_id"] == complaint_id:
                    return event
        return None

    def redrive(self, events: list[dict]) -> bool:
        """Each event again, under a new event id, through the outbox; False (and nothing written) while
        another reconciler holds the lock."""
        with unit_of_work(self.engine, outbox=outbox) as tx:
            if tx.conn.dialect.name == "postgresql" and \
                    not tx.conn.execute(text("SELECT pg_try_advisory_xact_lock(:key)"), {"key": LOCK_KEY}).scalar():
                return False
            tx.emit(*events)
        return True


def again(event: dict) -> dict:
    """The same event with a fresh event id and time: the complaint and correlation id stay."""
    return {**event, "event_id": str(uuid.uuid4()), "occurred_at": datetime.now(timezone.utc).isoformat()}
