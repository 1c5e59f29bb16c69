"""Evidence through the desk: streamed from the evidence bucket after the access check, hashes re-computed."""
from __future__ import annotations

import hashlib

from services.common.storage import EVIDENCE_BUCKET

from .changes import NotFound

CHUNK = 64 * 1024


def file_of(case: dict, index: int) -> dict:
    for entry in case["files"]:
        if entry["index"] == index:
            return entry
    raise NotFound(index)


def stream(store, key: str):
    """The object's bytes in chunks; the connection goes back to the pool when the reader is done."""
    response = store.get_object(EVIDENCE_BUCKET, key)
    try:
        yield from response.stream(CHUNK)
    finally:
        response.close()
        response.release_conn()


def sha256_of(store, key: str) -> str:
    digest = hashlib.sha256()
    for chunk in stream(store, key):
        digest.update(chunk)
    return digest.hexdigest()
