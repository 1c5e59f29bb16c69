"""An in-memory stand-in for intake's TrackingRepository, for unit tests of /lacak and the question consumer."""
from __future__ import annotations

from datetime import datetime, timezone

from services.intake.complaints.receipts import receipt_hash


class FakeTracking:
    def __init__(self):
        self.complaints: dict[str, dict] = {}  # tracking code -> complaint
        self.timelines: dict[str, list[dict]] = {}
        self.asked: dict[str, dict] = {}  # question id -> question
        self.handled: set[str] = set()
        self.events: list[dict] = []
        self.lookups = 0

    def add_complaint(self, complaint_id: str, tracking_code: str, receipt: str, status: str = "received",
                      region_code: str = "14.03"):
        at = datetime(2026, 11, 3, 2, 15, tzinfo=timezone.utc)
        self.complaints[tracking_code] = {"complaint_id": complaint_id, "tracking_code": tracking_code,
                                          "receipt_hash": receipt_hash(receipt), "status": status,
                                          "submitted_at": at, "region_code": region_code}
        self.timelines[complaint_id] = [{"status": "received", "at": at, "detail": None}]

    def complaint(self, tracking_code):
        self.lookups += 1
        found = self.complaints.get(tracking_code)
        return dict(found) if found else None

    def timeline(self, complaint_id):
        return list(self.timelines.get(complaint_id, []))

    def questions(self, complaint_id):
        return sorted((dict(q) for q in self.asked.values() if q["complaint_id"] == complaint_id),
                      key=lambda q: q["asked_at"])

    def add_question(self, event, question):
        if event["event_id"] in self.handled:
            return
        self.handled.add(event["event_id"])
        self.asked[question["question_id"]] = {**question, "answer_id": None, "answer": None, "answered_at": None}

    def answer(self, complaint_id, question_id, answer, event) -> bool:
        question = self.asked.get(question_id)
        if question is None or question["complaint_id"] != complaint_id or question["answer"] is not None:
            return False
        question.update(answer)
        self.events.append(event)
        return True

    def add_evidence(self, complaint_id, event) -> None:
        self.events.append(event)
        self.timelines[complaint_id].append({"status": "evidence_added", "at": datetime.now(timezone.utc),
                                             "detail": None})
