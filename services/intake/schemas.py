"""The complaint document and intake's answers: one set of schemas validates and documents the API."""
from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from marshmallow import RAISE, Schema, ValidationError, fields, validate, validates, validates_schema

from .reference import CATEGORIES, EMPLOYER_LEVELS, PLATFORMS, region

JAKARTA = ZoneInfo("Asia/Jakarta")
NIP = validate.Regexp(r"^\d{18}$", error="NIP must be exactly 18 digits.")
PHONE = validate.Regexp(r"^\+?[0-9 ()-]{6,20}$", error="Not a valid phone number.")
MAX_POST_URLS = 20


class Strict(Schema):
    class Meta:
        unknown = RAISE


class ReporterSchema(Strict):
    name = fields.String(validate=validate.Length(max=200))
    email = fields.Email(validate=validate.Length(max=254))
    phone = fields.String(validate=PHONE)
    anonymous = fields.Boolean(load_default=False)


class SubjectSchema(Strict):
    name = fields.String(required=True, validate=validate.Length(min=2, max=200))
    nip = fields.String(load_default=None, allow_none=True, validate=NIP)
    position = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=200))
    agency = fields.String(required=True, validate=validate.Length(min=2, max=300))
    employer_level = fields.String(required=True, validate=validate.OneOf(EMPLOYER_LEVELS))
    region_code = fields.String(load_default=None, allow_none=True,
                                metadata={"description": "Kemendagri code: 14 (Riau), 14.03 (Kab. Bengkalis)"})

    @validates("region_code")
    def known_region(self, value, **_):
        if value is not None and not region(value):
            raise ValidationError(f"Unknown region code {value!r}: use a Kemendagri province or "
                                  "regency/city code such as 14 or 14.03.")

    @validates_schema
    def region_unless_central(self, data, **_):
        if data.get("employer_level") != "pusat" and not data.get("region_code"):
            raise ValidationError("Required unless employer_level is pusat.", "region_code")


class ViolationSchema(Strict):
    category = fields.String(required=True, validate=validate.OneOf(list(CATEGORIES)))
    platform = fields.String(required=True, validate=validate.OneOf(list(PLATFORMS)))
    post_urls = fields.List(fields.Url(schemes={"http", "https"}), load_default=list,
                            validate=validate.Length(max=MAX_POST_URLS))
    occurred_on = fields.Date(required=True)
    location = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=300))
    description = fields.String(required=True, validate=validate.Length(min=10, max=5000))

    @validates("occurred_on")
    def not_in_future(self, value, **_):
        if value > datetime.now(JAKARTA).date():
            raise ValidationError("Cannot be in the future.")


class ComplaintSchema(Strict):
    reporter = fields.Nested(ReporterSchema, load_default=None, allow_none=True)
    subject = fields.Nested(SubjectSchema, required=True)
    violation = fields.Nested(ViolationSchema, required=True)
    declaration = fields.Boolean(required=True, validate=validate.Equal(
        True, error="You must declare that the report is true."))


class ReceiptSchema(Schema):
    tracking_code = fields.String(required=True)
    receipt = fields.String(required=True, metadata={"description": "Secret, shown once; send as X-Receipt"})
    status = fields.String(required=True)
    status_url = fields.String(required=True)


class TimelineEntrySchema(Schema):
    status = fields.String()
    at = fields.DateTime()
    detail = fields.String(allow_none=True)


class StatusSchema(Schema):
    tracking_code = fields.String()
    status = fields.String()
    submitted_at = fields.DateTime()
    timeline = fields.List(fields.Nested(TimelineEntrySchema))


class CodeLabelSchema(Schema):
    code = fields.String()
    label = fields.String()


class RegionSchema(Schema):
    code = fields.String()
    name = fields.String()
    type = fields.String()


class RegionQuerySchema(Schema):
    parent = fields.String(load_default=None)


class ProblemSchema(Schema):
    type = fields.String()
    title = fields.String()
    status = fields.Integer()
    detail = fields.String()
    errors = fields.Dict(keys=fields.String(), values=fields.List(fields.String()))


def load_complaint(document, evidence_count: int) -> dict:
    """Validate the whole document and the evidence rule together, so every error is reported at once."""
    errors: dict = {}
    data: dict = {}
    try:
        data = ComplaintSchema().load(document)
    except ValidationError as exc:
        errors = exc.messages if isinstance(exc.messages, dict) else {"_schema": exc.messages}
    post_urls = (document.get("violation") or {}).get("post_urls") if isinstance(document, dict) else None
    if evidence_count == 0 and not post_urls:
        errors["evidence"] = ["Attach at least one evidence file or give one violation.post_urls entry."]
    if errors:
        raise ValidationError(errors)
    return data
