"""The few object-store operations archiving needs, with "absent" told apart from "unreachable".

A missing key is an answer (None / False); anything else, a refused connection included, is raised so
the worker retries the message later.
"""
from __future__ import annotations

import io
from datetime import datetime

from minio.error import S3Error
from minio.retention import Retention

from services.common.storage import EVIDENCE_BUCKET


def read_object(s3, bucket: str, key: str) -> bytes | None:
    try:
        response = s3.get_object(bucket, key)
    except S3Error as exc:
        if exc.code == "NoSuchKey":
            return None
        raise
    try:
        return response.read()
    finally:
        response.close()
        response.release_conn()


def stored_at(s3, key: str) -> datetime | None:
    try:
        return s3.stat_object(EVIDENCE_BUCKET, key).last_modified
    except S3Error as exc:
        if exc.code == "NoSuchKey":
            return None
        raise


def put_if_absent(s3, key: str, data: bytes, content_type: str, retention: Retention) -> bool:
    """Writes a locked object unless the key already holds one: a replay never adds a second version."""
    if stored_at(s3, key) is not None:
        return False
    s3.put_object(EVIDENCE_BUCKET, key, io.BytesIO(data), len(data), content_type=content_type,
                  retention=retention, legal_hold=False)
    return True
