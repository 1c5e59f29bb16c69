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


class ObjectStore(Minio):
    """minio-py's client, but a PUT whose SHA-256 the writer already took is not hashed a second time.

    Over plain HTTP minio-py signs every body by its SHA-256 (x-amz-content-sha256), which it computes itself.
    Netra's writers have that digest already: intake takes it as the citizen's bytes arrive, and it names the
    object. Given as `sha256=`, it goes into the signature as it is; the store hashes the body it receives and
    refuses a PUT whose bytes do not match (XAmzContentSHA256Mismatch), so the digest is checked once, by the
    store, against the content address. Over https minio-py sends UNSIGNED-PAYLOAD with a Content-MD5, and
    nothing changes there."""

    def _build_headers(self, host, headers=None, body=None, creds=None):
        known = (headers or {}).pop(_KNOWN_SHA256, None)
        if known is None or not body or not creds or self._base_url.is_https:
            return super()._build_headers(host, headers, body, creds)
        built, date = super()._build_headers(host, headers, None, creds)  # signs as if empty: replaced below
        built["Content-Length"] = str(len(body))
        built["x-amz-content-sha256"] = known
        return built, date


_KNOWN_SHA256 = "x-netra-known-sha256"  # taken out of the headers before sending; never reaches the store


def make_s3(endpoint: str, access_key: str, secret_key: str, region: str) -> ObjectStore:
    url = urlparse(endpoint)
    return ObjectStore(url.netloc, access_key=access_key, secret_key=secret_key, secure=url.scheme == "https",
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


def put_locked_once(s3: Minio, key: str, data: bytes, content_type: str, retention: Retention,
                    sha256: str | None = None):
    """Writes a new object locked until its retention date, unless the key holds one already (the same key is the
    same bytes: the first object stays). Returns the store's answer, or None when the key was taken. `sha256`:
    the body's digest when the writer has it (ObjectStore signs with it rather than hashing the body again).

    One request: minio-py's put_object goes multipart for a big file and turns unknown headers into user
    metadata, while its single-request PUT sends them as they are and keeps the condition atomic."""
    return _put_locked_if(s3, key, data, content_type, retention, {"If-None-Match": "*"}, sha256)


def put_locked_over(s3: Minio, key: str, data: bytes, content_type: str, retention: Retention, etag: str):
    """Writes a new locked version of an object only while its current version is still `etag` (If-Match):
    the versions before stay locked as they were. Returns the store's answer, or None when another writer
    put a version first (read it again and decide anew)."""
    return _put_locked_if(s3, key, data, content_type, retention, {"If-Match": f'"{etag}"'})


def _put_locked_if(s3: Minio, key: str, data: bytes, content_type: str, retention: Retention, condition: dict,
                   sha256: str | None = None):
    """One conditional PUT of a locked object; None when the store refused it on its condition."""
    headers = genheaders(None, None, None, retention, False)
    headers.update({"Content-Type": content_type, **condition})
    if sha256:
        headers[_KNOWN_SHA256] = sha256
    try:
        return s3._put_object(EVIDENCE_BUCKET, key, data, headers)
    except S3Error as exc:
        if exc.code in _KEY_TAKEN:
            return None
        raise
