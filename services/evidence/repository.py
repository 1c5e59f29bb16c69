"""The object-store operations archiving needs, with "absent" told apart from "unreachable".

A missing key is an answer (None / False); anything else, a refused connection included, is raised so
the worker retries the message later. Evidence objects are written with `If-None-Match: *`: the store
itself refuses to put a second version over a key, so not even two racing workers can replace the proof.
"""
from __future__ import annotations

from datetime import datetime
from email.utils import parsedate_to_datetime

from minio import Minio
from minio.error import S3Error
from minio.retention import Retention

from services.common.storage import EVIDENCE_BUCKET, put_locked_once, put_locked_over

ABSENT = {"NoSuchKey"}


class EvidenceStore:
    def __init__(self, s3: Minio):
        self.s3 = s3

    def read(self, key: str) -> bytes | None:
        found = self.read_original(key)
        return None if found is None else found[0]

    def read_original(self, key: str) -> tuple[bytes, datetime] | None:
        """The object's bytes, and when the store took it (its Last-Modified: for an original, its receipt)."""
        found = self._get(key)
        return None if found is None else (found[0], parsedate_to_datetime(found[1]["Last-Modified"]))

    def stored_at(self, key: str) -> datetime | None:
        try:
            return self.s3.stat_object(EVIDENCE_BUCKET, key).last_modified
        except S3Error as exc:
            if exc.code in ABSENT:
                return None
            raise

    def put_new(self, key: str, data: bytes, content_type: str, retention: Retention,
                sha256: str | None = None) -> datetime | None:
        """Writes a locked object unless the key already holds one. Returns the store's clock as it took the
        object (its answer's Date), or None when the key was taken (the first object stays). `sha256`: the
        body's digest when the caller took it already; the store checks the body against it."""
        written = put_locked_once(self.s3, key, data, content_type, retention, sha256)
        if written is None:
            return None
        answered = written.http_headers.get("Date")
        # The store's own word on when it took the object, without a HEAD request to ask for Last-Modified.
        return parsedate_to_datetime(answered) if answered else self.stored_at(key)

    def read_current(self, key: str) -> tuple[bytes, str] | None:
        """The object's current version and its ETag, for a write that must not pass over a newer one."""
        found = self._get(key)
        return None if found is None else (found[0], found[1]["ETag"].strip('"'))

    def _get(self, key: str) -> tuple[bytes, dict] | None:
        """The object's bytes and the answer's headers; None when there is no such object."""
        try:
            response = self.s3.get_object(EVIDENCE_BUCKET, key)
        except S3Error as exc:
            if exc.code in ABSENT:
                return None
            raise
        try:
            return response.read(), response.headers
        finally:
            response.close()
            response.release_conn()

    def put_over(self, key: str, data: bytes, content_type: str, retention: Retention, etag: str) -> bool:
        """A new locked version over the one read as `etag`; False when another writer came first."""
        return put_locked_over(self.s3, key, data, content_type, retention, etag) is not None
