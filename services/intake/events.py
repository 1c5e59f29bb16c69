"""The events intake reads, as intake reads them: tolerant schemas (unknown fields dropped).

Each schema names only what the public timeline uses. The producers own their events; these are intake's
own copies, checked against docs/events/*.json by tests/unit/test_intake_contracts.py.
"""
from __future__ import annotations

from marshmallow import fields

from services.common.envelope import Tolerant


class AboutComplaint(Tolerant):
    complaint_id = fields.String(required=True)


class EvidenceArchived(AboutComplaint):
    files = fields.List(fields.Dict(), load_default=list)


class EvidenceRejected(AboutComplaint):
    rejected = fields.List(fields.Dict(), load_default=list)


class Unit(Tolerant):
    name = fields.String(required=True)


class Units(Tolerant):
    primary = fields.Nested(Unit, required=True)


class Group(Tolerant):
    size = fields.Integer(load_default=1)


class CaseRouted(AboutComplaint):
    case_number = fields.String(load_default=None, allow_none=True)  # none on a case routed before numbers
    units = fields.Nested(Units, required=True)
    group = fields.Nested(Group, load_default=None, allow_none=True)


class Notification(AboutComplaint):
    recipient_kind = fields.String(required=True)
    purpose = fields.String(load_default="case")


class CaseStatusChanged(AboutComplaint):
    status = fields.String(required=True)
    public_note = fields.String(load_default=None, allow_none=True)


class QuestionAsked(Tolerant):
    question_id = fields.String(required=True)
    complaint_id = fields.String(required=True)
    question = fields.String(required=True)
    asked_at = fields.AwareDateTime(load_default=None)


class StepUnit(Tolerant):
    name = fields.String(required=True)
    task = fields.String(load_default=None, allow_none=True)
    outcome = fields.Raw(load_default=None, allow_none=True)  # the kind it hands on; the previous step's outcome


class StepOpened(AboutComplaint):
    """case.step_opened: only the bodies' public names and what kind of outcome passed; never its text."""
    step = fields.Nested(StepUnit, required=True)
    previous = fields.Nested(StepUnit, required=True)


READERS = {
    "evidence.archived": EvidenceArchived,
    "evidence.rejected": EvidenceRejected,
    "case.routed": CaseRouted,
    "notification.sent": Notification,
    "notification.failed": Notification,
    "case.status_changed": CaseStatusChanged,
    "case.step_opened": StepOpened,
}


class Basis(Tolerant):
    id = fields.String(required=True)
    citation = fields.String(required=True)


class DisclosureApproved(Tolerant):
    """identity.disclosure_approved: which body the custodian approved, for which case, on which basis."""
    request_id = fields.String(required=True)
    case_id = fields.String(required=True)
    complaint_id = fields.String(required=True)
    tracking_code = fields.String(required=True)
    unit_id = fields.String(required=True)
    body_name = fields.String(required=True)
    legal_basis = fields.Nested(Basis, required=True)
