"""The events the desk reads, with its own tolerant schemas, and those it publishes, built here so their shape
matches docs/events/*.json."""
from __future__ import annotations

from datetime import datetime

from marshmallow import fields

from services.common.envelope import Tolerant, derived_event_id, new_event

PRODUCER = "desk"


class UnitSchema(Tolerant):
    unit_id = fields.String(required=True)
    name = fields.String(required=True)


class UnitsSchema(Tolerant):
    primary = fields.Nested(UnitSchema, required=True)
    copies = fields.List(fields.Nested(UnitSchema), load_default=list)


class TransferSchema(Tolerant):
    transfer_id = fields.String(required=True)
    from_unit_id = fields.String(required=True)


class CaseRoutedSchema(Tolerant):
    case_id = fields.String(required=True)
    case_number = fields.String(load_default=None, allow_none=True)
    complaint_id = fields.String(required=True)
    tracking_code = fields.String(required=True)
    units = fields.Nested(UnitsSchema, required=True)
    subject = fields.Dict(load_default=dict)
    violation = fields.Dict(load_default=dict)
    files = fields.List(fields.Dict(), load_default=list)
    transfer = fields.Nested(TransferSchema, load_default=None, allow_none=True)
    group = fields.Dict(load_default=None, allow_none=True)
    source = fields.Dict(load_default=None, allow_none=True)  # {"kind": "team", "team_name": ...} for a team
    # The law of the case, in codes; the case page puts it into words (services.reference.law_wording).
    reporter_named = fields.Boolean(load_default=None, allow_none=True)
    contexts = fields.List(fields.String(), load_default=list)
    conflict_of_interest = fields.Dict(load_default=None, allow_none=True)
    breach_kinds = fields.List(fields.String(), load_default=list)
    legal_basis = fields.List(fields.Dict(), load_default=list)
    deadlines = fields.List(fields.Dict(), load_default=list)
    chain = fields.Dict(load_default=None, allow_none=True)  # the steps routing planned (services/desk/chain/steps.py)


class ReporterAnsweredSchema(Tolerant):
    answer_id = fields.String(required=True)
    question_id = fields.String(required=True)
    answer = fields.String(required=True)
    answered_at = fields.AwareDateTime(load_default=None)


class EvidenceAddedSchema(Tolerant):
    complaint_id = fields.String(required=True)
    addition_id = fields.String(required=True)
    files = fields.List(fields.Dict(), load_default=list)
    rejected = fields.List(fields.Dict(), load_default=list)


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


class OpenedStepSchema(Tolerant):
    number = fields.Integer(required=True)
    unit_id = fields.String(required=True)
    name = fields.String(required=True)
    deadline = fields.Dict(load_default=None, allow_none=True)


class PreviousStepSchema(Tolerant):
    number = fields.Integer(required=True)
    unit_id = fields.String(required=True)
    name = fields.String(required=True)
    outcome = fields.Dict(load_default=dict)


class StepOpenedSchema(Tolerant):
    case_id = fields.String(required=True)
    step = fields.Nested(OpenedStepSchema, required=True)
    previous = fields.Nested(PreviousStepSchema, required=True)


class IdentityDisclosedSchema(Tolerant):
    request_id = fields.String(required=True)
    case_id = fields.String(required=True)
    unit_id = fields.String(required=True)
    outcome = fields.String(required=True)
    sealed_identity = fields.String(load_default=None, allow_none=True)


class SanitisedCopySchema(Tolerant):
    key = fields.String(required=True)
    sha256 = fields.String(required=True)
    size = fields.Integer(required=True)


class DocumentArchivedSchema(Tolerant):
    case_id = fields.String(required=True)
    step = fields.Integer(required=True)
    sha256 = fields.String(required=True)
    sanitised = fields.Nested(SanitisedCopySchema, load_default=None, allow_none=True)
    reason = fields.String(load_default=None, allow_none=True)
