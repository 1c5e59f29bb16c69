"""Creates the evidence bucket, idempotently and safe against a concurrent creator.

netra-evidence is created with object lock (which also turns versioning on); retention is not a bucket
default but set on each object when it is written, from the configured mode and days.
"""
from __future__ import annotations

from minio import Minio
from minio.commonconfig import COMPLIANCE, GOVERNANCE
from minio.error import S3Error

from services.common.storage import EVIDENCE_BUCKET, create_bucket_once

RETENTION_MODES = (COMPLIANCE, GOVERNANCE)


def ensure_evidence_bucket(s3: Minio, retention_days: int, mode: str) -> None:
    """Fails at start-up, not at the first complaint, when the bucket or the retention settings are unfit."""
    if mode not in RETENTION_MODES:
        raise ValueError(f"retention mode must be one of {RETENTION_MODES}, not {mode!r}")
    if retention_days < 1:
        raise ValueError(f"retention days must be at least 1, not {retention_days}")
    create_bucket_once(s3, EVIDENCE_BUCKET, object_lock=True)
    _require_object_lock(s3, EVIDENCE_BUCKET)


def _require_object_lock(s3: Minio, bucket: str) -> None:
    try:
        s3.get_object_lock_config(bucket)
    except S3Error as exc:
        if exc.code == "ObjectLockConfigurationNotFoundError":
            raise RuntimeError(f"bucket {bucket} exists without object lock; evidence cannot be kept there. "
                               "Recreate it with object lock enabled.") from None
        raise
