"""The object store client (MinIO or any S3-compatible server) built from settings."""
from __future__ import annotations

from urllib.parse import urlparse

from minio import Minio

STAGING_BUCKET = "netra-staging"
EVIDENCE_BUCKET = "netra-evidence"


def make_s3(endpoint: str, access_key: str, secret_key: str, region: str) -> Minio:
    url = urlparse(endpoint)
    return Minio(url.netloc, access_key=access_key, secret_key=secret_key, secure=url.scheme == "https",
                 region=region)


def s3_from_settings(settings) -> Minio:
    return make_s3(settings.s3_endpoint, settings.s3_access_key, settings.s3_secret_key, settings.s3_region)


def bucket_answers(s3: Minio, bucket: str) -> bool:
    return s3.bucket_exists(bucket)
