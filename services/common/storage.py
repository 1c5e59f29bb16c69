"""The object store client (MinIO or any S3-compatible server) built from settings."""
from __future__ import annotations

from urllib.parse import urlparse

from minio import Minio
from minio.commonconfig import ENABLED, Filter
from minio.error import S3Error
from minio.lifecycleconfig import Expiration, LifecycleConfig, Rule

STAGING_BUCKET = "netra-staging"
EVIDENCE_BUCKET = "netra-evidence"
# netra-staging holds uploads until they are archived; a lifecycle rule expires whatever is left behind.
STAGING_EXPIRY_DAYS = 7
STAGING_RULE_ID = "expire-staging-leftovers"
_ALREADY_THERE = {"BucketAlreadyOwnedByYou", "BucketAlreadyExists"}


def make_s3(endpoint: str, access_key: str, secret_key: str, region: str) -> Minio:
    url = urlparse(endpoint)
    return Minio(url.netloc, access_key=access_key, secret_key=secret_key, secure=url.scheme == "https",
                 region=region)


def s3_from_settings(settings) -> Minio:
    return make_s3(settings.s3_endpoint, settings.s3_access_key, settings.s3_secret_key, settings.s3_region)


def bucket_answers(s3: Minio, bucket: str) -> bool:
    return s3.bucket_exists(bucket)


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
