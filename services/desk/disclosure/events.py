"""The event the desk publishes for an approved request: what intake needs to release the sealed identity,
and the body's public name and basis for the reporter's mail. Never the officer's or the custodian's name,
never the reason (it may name people)."""
from __future__ import annotations

from datetime import datetime

from services.common.envelope import derived_event_id, new_event
from services.reference.disclosure import citation

PRODUCER = "desk"


def disclosure_approved(case: dict, request: dict, body_name: str, at: datetime) -> dict:
    basis = citation(request["legal_basis"])
    payload = {"request_id": request["request_id"], "case_id": case["case_id"],
               "complaint_id": case["complaint_id"], "tracking_code": case["tracking_code"],
               "unit_id": request["unit_id"], "body_name": body_name,
               "legal_basis": {"id": basis["id"], "citation": basis["citation"]}, "approved_at": at.isoformat()}
    return new_event("identity.disclosure_approved", payload, correlation_id=case["complaint_id"],
                     producer=PRODUCER, event_id=derived_event_id("identity.disclosure_approved",
                                                                  request["request_id"]))
