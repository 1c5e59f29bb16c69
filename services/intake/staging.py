"""Evidence uploads: checked by their first bytes, then streamed into the staging bucket."""
from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import BinaryIO

from minio import Minio

from services.common.media import HEADER_BYTES, sniff
from services.common.storage import STAGING_BUCKET

PART_SIZE = 5 * 1024 * 1024


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


def upload_problems(uploads: list[Upload], max_files: int) -> tuple[dict, dict]:
    """(errors that make the request unprocessable, errors of a type outside the allow-list)."""
    invalid, unsupported = {}, {}
    if len(uploads) > max_files:
        invalid["evidence"] = [f"At most {max_files} evidence files."]
    for upload in uploads:
        if upload.size == 0:
            invalid[f"evidence.{upload.index}"] = ["The file is empty."]
        elif upload.media_type is None:
            unsupported[f"evidence.{upload.index}"] = [
                "Not a PNG, JPEG, WebP, GIF or PDF file (decided by its content, not its name)."]
    return invalid, unsupported


def stage(s3: Minio, complaint_id: str, uploads: list[Upload]) -> list[dict]:
    staged = []
    for upload in uploads:
        key = f"{complaint_id}/{upload.index}"
        s3.put_object(STAGING_BUCKET, key, upload.stream, length=upload.size, part_size=PART_SIZE,
                      content_type="application/octet-stream")
        staged.append({"index": upload.index, "staged_key": key, "size": upload.size})
    return staged


def unstage(s3: Minio, staged: list[dict]) -> None:
    for item in staged:
        s3.remove_object(STAGING_BUCKET, item["staged_key"])
