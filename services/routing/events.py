"""The events routing reads, in routing's own tolerant reading: unknown fields are dropped, not errors."""
from __future__ import annotations

from marshmallow import fields, validate

from services.common.envelope import Tolerant
from services.reference import vocabulary


def optional_text():
    return fields.String(load_default=None, allow_none=True)


class Subject(Tolerant):
    name = optional_text()
    nip = optional_text()
    position = optional_text()
    agency = optional_text()
    employer_level = fields.String(required=True, validate=validate.OneOf(vocabulary.codes("employer_levels")))
    region_code = optional_text()


class Violation(Tolerant):
    category = fields.String(required=True)
    platform = optional_text()
    post_urls = fields.List(fields.String(), load_default=list)
    occurred_on = optional_text()  # forwarded as written; routing reads the act's date from it (legal.py)
    location = optional_text()
    description = optional_text()


class SanitisedCopy(Tolerant):
    """The copy of a file units may see (metadata stripped); evidence produces it beside the original."""
    key = fields.String(required=True)
    sha256 = fields.String(required=True)
    size = fields.Integer(required=True)
    media_type = fields.String(required=True)


class ArchivedFile(Tolerant):
    index = fields.Integer(required=True)
    key = fields.String(required=True)
    sha256 = fields.String(required=True)
    size = fields.Integer(required=True)
    media_type = fields.String(required=True)
    phash = optional_text()  # perceptual hash of a screenshot (16 hex digits), None for documents
    sanitised = fields.Nested(SanitisedCopy, load_default=None, allow_none=True)


class EvidenceArchived(Tolerant):
    complaint_id = fields.String(required=True)
    tracking_code = fields.String(required=True)
    subject = fields.Nested(Subject, required=True)
    violation = fields.Nested(Violation, required=True)
    files = fields.List(fields.Nested(ArchivedFile), load_default=list)
    manifest_key = optional_text()
    source = fields.Dict(load_default=None, allow_none=True)  # citizen or monitoring team, passed through
    # Whether the reporter gave a name and a way to be reached (never who): missing reads as anonymous,
    # so a case never goes to Bawaslu, which needs a named reporter, on a guess.
    reporter_named = fields.Boolean(load_default=False)


class TransferApproved(Tolerant):
    """The desk approved moving a case from one unit to another."""
    transfer_id = fields.String(required=True)
    case_id = fields.String(required=True)
    complaint_id = fields.String(required=True)
    from_unit_id = fields.String(required=True)
    to_unit_id = fields.String(required=True)
    approved_at = optional_text()


class StepCompleted(Tolerant):
    """The desk: the unit of a step finished it and hands the case on with its outcome."""
    case_id = fields.String(required=True)
    complaint_id = fields.String(required=True)
    step = fields.Integer(required=True)
    unit_id = fields.String(required=True)
    outcome = fields.Dict(required=True)  # rekomendasi, keputusan or hasil_pemantauan: handed on as it came
