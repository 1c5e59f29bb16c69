"""What the monitoring teams' API takes and answers, for flask-smorest and the OpenAPI document."""
from __future__ import annotations

from marshmallow import Schema, fields, validate

BEARER = {"bearerAuth": []}
BATCH_BODY = {"required": True, "content": {"multipart/form-data": {"schema": {
    "type": "object", "required": ["manifest"], "properties": {
        "manifest": {"type": "string", "format": "binary",
                     "description": "The items: .json, .csv or .xlsx with the template's columns"},
        "files": {"type": "array", "items": {"type": "string", "format": "binary"},
                  "description": "The screenshots, named as the manifest's screenshots column names them"}}}}}}


class ItemResultSchema(Schema):
    row = fields.Integer(metadata={"description": "Row in the sheet (header = 1), or position in a JSON list"})
    external_id = fields.String(allow_none=True)
    status = fields.String(validate=validate.OneOf(("accepted", "duplicate", "refused")))
    tracking_code = fields.String(metadata={"description": "accepted, or filed before (duplicate)"})
    errors = fields.Dict(keys=fields.String(), values=fields.List(fields.String()),
                         metadata={"description": "refused: messages per column"})


class BatchSchema(Schema):
    batch_id = fields.String()
    submitted_at = fields.String()
    accepted = fields.Integer()
    duplicate = fields.Integer()
    refused = fields.Integer()
    items = fields.List(fields.Nested(ItemResultSchema))


class FindingSchema(Schema):
    external_id = fields.String()
    batch_id = fields.String()
    tracking_code = fields.String()
    status = fields.String()
    submitted_at = fields.DateTime()


class PageSchema(Schema):
    limit = fields.Integer(load_default=100, validate=validate.Range(1, 500))
    offset = fields.Integer(load_default=0, validate=validate.Range(0))
