"""The object store client (MinIO or any S3-compatible server) built from settings."""
from __future__ import annotations

from urllib.parse import urlparse

from minio import Minio
from minio.error import S3Error

# The one bucket: intake writes each original into it as it arrives, evidence the sanitised copies and the
# manifests. (There is no staging bucket: nothing is copied from one bucket to another.)
EVIDENCE_BUCKET = "netra-evidence"
_ALREADY_THERE = {"BucketAlreadyOwnedByYou", "BucketAlreadyExists"}


def make_s3(endpoint: str, access_key: str, secret_key: str, region: str) -> Minio:
    url = urlparse(endpoint)
    return Minio(url.netloc, access_key=access_key, secret_key=secret_key, secure=url.scheme == "https",
                 region=region)


def s3_from_settings(settings) -> Minio:
    return make_s3(settings.s3_endpoint, settings.s3_access_key, settings.s3_secret_key, settings.s3_region)


def bucket_answers(s3: Minio, bucket: str) -> bool:
    return s3.bucket_exists(bucket)


def create_bucket_once(s3: Minio, bucket: str, object_lock: bool) -> None:
    if s3.bucket_exists(bucket):
        return
    try:
        s3.make_bucket(bucket, object_lock=object_lock)
    except S3Error as exc:
        if exc.code not in _ALREADY_THERE:  # another service created it between our check and our create
            raise
