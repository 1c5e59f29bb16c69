"""The events notify reads (its own tolerant copies) and the ones it emits (see docs/events.md)."""
from __future__ import annotations

from marshmallow import fields

from services.common.envelope import Tolerant, derived_event_id, new_event

PRODUCER = "notify"


class ComplaintSubmitted(Tolerant):
    complaint_id = fields.String(required=True)
    tracking_code = fields.String(required=True)
    submitted_at = fields.String(load_default=None)
    reporter_contact = fields.String(load_default=None, allow_none=True)


class RejectedFile(Tolerant):
    index = fields.Integer(required=True)
    reason = fields.String(required=True)


class EvidenceRejected(Tolerant):
    complaint_id = fields.String(required=True)
    tracking_code = fields.String(required=True)
    rejected = fields.List(fields.Nested(RejectedFile), load_default=list)


class Unit(Tolerant):
    unit_id = fields.String(required=True)
    name = fields.String(required=True)
    email = fields.String(required=True)


class RoutedUnits(Tolerant):
    primary = fields.Nested(Unit, required=True)
    copies = fields.List(fields.Nested(Unit), load_default=list)


class Fallback(Tolerant):
    wanted = fields.String(load_default=None, allow_none=True)
    used = fields.String(load_default=None, allow_none=True)
    reason = fields.String(load_default=None, allow_none=True)


class Subject(Tolerant):
    name = fields.String(required=True)
    nip = fields.String(load_default=None, allow_none=True)
    position = fields.String(load_default=None, allow_none=True)
    agency = fields.String(load_default=None, allow_none=True)
    employer_level = fields.String(load_default=None, allow_none=True)
    region_code = fields.String(load_default=None, allow_none=True)


class Violation(Tolerant):
    category = fields.String(required=True)
    platform = fields.String(load_default=None, allow_none=True)
    post_urls = fields.List(fields.String(), load_default=list)
    occurred_on = fields.Date(load_default=None, allow_none=True)
    location = fields.String(load_default=None, allow_none=True)
    description = fields.String(load_default="")


class FileCopy(Tolerant):
    sha256 = fields.String(required=True)
    size = fields.Integer(required=True)
    media_type = fields.String(load_default=None, allow_none=True)


class ArchivedFile(Tolerant):
    """A file as units see it listed: hashes and sizes only, never a link to the store."""
    index = fields.Integer(required=True)
    sha256 = fields.String(required=True)
    size = fields.Integer(required=True)
    media_type = fields.String(required=True)
    sanitised = fields.Nested(FileCopy, load_default=None, allow_none=True)


class Transfer(Tolerant):
    transfer_id = fields.String(required=True)
    from_unit_id = fields.String(load_default=None, allow_none=True)


class Group(Tolerant):
    """Reports of the same act share a group; the lead is its first report."""
    group_id = fields.String(required=True)
    lead_case_id = fields.String(required=True)
    lead_tracking_code = fields.String(required=True)
    size = fields.Integer(required=True)
    matched_on = fields.List(fields.String(), load_default=list)


class Basis(Tolerant):
    source = fields.String(required=True)
    article = fields.String(required=True)
    kind = fields.String(load_default=None, allow_none=True)


class Deadline(Tolerant):
    clock = fields.String(required=True)
    due = fields.String(required=True)
    start = fields.String(load_default=None, allow_none=True)
    days = fields.Integer(load_default=None, allow_none=True)
    day_kind = fields.String(load_default=None, allow_none=True)
    estimate = fields.Boolean(load_default=False)


class CandidateHead(Tolerant):
    region_code = fields.String(load_default=None, allow_none=True)
    office = fields.String(load_default=None, allow_none=True)
    running_for = fields.String(load_default=None, allow_none=True)


class CaseRouted(Tolerant):
    case_id = fields.String(required=True)
    case_number = fields.String(load_default=None, allow_none=True)  # none on a case routed before numbers
    complaint_id = fields.String(required=True)
    tracking_code = fields.String(required=True)
    units = fields.Nested(RoutedUnits, required=True)
    matched_rule = fields.String(load_default=None, allow_none=True)
    fallback = fields.List(fields.Nested(Fallback), load_default=list)
    subject = fields.Nested(Subject, required=True)
    violation = fields.Nested(Violation, required=True)
    files = fields.List(fields.Nested(ArchivedFile), load_default=list)
    routed_at = fields.String(load_default=None)
    transfer = fields.Nested(Transfer, load_default=None, allow_none=True)
    group = fields.Nested(Group, load_default=None, allow_none=True)
    source = fields.Dict(load_default=None, allow_none=True)  # {"kind": "team", "team_name": ...} for a team
    # The law of the case (routing's legal facts); a case.routed of an earlier version has none.
    reporter_named = fields.Boolean(load_default=None, allow_none=True)
    contexts = fields.List(fields.String(), load_default=list)
    conflict_of_interest = fields.Nested(CandidateHead, load_default=None, allow_none=True)
    breach_kinds = fields.List(fields.String(), load_default=list)
    legal_basis = fields.List(fields.Nested(Basis), load_default=list)
    deadlines = fields.List(fields.Nested(Deadline), load_default=list)


class StatusChanged(Tolerant):
    """case.status_changed from the desk: notify only needs to know which change of which case it is."""
    case_id = fields.String(required=True)
    complaint_id = fields.String(required=True)
    tracking_code = fields.String(required=True)  # the reporter's own code, named in the mail
    sequence = fields.Integer(required=True)
    status = fields.String(required=True)
    changed_at = fields.AwareDateTime(load_default=None)  # when a closing status starts the contact's retention


class QuestionAsked(Tolerant):
    """reporter.question_asked: the question's words stay on /lacak, never in a mail."""
    question_id = fields.String(required=True)
    case_id = fields.String(required=True)
    complaint_id = fields.String(required=True)
    tracking_code = fields.String(required=True)


class IdentityDisclosed(Tolerant):
    """identity.disclosed from intake: which body received the reporter's identity, on which basis. notify
    cannot open the sealed identity it carries (sealed to the desk's key) and does not read it."""
    request_id = fields.String(required=True)
    case_id = fields.String(required=True)
    complaint_id = fields.String(required=True)
    tracking_code = fields.String(required=True)
    body_name = fields.String(required=True)
    legal_basis = fields.Dict(required=True)
    outcome = fields.String(required=True)


def notification_sent(delivery) -> dict:
    return _notification("notification.sent", delivery, message_id=delivery.message_id)


def notification_failed(delivery, reason: str) -> dict:
    return _notification("notification.failed", delivery, reason=reason)


def _notification(event_type: str, delivery, **outcome) -> dict:
    payload = {"complaint_id": delivery.complaint_id, "case_id": delivery.case_id,
               "recipient_kind": delivery.recipient_kind, "unit_id": delivery.unit_id,
               "purpose": delivery.purpose, **outcome}
    event_id = derived_event_id(event_type, delivery.notification_key)
    return new_event(event_type, payload, correlation_id=delivery.complaint_id, producer=PRODUCER,
                     event_id=event_id)


class OpenedStep(Tolerant):
    number = fields.Integer(required=True)
    task = fields.String(required=True)
    basis = fields.String(load_default=None, allow_none=True)
    deadline = fields.Dict(load_default=None, allow_none=True)


class PreviousStep(Tolerant):
    name = fields.String(required=True)
    outcome = fields.Dict(load_default=dict)


class StepOpened(Tolerant):
    case_id = fields.String(required=True)
    case_number = fields.String(load_default=None, allow_none=True)
    complaint_id = fields.String(required=True)
    tracking_code = fields.String(required=True)
    steps = fields.Integer(required=True)
    step = fields.Nested(OpenedStep, required=True)
    previous = fields.Nested(PreviousStep, required=True)
    units = fields.Nested(RoutedUnits, required=True)
