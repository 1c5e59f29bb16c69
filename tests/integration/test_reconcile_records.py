"""The reconciler's reads and writes on intake's real PostgreSQL database: the complaints still on their way
with their timelines, the complaint.submitted intake saved, a re-drive into the outbox, and the advisory
lock that keeps two reconcilers from re-driving at once."""
import json
import uuid
from datetime import datetime, timedelta, timezone

from sqlalchemy import select, text

from services.common.envelope import new_event
from services.intake.complaints.repository import Accepted, ComplaintRepository
from services.intake.tables import outbox
from services.ops.intake_records import LOCK_KEY, IntakeRecords, again
from tests.support.migrated import migrated_database

database_url = migrated_database("intake")


def accept(repository: ComplaintRepository, tracking_code: str, at: datetime) -> str:
    complaint_id = str(uuid.uuid4())
    payload = {"complaint_id": complaint_id, "tracking_code": tracking_code, "subject": {}, "violation": {},
               "evidence": [], "reporter_contact": "sealed"}
    event = new_event("complaint.submitted", payload, correlation_id=complaint_id, producer="intake")
    with repository.transaction() as tx:
        tx.add(Accepted(complaint_id, tracking_code, "0" * 64, at, event, None, None))
    return complaint_id


def reach(repository: ComplaintRepository, complaint_id: str, status: str, at: datetime) -> None:
    repository.add_to_timeline({"event_id": str(uuid.uuid4())}, complaint_id, (status, None), at)


def test_only_complaints_on_their_way_are_read_with_their_timeline_in_order(engine):
    repository, start = ComplaintRepository(engine), datetime.now(timezone.utc) - timedelta(hours=1)
    waiting = accept(repository, "NTR-WAIT-0001", start)
    reach(repository, waiting, "routed", start + timedelta(minutes=2))
    reach(repository, waiting, "evidence_archived", start + timedelta(minutes=1))  # arrived late, happened first
    told = accept(repository, "NTR-TOLD-0001", start)
    for minute, status in enumerate(("evidence_archived", "routed", "unit_notified"), 1):
        reach(repository, told, status, start + timedelta(minutes=minute))
    [found] = IntakeRecords(engine).waiting()
    assert (found.complaint_id, found.tracking_code) == (waiting, "NTR-WAIT-0001")
    assert [status for status, _ in found.entries] == ["received", "evidence_archived", "routed"]
    assert found.entries[0][1] == start


def test_a_redrive_is_the_saved_event_again_in_the_outbox_unless_another_reconciler_holds_the_lock(engine):
    repository, records = ComplaintRepository(engine), IntakeRecords(engine)
    complaint_id = accept(repository, "NTR-LOST-0001", datetime.now(timezone.utc))
    accept(repository, "NTR-NEXT-0001", datetime.now(timezone.utc))
    original = records.submitted_event(complaint_id)
    assert original["payload"]["complaint_id"] == complaint_id and records.submitted_event(str(uuid.uuid4())) is None
    with engine.connect() as other:  # a second reconciler, in the middle of its own re-drive
        other.execute(text("SELECT pg_advisory_lock(:key)"), {"key": LOCK_KEY})
        assert records.redrive([again(original)]) is False
        other.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": LOCK_KEY})
    assert records.redrive([again(original)]) is True
    with engine.connect() as conn:
        rows = conn.execute(select(outbox.c.event_id, outbox.c.body, outbox.c.published_at)
                            .where(outbox.c.body.contains(complaint_id)).order_by(outbox.c.id)).all()
    assert len(rows) == 2 and rows[1].published_at is None and rows[1].event_id != original["event_id"]
    assert json.loads(rows[1].body)["payload"] == original["payload"]
    assert records.submitted_event(complaint_id)["event_id"] == original["event_id"]
