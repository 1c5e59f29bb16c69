"""The evidence bucket: every object version with its retention (mode and retain-until) and legal hold.

Backup downloads each version into objects/ and describes it in the manifest's "evidence" list; restore
creates the bucket with object lock (and so versioning) on a new server and writes the versions oldest
first, each with the same retention and legal hold: a retention cannot be shortened, only kept. Version
ids are the new server's own (S3 does not let a client choose them); the manifest keeps the old ones.
"""
from __future__ import annotations

import hashlib
from io import BytesIO
from datetime import datetime, timezone
from pathlib import Path

from minio import Minio
from minio.commonconfig import GOVERNANCE, COMPLIANCE
from minio.error import S3Error
from minio.objectlockconfig import ObjectLockConfig
from minio.retention import Retention

OBJECTS = "objects"
MODES = {GOVERNANCE: GOVERNANCE, COMPLIANCE: COMPLIANCE}


def back_up(s3: Minio, bucket: str, prefixes: list[str], folder: Path) -> dict:
    (folder / OBJECTS).mkdir(parents=True, exist_ok=True)
    versions = []
    for prefix in prefixes or [""]:
        for item in s3.list_objects(bucket, prefix=prefix, recursive=True, include_version=True):
            versions.append(_save(s3, bucket, item, folder, len(versions)))
    versions.sort(key=lambda v: (v["key"], v["last_modified"]))
    return {"bucket": bucket, "lock": _lock_config(s3, bucket), "versions": versions}


def _save(s3: Minio, bucket: str, item, folder: Path, number: int) -> dict:
    entry = {"key": item.object_name, "version_id": item.version_id, "is_latest": bool(item.is_latest),
             "last_modified": item.last_modified.isoformat(), "delete_marker": bool(item.is_delete_marker)}
    if item.is_delete_marker:
        return entry
    response = s3.get_object(bucket, item.object_name, version_id=item.version_id)
    try:
        data = response.read()
        content_type = response.headers.get("Content-Type", "application/octet-stream")
    finally:
        response.close()
        response.release_conn()
    file = f"{OBJECTS}/{number:06d}"
    (folder / file).write_bytes(data)
    retention = s3.get_object_retention(bucket, item.object_name, version_id=item.version_id)
    return {**entry, "file": file, "sha256": hashlib.sha256(data).hexdigest(), "bytes": len(data),
            "content_type": content_type,
            "retention_mode": retention.mode if retention else None,
            "retain_until": retention.retain_until_date.isoformat() if retention else None,
            "legal_hold": s3.is_object_legal_hold_enabled(bucket, item.object_name, version_id=item.version_id)}


def _lock_config(s3: Minio, bucket: str) -> dict | None:
    try:
        config = s3.get_object_lock_config(bucket)
    except S3Error:
        return None
    return {"mode": config.mode, "duration": config.duration} if config.mode else None


def restore(s3: Minio, description: dict, folder: Path) -> dict:
    """Writes every version into a bucket that must not exist yet; returns counts of what was written."""
    bucket = description["bucket"]
    if s3.bucket_exists(bucket):
        raise RuntimeError(f"bucket {bucket} already exists: restore into a new object store")
    s3.make_bucket(bucket, object_lock=True)
    if description.get("lock"):
        mode, (value, unit) = description["lock"]["mode"], description["lock"]["duration"]
        s3.set_object_lock_config(bucket, ObjectLockConfig(mode, value, unit))
    counts = {"versions": 0, "delete_markers": 0, "expired_retention": 0}
    for version in description["versions"]:
        if version["delete_marker"]:
            s3.remove_object(bucket, version["key"])
            counts["delete_markers"] += 1
            continue
        counts["expired_retention"] += _put(s3, bucket, version, folder)
        counts["versions"] += 1
    return counts


def _put(s3: Minio, bucket: str, version: dict, folder: Path) -> int:
    """Puts one version with its retention; 1 if its retain-until date had already passed (then none)."""
    data = (folder / version["file"]).read_bytes()
    retention, expired = None, 0
    if version["retention_mode"]:
        until = datetime.fromisoformat(version["retain_until"])
        if until > datetime.now(timezone.utc):
            retention = Retention(MODES[version["retention_mode"]], until)
        else:
            expired = 1
    s3.put_object(bucket, version["key"], BytesIO(data), len(data), content_type=version["content_type"],
                  retention=retention, legal_hold=version["legal_hold"])
    return expired
