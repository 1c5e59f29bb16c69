"""What /lacak reads and writes: a complaint by its tracking code, its timeline and the units' questions,
the questions arriving from the desk, and the reporter's answers (saved with their event, one transaction)."""
from __future__ import annotations

from datetime import datetime, timezone

from sqlalchemy import insert, select, update
from sqlalchemy.engine import Engine

from services.common.db import record_processed
from services.common.unit_of_work import unit_of_work

from ..tables import complaints, inbox, outbox, questions, timeline


class TrackingRepository:
    def __init__(self, engine: Engine):
        self.engine = engine

    def complaint(self, tracking_code: str) -> dict | None:
        """complaint_id, tracking_code, receipt_hash, status, submitted_at, region_code (the subject's, which
        sets the zone its times show in); None for an unknown code."""
        region = complaints.c.subject["region_code"].as_string().label("region_code")
        with self.engine.connect() as conn:
            row = conn.execute(select(complaints.c.complaint_id, complaints.c.tracking_code,
                                      complaints.c.receipt_hash, complaints.c.status, complaints.c.submitted_at,
                                      region)
                               .where(complaints.c.tracking_code == tracking_code)).first()
        return dict(row._mapping) if row else None

    def timeline(self, complaint_id: str) -> list[dict]:
        with self.engine.connect() as conn:
            rows = conn.execute(select(timeline.c.status, timeline.c.at, timeline.c.detail)
                                .where(timeline.c.complaint_id == complaint_id)
                                .order_by(timeline.c.at, timeline.c.id)).all()
        return [dict(row._mapping) for row in rows]

    def questions(self, complaint_id: str) -> list[dict]:
        with self.engine.connect() as conn:
            rows = conn.execute(select(questions).where(questions.c.complaint_id == complaint_id)
                                .order_by(questions.c.asked_at)).all()
        return [dict(row._mapping) for row in rows]

    def add_question(self, event: dict, question: dict) -> None:
        """Once per event id; a question about a complaint intake does not know raises IntegrityError."""
        with self.engine.begin() as conn:
            if record_processed(conn, inbox, event):
                conn.execute(insert(questions).values(**question))

    def answer(self, complaint_id: str, question_id: str, answer: dict, event: dict) -> bool:
        """Saves the first answer to an open question of this complaint with its event; False otherwise."""
        with unit_of_work(self.engine, outbox=outbox) as tx:
            done = tx.conn.execute(update(questions).where(questions.c.question_id == question_id,
                                                           questions.c.complaint_id == complaint_id,
                                                           questions.c.answer.is_(None)).values(**answer))
            if done.rowcount != 1:
                return False
            tx.emit(event)
        return True

    def add_evidence(self, complaint_id: str, event: dict) -> None:
        """complaint.evidence_added into the outbox and "evidence_added" into the timeline, together."""
        with unit_of_work(self.engine, outbox=outbox) as tx:
            tx.conn.execute(insert(timeline).values(complaint_id=complaint_id, status="evidence_added",
                                                    at=datetime.now(timezone.utc)))
            tx.emit(event)
