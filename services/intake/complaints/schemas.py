"""intake's answers: the schemas that document what the API returns (the complaint document is validation.py's)."""
from __future__ import annotations

from marshmallow import Schema, fields, validate


class ReceiptSchema(Schema):
    tracking_code = fields.String(required=True)
    receipt = fields.String(required=True, metadata={"description": "Secret, shown once; send as X-Receipt"})
    status = fields.String(required=True)
    status_url = fields.String(required=True)


class TimelineEntrySchema(Schema):
    status = fields.String(metadata={"description": "A code; `label` says it in Bahasa Indonesia"})
    label = fields.String()
    at = fields.DateTime()
    detail = fields.String(allow_none=True)


class StatusSchema(Schema):
    tracking_code = fields.String()
    status = fields.String()
    status_label = fields.String()
    submitted_at = fields.DateTime()
    timeline = fields.List(fields.Nested(TimelineEntrySchema))


class CodeLabelSchema(Schema):
    code = fields.String()
    label = fields.String()
    example = fields.String(metadata={"description": "A typical case, in Bahasa Indonesia"})
    hint = fields.String(metadata={"description": "How to choose this entry"})


class RegionSchema(Schema):
    code = fields.String()
    name = fields.String()
    type = fields.String()


class RegionQuerySchema(Schema):
    parent = fields.String(load_default=None, validate=validate.Length(max=13))


class LanguageQuerySchema(Schema):
    lang = fields.String(load_default="id", validate=validate.OneOf(("id", "en")),
                         metadata={"description": "id (Bahasa Indonesia, default) or en"})


class ProblemSchema(Schema):
    type = fields.String()
    title = fields.String()
    status = fields.Integer()
    detail = fields.String()
    errors = fields.Dict(keys=fields.String(), values=fields.List(fields.String()))
