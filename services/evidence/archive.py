"""Archives a complaint's staged evidence into the locked bucket and records its chain of custody.

For each staged file: read its bytes, decide its type from them, make the sanitised copy a unit may open
(or refuse the file with a reason code), then write the original, untouched, to
`complaints/<complaint id>/<sha256>.<ext>` and the copy to `complaints/<complaint id>/sanitised/<sha256 of
the copy>.<ext>`, both once and with a retention period. Then the manifest, then the events, then the
staged copies go. The manifest is written last, so its presence means the archive is complete: a
redelivered event finds it and only re-publishes the same events and clears staging leftovers.
"""
from __future__ import annotations

import hashlib
import json
from datetime import datetime, timedelta, timezone

import structlog
from minio.retention import Retention

from services.common.media import sniff

from .events import follow_up_events, read_submitted
from .fingerprint import perceptual_hash
from .repository import EvidenceStore
from .sanitise import Refused, sanitise
from .sanitise.refusal import NOT_STAGED, UNKNOWN_TYPE

log = structlog.get_logger("netra.evidence")


def archive_evidence(event: dict, store: EvidenceStore, publish, retention_days: int,
                     retention_mode: str) -> None:
    submitted = read_submitted(event)
    complaint_id = submitted["complaint_id"]
    retention = Retention(retention_mode, _now() + timedelta(days=retention_days))
    # Archived without looking for an earlier manifest first: that look finds nothing for almost every
    # delivery, and a repeat is told anyway. Its files' keys are taken (nothing is written twice), its
    # staged objects may be gone, and its manifest is refused: the manifest already there holds.
    manifest = archive_files(store, submitted, event["event_id"], retention)
    replayed = not store.put_new(manifest_key(complaint_id), _as_json(manifest), "application/json", retention)
    if replayed:
        manifest = load_manifest(store, complaint_id)
    for follow_up in follow_up_events(manifest, submitted, manifest_key(complaint_id)):
        publish(follow_up)
    for item in submitted["evidence"]:
        store.remove_staged(item["staged_key"])
    log.info("evidence.archive_done", files=len(manifest["files"]), rejected=len(manifest["rejected"]),
             reasons=sorted({r["reason"] for r in manifest["rejected"]}), replayed=replayed)


def manifest_key(complaint_id: str) -> str:
    return f"complaints/{complaint_id}/manifest.json"


def load_manifest(store: EvidenceStore, complaint_id: str) -> dict | None:
    data = store.read(manifest_key(complaint_id))
    return None if data is None else json.loads(data)


def archive_files(store: EvidenceStore, submitted: dict, source_event_id: str, retention: Retention) -> dict:
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


def archive_file(store: EvidenceStore, complaint_id: str, item: dict, retention: Retention) -> dict:
    """The manifest entry of one staged file: where it and its sanitised copy were archived, or why not."""
    refusal = {"index": item["index"], "staged_key": item["staged_key"]}
    data = store.read_staged(item["staged_key"])
    if data is None:
        return {**refusal, "reason": NOT_STAGED}
    kind = sniff(data)
    if kind is None:
        return {**refusal, "reason": UNKNOWN_TYPE}
    media_type, extension = kind
    try:
        copy = sanitise(data, media_type)
    except Refused as refused:
        return {**refusal, "reason": refused.reason}
    original, archived_at = _put(store, f"complaints/{complaint_id}", data, media_type, extension, retention)
    sanitised, _ = _put(store, f"complaints/{complaint_id}/sanitised", copy, media_type, extension, retention)
    return {"index": item["index"], **original, "phash": perceptual_hash(copy, media_type),
            "sanitised": sanitised, "staged_key": item["staged_key"], "archived_at": archived_at.isoformat()}


def _put(store: EvidenceStore, folder: str, data: bytes, media_type: str, extension: str,
         retention: Retention) -> tuple[dict, datetime]:
    """Content-addressed and written at most once: a replay finds the key taken and leaves it as it is.
    With the entry, when the store took the object (a replay asks the store when it took the first one)."""
    sha256 = hashlib.sha256(data).hexdigest()
    key = f"{folder}/{sha256}.{extension}"
    stored = store.put_new(key, data, media_type, retention) or store.stored_at(key)
    return {"key": key, "sha256": sha256, "size": len(data), "media_type": media_type}, stored


def _as_json(document: dict) -> bytes:
    return json.dumps(document, ensure_ascii=False, indent=2).encode()


def _now() -> datetime:
    return datetime.now(timezone.utc)
