"""What evidence reads (complaint.submitted, with its own tolerant schema) and what it announces.

The announcements are built from the manifest alone (plus the pass-through subject, violation and reporter_named), so a
redelivered complaint publishes the same facts under the same event ids.
"""
from __future__ import annotations

from marshmallow import fields, validate

from services.common.envelope import Tolerant, derived_event_id, new_event, read_payload

PRODUCER = "evidence"
PUBLIC_FILE_FIELDS = ("index", "key", "sha256", "size", "media_type", "sanitised")


class OriginalSchema(Tolerant):
    """An original as intake wrote it into the evidence bucket, named by its content address."""
    index = fields.Integer(required=True)
    key = fields.String(required=True, validate=validate.Length(min=1))
    sha256 = fields.String(required=True, validate=validate.Regexp(r"^[0-9a-f]{64}$"))
    size = fields.Integer(required=True, validate=validate.Range(min=0))


class ComplaintSubmittedSchema(Tolerant):
    complaint_id = fields.UUID(required=True)
    tracking_code = fields.String(required=True)
    subject = fields.Dict(required=True)
    violation = fields.Dict(required=True)
    evidence = fields.List(fields.Nested(OriginalSchema), load_default=list)
    source = fields.Dict(load_default=None, allow_none=True)  # citizen or monitoring team, passed through
    reporter_named = fields.Boolean(load_default=False)  # passed through for routing (Bawaslu needs a name)


class EvidenceAddedSchema(Tolerant):
    complaint_id = fields.UUID(required=True)
    tracking_code = fields.String(required=True)
    addition_id = fields.UUID(required=True)
    evidence = fields.List(fields.Nested(OriginalSchema), required=True)


class FiledDocumentSchema(Tolerant):
    """A document the desk wrote once, locked, under the complaint's documents folder."""
    key = fields.String(required=True, validate=validate.Length(min=1))
    sha256 = fields.String(required=True, validate=validate.Regexp(r"^[0-9a-f]{64}$"))
    size = fields.Integer(required=True, validate=validate.Range(min=0))


class StepOutcomeSchema(Tolerant):
    document = fields.Nested(FiledDocumentSchema, load_default=None, allow_none=True)
    bap = fields.Nested(FiledDocumentSchema, load_default=None, allow_none=True)


class StepCompletedSchema(Tolerant):
    """case.step_completed as evidence reads it: only the documents the step filed, and where they belong."""
    case_id = fields.String(required=True)
    complaint_id = fields.String(required=True, validate=validate.Regexp(r"^[0-9a-f-]{36}$"))
    step = fields.Integer(required=True)
    outcome = fields.Nested(StepOutcomeSchema, required=True)
    completed_at = fields.String(required=True)


def read_submitted(event: dict) -> dict:
    submitted = read_payload(ComplaintSubmittedSchema, event)
    return {**submitted, "complaint_id": str(submitted["complaint_id"])}


def follow_up_events(manifest: dict, submitted: dict, manifest_key: str) -> list[dict]:
    """evidence.archived always; evidence.rejected besides it when a file was refused."""
    complaint_id = manifest["complaint_id"]
    rejected = [{"index": r["index"], "reason": r["reason"]} for r in manifest["rejected"]]
    archived = {
        "complaint_id": complaint_id, "tracking_code": manifest["tracking_code"],
        "subject": submitted["subject"], "violation": submitted["violation"],
        "reporter_named": submitted["reporter_named"],
        "files": [{**{name: f[name] for name in PUBLIC_FILE_FIELDS}, "phash": f.get("phash")}
                  for f in manifest["files"]],
        "manifest_key": manifest_key, "rejected": rejected, "source": submitted.get("source"),
    }
    events = [_event("evidence.archived", archived, complaint_id)]
    if rejected:
        events.append(_event("evidence.rejected", {"complaint_id": complaint_id,
                                                   "tracking_code": manifest["tracking_code"],
                                                   "rejected": rejected}, complaint_id))
    return events


def _event(event_type: str, payload: dict, complaint_id: str) -> dict:
    return new_event(event_type, payload, correlation_id=complaint_id, producer=PRODUCER,
                     event_id=derived_event_id(event_type, complaint_id))
