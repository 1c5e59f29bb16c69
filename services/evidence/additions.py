"""Evidence the reporter added from /lacak (complaint.evidence_added): intake wrote the originals into
`complaints/<complaint id>/` like the first files; they are checked and sanitised the same way
(archive_file), then a locked, write-once `complaints/<complaint id>/additions/<addition id>.json`, then
evidence.added.

As with the first files, the manifest is written last, so its presence means the addition is complete: a
redelivered event finds it, writes nothing new and re-publishes the same event.
"""
from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone

import structlog
from minio.retention import Retention

from services.common.envelope import derived_event_id, new_event, read_payload

from .archive import archive_file
from .events import PRODUCER, PUBLIC_FILE_FIELDS, EvidenceAddedSchema
from .ports import EvidenceObjects

log = structlog.get_logger("netra.evidence")


def add_evidence(event: dict, store: EvidenceObjects, publish, retention_days: int, retention_mode: str) -> None:
    added = read_payload(EvidenceAddedSchema, event)
    complaint_id, addition_id = str(added["complaint_id"]), str(added["addition_id"])
    key = addition_key(complaint_id, addition_id)
    manifest = load(store, key)
    replayed = manifest is not None
    if manifest is None:
        retention = Retention(retention_mode, datetime.now(timezone.utc) + timedelta(days=retention_days))
        manifest = archive_addition(store, added, complaint_id, addition_id, event["event_id"], retention)
        if not store.put_new(key, json.dumps(manifest, ensure_ascii=False, indent=2).encode(),
                             "application/json", retention):
            manifest = load(store, key)  # a concurrent delivery wrote it first: its word holds
    publish(added_event(manifest))
    log.info("evidence.addition_done", files=len(manifest["files"]), rejected=len(manifest["rejected"]),
             replayed=replayed)


def addition_key(complaint_id: str, addition_id: str) -> str:
    return f"complaints/{complaint_id}/additions/{addition_id}.json"


def load(store: EvidenceObjects, key: str) -> dict | None:
    data = store.read(key)
    return None if data is None else json.loads(data)


def archive_addition(store, added: dict, complaint_id: str, addition_id: str, source_event_id: str,
                     retention: Retention) -> dict:
    files, rejected = [], []
    for item in sorted(added["evidence"], key=lambda item: item["index"]):
        entry = archive_file(store, complaint_id, item, retention)
        (rejected if "reason" in entry else files).append(entry)
    return {"complaint_id": complaint_id, "tracking_code": added["tracking_code"], "addition_id": addition_id,
            "source_event_id": source_event_id, "files": files, "rejected": rejected,
            "retention": {"mode": retention.mode, "retain_until": retention.retain_until_date.isoformat()},
            "archived_at": datetime.now(timezone.utc).isoformat()}


def added_event(manifest: dict) -> dict:
    """Built from the manifest alone, so a redelivery publishes the same facts under the same event id."""
    payload = {"complaint_id": manifest["complaint_id"], "tracking_code": manifest["tracking_code"],
               "addition_id": manifest["addition_id"],
               "files": [{**{name: f[name] for name in PUBLIC_FILE_FIELDS}, "phash": f.get("phash")}
                         for f in manifest["files"]],
               "rejected": [{"index": r["index"], "reason": r["reason"]} for r in manifest["rejected"]]}
    return new_event("evidence.added", payload, correlation_id=manifest["complaint_id"], producer=PRODUCER,
                     event_id=derived_event_id("evidence.added", manifest["addition_id"]))
