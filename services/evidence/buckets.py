"""Creates the two buckets evidence relies on, idempotently and safe against a concurrent creator.

netra-evidence is created with object lock (which also turns versioning on); retention is not a bucket
default but set on each object when it is written, from the configured mode and days.
netra-staging holds uploads until they are archived; a lifecycle rule expires whatever is left behind.
"""
from __future__ import annotations

from minio import Minio
from minio.commonconfig import COMPLIANCE, ENABLED, GOVERNANCE, Filter
from minio.error import S3Error
from minio.lifecycleconfig import Expiration, LifecycleConfig, Rule

from services.common.storage import EVIDENCE_BUCKET, STAGING_BUCKET

RETENTION_MODES = (COMPLIANCE, GOVERNANCE)
STAGING_EXPIRY_DAYS = 7
STAGING_RULE_ID = "expire-staging-leftovers"
_ALREADY_THERE = {"BucketAlreadyOwnedByYou", "BucketAlreadyExists"}


def ensure_evidence_bucket(s3: Minio, retention_days: int, mode: str) -> None:
    """Fails at start-up, not at the first complaint, when the bucket or the retention settings are unfit."""
    if mode not in RETENTION_MODES:
        raise ValueError(f"retention mode must be one of {RETENTION_MODES}, not {mode!r}")
    if retention_days < 1:
        raise ValueError(f"retention days must be at least 1, not {retention_days}")
    create_bucket_once(s3, EVIDENCE_BUCKET, object_lock=True)
    _require_object_lock(s3, EVIDENCE_BUCKET)


def ensure_staging_bucket(s3: Minio, expiry_days: int = STAGING_EXPIRY_DAYS) -> None:
    create_bucket_once(s3, STAGING_BUCKET, object_lock=False)
    current = s3.get_bucket_lifecycle(STAGING_BUCKET)
    others = [rule for rule in (current.rules if current else []) if rule.rule_id != STAGING_RULE_ID]
    wanted = Rule(ENABLED, rule_filter=Filter(prefix=""), rule_id=STAGING_RULE_ID,
                  expiration=Expiration(days=expiry_days))
    if current is None or wanted not in current.rules:
        # Rules other processes put on the bucket are kept; only ours is added or replaced.
        s3.set_bucket_lifecycle(STAGING_BUCKET, LifecycleConfig([*others, wanted]))


def create_bucket_once(s3: Minio, bucket: str, object_lock: bool) -> None:
    if s3.bucket_exists(bucket):
        return
    try:
        s3.make_bucket(bucket, object_lock=object_lock)
    except S3Error as exc:
        if exc.code not in _ALREADY_THERE:  # another service created it between our check and our create
            raise


def _require_object_lock(s3: Minio, bucket: str) -> None:
    try:
        s3.get_object_lock_config(bucket)
    except S3Error as exc:
        if exc.code == "ObjectLockConfigurationNotFoundError":
            raise RuntimeError(f"bucket {bucket} exists without object lock; evidence cannot be kept there. "
                               "Recreate it with object lock enabled.") from None
        raise
