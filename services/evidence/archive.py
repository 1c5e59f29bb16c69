"""Checks a complaint's originals deeply and records their chain of custody.

intake wrote each original once, locked, at `complaints/<complaint id>/<sha256>.<ext>` as it arrived. For
each: read it back, check it is the file complaint.submitted names (its SHA-256), decide its type from its
bytes and make the sanitised copy a unit may open, written once and locked at `complaints/<complaint
id>/sanitised/<sha256 of the copy>.<ext>`, or refuse it with a reason code (the original then stays locked
as received and is never shown to a unit). Then the manifest, written last and locked: its presence means
the archive is complete, and a redelivered event finds its write refused and re-publishes from it.
"""
from __future__ import annotations

import hashlib
import json
from datetime import datetime, timedelta, timezone

import structlog
from minio.retention import Retention

from services.common.logs import summary
from services.common.media import sniff

from .events import follow_up_events, read_submitted
from .fingerprint import perceptual_hash
from .ports import EvidenceObjects
from .sanitise import Refused, sanitise
from .sanitise.refusal import NOT_STORED, NOT_THE_ORIGINAL, UNKNOWN_TYPE

log = structlog.get_logger("netra.evidence")


def archive_evidence(event: dict, store: EvidenceObjects, publish, retention_days: int,
                     retention_mode: str) -> None:
    submitted = read_submitted(event)
    complaint_id = submitted["complaint_id"]
    retention = Retention(retention_mode, _now() + timedelta(days=retention_days))
    # Archived without looking for an earlier manifest first: that look finds nothing for almost every
    # delivery, and a repeat is told anyway: its copies' keys are taken (nothing is written twice) and its
    # manifest is refused: the manifest already there holds.
    manifest = archive_files(store, submitted, event["event_id"], retention)
    replayed = not store.put_new(manifest_key(complaint_id), _as_json(manifest), "application/json", retention)
    if replayed:
        manifest = load_manifest(store, complaint_id)
    for follow_up in follow_up_events(manifest, submitted, manifest_key(complaint_id)):
        publish(follow_up)
    summary(log, "evidence.archive_done", files=len(manifest["files"]), rejected=len(manifest["rejected"]),
             reasons=sorted({r["reason"] for r in manifest["rejected"]}), replayed=replayed)


def manifest_key(complaint_id: str) -> str:
    return f"complaints/{complaint_id}/manifest.json"


def load_manifest(store: EvidenceObjects, complaint_id: str) -> dict | None:
    data = store.read(manifest_key(complaint_id))
    return None if data is None else json.loads(data)


def archive_files(store: EvidenceObjects, submitted: dict, source_event_id: str, retention: Retention) -> dict:
    files, rejected = [], []
    for item in sorted(submitted["evidence"], key=lambda item: item["index"]):
        entry = archive_file(store, submitted["complaint_id"], item, retention)
        (rejected if "reason" in entry else files).append(entry)
    return {
        "complaint_id": submitted["complaint_id"], "tracking_code": submitted["tracking_code"],
        "source_event_id": source_event_id, "files": files, "rejected": rejected,
        "retention": {"mode": retention.mode, "retain_until": retention.retain_until_date.isoformat()},
        "archived_at": _now().isoformat(),
    }


def archive_file(store: EvidenceObjects, complaint_id: str, item: dict, retention: Retention) -> dict:
    """The manifest entry of one original: its sanitised copy, or why it is not shown to a unit."""
    original = {"index": item["index"], "key": item["key"], "sha256": item["sha256"], "size": item["size"]}
    found = store.read_original(item["key"]) if _in_folder(item["key"], complaint_id) else None
    if found is None:
        return {**original, "reason": NOT_STORED}
    data, received_at = found
    original["archived_at"] = received_at.isoformat()  # intake wrote it as it arrived
    if hashlib.sha256(data).hexdigest() != item["sha256"] or len(data) != item["size"]:
        return {**original, "reason": NOT_THE_ORIGINAL}
    kind = sniff(data)
    if kind is None:
        return {**original, "reason": UNKNOWN_TYPE}
    media_type, extension = kind
    try:
        copy = sanitise(data, media_type)
    except Refused as refused:
        return {**original, "reason": refused.reason}
    sanitised, _ = put_copy(store, f"complaints/{complaint_id}/sanitised", copy, media_type, extension, retention)
    return {**original, "media_type": media_type, "phash": perceptual_hash(copy, media_type),
            "sanitised": sanitised}


def _in_folder(key: str, complaint_id: str) -> bool:
    """An original of this complaint, not of another one, nor a sanitised copy or a manifest."""
    folder = f"complaints/{complaint_id}/"
    return key.startswith(folder) and "/" not in key[len(folder):]


def put_copy(store: EvidenceObjects, folder: str, data: bytes, media_type: str, extension: str,
         retention: Retention) -> tuple[dict, datetime]:
    """Content-addressed and written at most once: a replay finds the key taken and leaves it as it is.
    With the entry, when the store took the object (a replay asks the store when it took the first one)."""
    sha256 = hashlib.sha256(data).hexdigest()
    key = f"{folder}/{sha256}.{extension}"
    stored = store.put_new(key, data, media_type, retention, sha256=sha256) or store.stored_at(key)
    return {"key": key, "sha256": sha256, "size": len(data), "media_type": media_type}, stored


def _as_json(document: dict) -> bytes:
    return json.dumps(document, ensure_ascii=False, indent=2).encode()


def _now() -> datetime:
    return datetime.now(timezone.utc)
