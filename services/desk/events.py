"""The events the desk publishes, built here so their shape matches docs/events/*.json."""
from __future__ import annotations

from datetime import datetime

from services.common.envelope import derived_event_id, new_event

PRODUCER = "desk"


def status_changed(case: dict, status: str, previous: str, public_note: str | None, sequence: int,
                   at: datetime) -> dict:
    """Only the public part of a move: never the officer's name or the note for the file."""
    payload = {"case_id": case["case_id"], "complaint_id": case["complaint_id"],
               "tracking_code": case["tracking_code"], "unit_id": case["unit_id"], "sequence": sequence,
               "status": status, "previous_status": previous, "public_note": public_note or None,
               "changed_at": at.isoformat()}
    return new_event("case.status_changed", payload, correlation_id=case["complaint_id"], producer=PRODUCER,
                     event_id=derived_event_id("case.status_changed", f"{case['case_id']}:{sequence}"))


def transfer_approved(case: dict, transfer: dict, at: datetime) -> dict:
    payload = {"transfer_id": transfer["transfer_id"], "case_id": case["case_id"],
               "complaint_id": case["complaint_id"], "tracking_code": case["tracking_code"],
               "from_unit_id": transfer["from_unit_id"], "to_unit_id": transfer["to_unit_id"],
               "reason": transfer["reason"], "approved_at": at.isoformat()}
    return new_event("case.transfer_approved", payload, correlation_id=case["complaint_id"],
                     producer=PRODUCER, event_id=derived_event_id("case.transfer_approved",
                                                                  transfer["transfer_id"]))


def question_asked(case: dict, question: dict) -> dict:
    payload = {"question_id": question["question_id"], "case_id": case["case_id"],
               "complaint_id": case["complaint_id"], "tracking_code": case["tracking_code"],
               "unit_id": question["unit_id"], "question": question["question"],
               "asked_at": question["asked_at"].isoformat()}
    return new_event("reporter.question_asked", payload, correlation_id=case["complaint_id"],
                     producer=PRODUCER, event_id=derived_event_id("reporter.question_asked",
                                                                  question["question_id"]))


def step_completed(case: dict, step: dict, steps: int, at: datetime) -> dict:
    """The end of a step and its outcome, for routing to open the next step. No officer's name, no file note."""
    payload = {"case_id": case["case_id"], "case_number": case.get("case_number"), "complaint_id": case["complaint_id"],
               "tracking_code": case["tracking_code"], "step": step["number"], "of": steps,
               "unit_id": case["unit_id"], "unit_name": case["unit_name"], "task": step["task"],
               "outcome": step["result"], "completed_at": at.isoformat()}
    return new_event("case.step_completed", payload, correlation_id=case["complaint_id"], producer=PRODUCER,
                     event_id=derived_event_id("case.step_completed", f"{case['case_id']}:{step['number']}"))
