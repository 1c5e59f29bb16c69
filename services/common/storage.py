"""The object store client (MinIO or any S3-compatible server) built from settings."""
from __future__ import annotations

from urllib.parse import urlparse

from minio import Minio
from minio.error import S3Error
from minio.helpers import genheaders
from minio.retention import Retention

# The one bucket: intake writes each original into it as it arrives, evidence the sanitised copies and the
# manifests. (There is no staging bucket: nothing is copied from one bucket to another.)
EVIDENCE_BUCKET = "netra-evidence"
_ALREADY_THERE = {"BucketAlreadyOwnedByYou", "BucketAlreadyExists"}
_KEY_TAKEN = {"PreconditionFailed"}


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


def put_locked_once(s3: Minio, key: str, data: bytes, content_type: str, retention: Retention):
    """Writes a new object locked until its retention date, unless the key holds one already (the same key is the
    same bytes: the first object stays). Returns the store's answer, or None when the key was taken.

    One request: minio-py's put_object goes multipart for a big file and turns unknown headers into user
    metadata, while its single-request PUT sends them as they are and keeps the condition atomic."""
    headers = genheaders(None, None, None, retention, False)
    headers.update({"Content-Type": content_type, "If-None-Match": "*"})
    try:
        return s3._put_object(EVIDENCE_BUCKET, key, data, headers)
    except S3Error as exc:
        if exc.code in _KEY_TAKEN:
            return None
        raise


def put_locked_over(s3: Minio, key: str, data: bytes, content_type: str, retention: Retention, etag: str):
    """Writes a new locked version of an object only while its current version is still `etag` (If-Match):
    the versions before stay locked as they were. Returns the store's answer, or None when another writer
    put a version first (read it again and decide anew)."""
    headers = genheaders(None, None, None, retention, False)
    headers.update({"Content-Type": content_type, "If-Match": f'"{etag}"'})
    try:
        return s3._put_object(EVIDENCE_BUCKET, key, data, headers)
    except S3Error as exc:
        if exc.code in _KEY_TAKEN:
            return None
        raise
