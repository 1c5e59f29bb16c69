"""An in-memory stand-in for services.evidence.repository.EvidenceStore, for unit tests.

Keys map to lists of versions, so a test can see that nothing was ever written twice; `put_new` refuses
a taken key exactly as `If-None-Match: *` makes the real store do.
"""
from __future__ import annotations

from datetime import datetime, timezone


class FakeEvidenceStore:
    def __init__(self):
        self.staging: dict[str, bytes] = {}
        self.evidence: dict[str, list[dict]] = {}
        self.refused_writes: list[str] = []

    def stage(self, key: str, data: bytes) -> None:
        self.staging[key] = data

    def versions(self, key: str) -> list[dict]:
        return self.evidence.get(key, [])

    def latest(self, key: str) -> bytes:
        return self.evidence[key][-1]["data"]

    def read_staged(self, key: str) -> bytes | None:
        return self.staging.get(key)

    def remove_staged(self, key: str) -> None:
        self.staging.pop(key, None)

    def read(self, key: str) -> bytes | None:
        return self.evidence[key][-1]["data"] if key in self.evidence else None

    def stored_at(self, key: str) -> datetime | None:
        return self.evidence[key][-1]["at"] if key in self.evidence else None

    def put_new(self, key: str, data: bytes, content_type: str, retention) -> datetime | None:
        if key in self.evidence:
            self.refused_writes.append(key)
            return None
        self.evidence[key] = [{"data": bytes(data), "content_type": content_type, "retention": retention,
                               "at": datetime.now(timezone.utc)}]
        return self.evidence[key][0]["at"]
