"""Evidence uploads: hashed as the bytes arrive, checked by their first bytes, then each original written once
into the locked evidence bucket under its content address, `complaints/<complaint id>/<sha256>.<ext>`.

Custody starts at the citizen's upload: the SHA-256 is taken while Werkzeug writes the request's file part
into its buffer (HashingSpool), and the key needs it, so the file is put after it has fully arrived (it is
in that buffer already: memory up to 4 MiB, a temporary file above, the body capped by max_body_bytes).
Nothing is staged, copied or deleted: intake's object-store user may only put objects under `complaints/`,
each with its retention and `If-None-Match: *`, so an original is never replaced.
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from tempfile import SpooledTemporaryFile
from typing import BinaryIO

from flask import Request
from minio import Minio
from minio.error import MinioException, S3Error
from minio.retention import Retention
from urllib3.exceptions import HTTPError

from services.common.media import ALLOWED, HEADER_BYTES, sniff
from services.common.storage import EVIDENCE_BUCKET, put_locked_once

IN_MEMORY_UPLOAD = 4 * 1024 * 1024


class HashingSpool(SpooledTemporaryFile):
    """The buffer Werkzeug writes an uploaded file into, taking its SHA-256 and size on the way in."""

    def __init__(self):
        super().__init__(max_size=IN_MEMORY_UPLOAD, mode="rb+")
        self.digest = hashlib.sha256()

    def write(self, data) -> int:
        self.digest.update(data)
        return super().write(data)


class UploadsInMemory(Request):
    """Keeps each uploaded file of up to IN_MEMORY_UPLOAD in memory (Werkzeug's default spools anything over
    500 KiB to a temporary file), hashing it as it arrives. Bigger files still go to a temporary file."""

    def _get_file_stream(self, total_content_length, content_type, filename=None, content_length=None):
        return HashingSpool()


class StoreUnavailable(Exception):
    """The object store did not take or answer a request; nothing was accepted, the client may retry."""


def media_type_of(head: bytes) -> str | None:
    """intake answers 415 outside the allow-list; evidence decides again, deeply, from the stored file."""
    found = sniff(head)
    return found[0] if found else None


@dataclass
class Upload:
    index: int
    stream: BinaryIO
    size: int
    media_type: str | None
    sha256: str

    @classmethod
    def read(cls, index: int, stream: BinaryIO) -> "Upload":
        stream.seek(0)  # a team's batch may name one file in several rows
        head = stream.read(HEADER_BYTES)
        stream.seek(0, 2)
        size = stream.tell()
        stream.seek(0)
        return cls(index, stream, size, media_type_of(head), _sha256_of(stream))

    def key(self, complaint_id: str) -> str:
        """Its content address; only for an upload of an allowed type (anything else was answered 415)."""
        return f"complaints/{complaint_id}/{self.sha256}.{ALLOWED[self.media_type]}"


def _sha256_of(stream: BinaryIO) -> str:
    """The digest taken on arrival; a stream that did not come through HashingSpool is read once for it."""
    if isinstance(stream, HashingSpool):
        return stream.digest.hexdigest()
    digest = hashlib.sha256()
    for chunk in iter(lambda: stream.read(1 << 20), b""):
        digest.update(chunk)
    stream.seek(0)
    return digest.hexdigest()


class OriginalsStore:
    """The evidence bucket as intake may use it: put an original once, under `complaints/`, locked."""

    def __init__(self, s3: Minio, retention_days: int, retention_mode: str):
        self.s3, self.retention_days, self.retention_mode = s3, retention_days, retention_mode

    def put_new(self, key: str, data: bytes, retention: Retention, sha256: str | None = None) -> None:
        """Writes the object unless the key holds one already: the same key is the same bytes. `sha256`: the
        digest taken as the bytes arrived; the store checks the body against it."""
        try:
            put_locked_once(self.s3, key, data, "application/octet-stream", retention, sha256)
        except S3Error as exc:
            raise StoreUnavailable(exc.code) from None
        except (HTTPError, MinioException) as exc:
            raise StoreUnavailable(type(exc).__name__) from None

    def retention(self) -> Retention:
        return Retention(self.retention_mode, datetime.now(timezone.utc) + timedelta(days=self.retention_days))

    def ready(self) -> bool:
        """Asks the bucket's location: an answer needs no read right on any object."""
        try:
            self.s3._execute("GET", EVIDENCE_BUCKET, query_params={"location": ""})
            return True
        except (HTTPError, MinioException):
            return False


def store_originals(store, complaint_id: str, uploads: list[Upload]) -> list[dict]:
    """Each original written once under its content address; what complaint.submitted says of each."""
    retention, stored = store.retention(), []
    for upload in uploads:
        key = upload.key(complaint_id)
        upload.stream.seek(0)
        data = upload.stream.read()
        upload.stream.seek(0)
        store.put_new(key, data, retention, sha256=upload.sha256)
        stored.append({"index": upload.index, "key": key, "sha256": upload.sha256, "size": upload.size})
    return stored
