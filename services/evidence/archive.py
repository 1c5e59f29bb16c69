"""Archives a complaint's staged evidence into the locked bucket and records its chain of custody.

For each staged file: read its bytes, decide its type from them, hash them, and write them once to
`complaints/<complaint id>/<sha256>.<ext>` with a retention period. Then the manifest, then the events,
then the staged copies go. The manifest is written last, so its presence means the archive is complete:
a redelivered event finds it and only re-publishes the same events and clears staging leftovers.
"""
from __future__ import annotations

import hashlib
import json
from datetime import datetime, timedelta, timezone

import structlog
from marshmallow import fields, validate
from minio.retention import Retention

from services.common.envelope import Tolerant, derived_event_id, new_event, read_payload
from services.common.media import sniff
from services.common.storage import EVIDENCE_BUCKET, STAGING_BUCKET

from .store import put_if_absent, read_object, stored_at

log = structlog.get_logger("netra.evidence")
PRODUCER = "evidence"
NOT_STAGED = "berkas tidak ditemukan di staging"
UNKNOWN_TYPE = "jenis berkas tidak dikenali dari isinya; yang diterima hanya PNG, JPEG, WebP, GIF, dan PDF"
PUBLIC_FILE_FIELDS = ("index", "key", "sha256", "size", "media_type")


class StagedFileSchema(Tolerant):
    index = fields.Integer(required=True)
    staged_key = fields.String(required=True, validate=validate.Length(min=1))


class ComplaintSubmittedSchema(Tolerant):
    complaint_id = fields.UUID(required=True)
    tracking_code = fields.String(required=True)
    subject = fields.Dict(required=True)
    violation = fields.Dict(required=True)
    evidence = fields.List(fields.Nested(StagedFileSchema), load_default=list)


def archive_evidence(event: dict, s3, publish, retention_days: int, retention_mode: str) -> None:
    submitted = read_submitted(event)
    complaint_id = submitted["complaint_id"]
    manifest = load_manifest(s3, complaint_id)
    replayed = manifest is not None
    if manifest is None:
        retention = Retention(retention_mode, _now() + timedelta(days=retention_days))
        manifest = archive_files(s3, submitted, event["event_id"], retention)
        if not put_if_absent(s3, manifest_key(complaint_id), _as_json(manifest), "application/json", retention):
            manifest = load_manifest(s3, complaint_id)  # a concurrent delivery wrote it first: its word holds
    for follow_up in follow_up_events(manifest, submitted):
        publish(follow_up)
    for item in submitted["evidence"]:
        s3.remove_object(STAGING_BUCKET, item["staged_key"])
    log.info("evidence.archive_done", files=len(manifest["files"]), rejected=len(manifest["rejected"]),
             replayed=replayed)


def read_submitted(event: dict) -> dict:
    submitted = read_payload(ComplaintSubmittedSchema, event)
    return {**submitted, "complaint_id": str(submitted["complaint_id"])}


def manifest_key(complaint_id: str) -> str:
    return f"complaints/{complaint_id}/manifest.json"


def load_manifest(s3, complaint_id: str) -> dict | None:
    data = read_object(s3, EVIDENCE_BUCKET, manifest_key(complaint_id))
    return None if data is None else json.loads(data)


def archive_files(s3, submitted: dict, source_event_id: str, retention: Retention) -> dict:
    files, rejected = [], []
    for item in sorted(submitted["evidence"], key=lambda item: item["index"]):
        entry = archive_file(s3, submitted["complaint_id"], item, retention)
        (rejected if "reason" in entry else files).append(entry)
    return {
        "complaint_id": submitted["complaint_id"], "tracking_code": submitted["tracking_code"],
        "source_event_id": source_event_id, "files": files, "rejected": rejected,
        "retention": {"mode": retention.mode, "retain_until": retention.retain_until_date.isoformat()},
        "archived_at": _now().isoformat(),
    }


def archive_file(s3, complaint_id: str, item: dict, retention: Retention) -> dict:
    """The manifest entry of one staged file: where it was archived, or why it was not."""
    data = read_object(s3, STAGING_BUCKET, item["staged_key"])
    if data is None:
        return {"index": item["index"], "staged_key": item["staged_key"], "reason": NOT_STAGED}
    kind = sniff(data)
    if kind is None:
        return {"index": item["index"], "staged_key": item["staged_key"], "reason": UNKNOWN_TYPE}
    media_type, extension = kind
    sha256 = hashlib.sha256(data).hexdigest()
    key = f"complaints/{complaint_id}/{sha256}.{extension}"
    put_if_absent(s3, key, data, media_type, retention)
    return {"index": item["index"], "key": key, "sha256": sha256, "size": len(data), "media_type": media_type,
            "staged_key": item["staged_key"], "archived_at": stored_at(s3, key).isoformat()}


def follow_up_events(manifest: dict, submitted: dict) -> list[dict]:
    """Built from the manifest alone (plus the pass-through fields), so a replay publishes the same facts."""
    complaint_id = manifest["complaint_id"]
    rejected = [{"index": r["index"], "reason": r["reason"]} for r in manifest["rejected"]]
    archived = {
        "complaint_id": complaint_id, "tracking_code": manifest["tracking_code"],
        "subject": submitted["subject"], "violation": submitted["violation"],
        "files": [{name: f[name] for name in PUBLIC_FILE_FIELDS} for f in manifest["files"]],
        "manifest_key": manifest_key(complaint_id), "rejected": rejected,
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


def _as_json(document: dict) -> bytes:
    return json.dumps(document, ensure_ascii=False, indent=2).encode()


def _now() -> datetime:
    return datetime.now(timezone.utc)
