"""Evidence uploads: checked by their first bytes, then streamed into the staging bucket."""
from __future__ import annotations

import hashlib
from dataclasses import dataclass
from tempfile import SpooledTemporaryFile
from typing import BinaryIO

from flask import Request
from minio import Minio
from minio.error import MinioException
from urllib3.exceptions import HTTPError

from services.common.media import HEADER_BYTES, sniff
from services.common.storage import STAGING_BUCKET

PART_SIZE = 5 * 1024 * 1024
IN_MEMORY_UPLOAD = 4 * 1024 * 1024


class UploadsInMemory(Request):
    """Keeps each uploaded file of up to IN_MEMORY_UPLOAD in memory: Werkzeug's default spools anything
    over 500 KiB to a temporary file, so a typical screenshot was written to disk and read back before it
    was staged. Bigger files still go to a temporary file; the body is capped by max_body_bytes."""

    def _get_file_stream(self, total_content_length, content_type, filename=None, content_length=None):
        return SpooledTemporaryFile(max_size=IN_MEMORY_UPLOAD, mode="rb+")


class StoreUnavailable(Exception):
    """The object store did not take or answer a request; nothing was accepted, the client may retry."""


def media_type_of(head: bytes) -> str | None:
    """intake answers 415 outside the allow-list; evidence decides again, from the stored file."""
    found = sniff(head)
    return found[0] if found else None


@dataclass
class Upload:
    index: int
    stream: BinaryIO
    size: int
    media_type: str | None

    @classmethod
    def read(cls, index: int, stream: BinaryIO) -> "Upload":
        head = stream.read(HEADER_BYTES)
        stream.seek(0, 2)
        size = stream.tell()
        stream.seek(0)
        return cls(index, stream, size, media_type_of(head))

    def sha256(self) -> str:
        digest = hashlib.sha256()
        for chunk in iter(lambda: self.stream.read(1 << 20), b""):
            digest.update(chunk)
        self.stream.seek(0)
        return digest.hexdigest()


class StagingStore:
    """The staging bucket on MinIO; unit tests use an in-memory fake with the same three methods."""

    def __init__(self, s3: Minio):
        self.s3 = s3

    def put(self, key: str, stream: BinaryIO, size: int) -> None:
        try:
            self.s3.put_object(STAGING_BUCKET, key, stream, length=size, part_size=PART_SIZE,
                               content_type="application/octet-stream")
        except (HTTPError, MinioException) as exc:
            raise StoreUnavailable(type(exc).__name__) from None

    def remove(self, key: str) -> None:
        try:
            self.s3.remove_object(STAGING_BUCKET, key)
        except (HTTPError, MinioException) as exc:
            raise StoreUnavailable(type(exc).__name__) from None

    def ready(self) -> bool:
        try:
            return self.s3.bucket_exists(STAGING_BUCKET)
        except (HTTPError, MinioException):
            return False


def stage(store, complaint_id: str, uploads: list[Upload]) -> list[dict]:
    staged = []
    try:
        for upload in uploads:
            key = f"{complaint_id}/{upload.index}"
            store.put(key, upload.stream, upload.size)
            staged.append({"index": upload.index, "staged_key": key, "size": upload.size})
    except StoreUnavailable:
        unstage(store, staged)
        raise
    return staged


def unstage(store, staged: list[dict]) -> None:
    """Best effort: what cannot be removed now expires under the staging bucket's lifecycle rule."""
    for item in staged:
        try:
            store.remove(item["staged_key"])
        except StoreUnavailable:
            pass
