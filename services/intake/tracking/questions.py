"""The units' questions to the reporter (reporter.question_asked, from the desk) and the reporter's answers
(reporter.answered, to the desk). Plain functions; the repository comes in as a parameter."""
from __future__ import annotations

import uuid
from datetime import datetime, timezone

from services.common.envelope import (
    Permanent,
    derived_event_id,
    new_event,
    read_payload,
)

from ..events import QuestionAsked
from ..ports import TrackingRecords

MAX_ANSWER = 4000


def record_question(event: dict, tracking: TrackingRecords) -> None:
    if event["event_type"] != "reporter.question_asked":
        raise Permanent(f"intake's question queue does not read {event['event_type']}")
    asked = read_payload(QuestionAsked, event)
    tracking.add_question(event, {**asked, "asked_at": asked["asked_at"] or datetime.now(timezone.utc)})


def answer_event(complaint: dict, question_id: str, text: str, now: datetime) -> tuple[dict, dict]:
    """The row's new fields and the reporter.answered event; one answer per question, so one event id."""
    answer = {"answer_id": str(uuid.uuid4()), "answer": text, "answered_at": now}
    event = new_event("reporter.answered", {
        "answer_id": answer["answer_id"], "question_id": question_id, "complaint_id": complaint["complaint_id"],
        "tracking_code": complaint["tracking_code"], "answer": text, "answered_at": now.isoformat()},
        correlation_id=complaint["complaint_id"], producer="intake",
        event_id=derived_event_id("reporter.answered", question_id))
    return answer, event
