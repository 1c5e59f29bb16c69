"""What evidence's handlers take, as a Protocol: repository.EvidenceStore and the unit tests' fake both
satisfy it (tests/unit/test_ports.py)."""
from __future__ import annotations

from datetime import datetime
from typing import Protocol

from minio.retention import Retention


class EvidenceObjects(Protocol):
    """The evidence bucket, with "absent" (None) told apart from "unreachable" (raised)."""

    def read(self, key: str) -> bytes | None: ...

    def read_original(self, key: str) -> tuple[bytes, datetime] | None: ...

    def stored_at(self, key: str) -> datetime | None: ...

    def put_new(self, key: str, data: bytes, content_type: str, retention: Retention,
                sha256: str | None = None) -> datetime | None: ...

    def read_current(self, key: str) -> tuple[bytes, str] | None: ...

    def put_over(self, key: str, data: bytes, content_type: str, retention: Retention, etag: str) -> bool: ...
