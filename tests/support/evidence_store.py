"""An in-memory stand-in for services.evidence.repository.EvidenceStore, for unit tests.

Keys map to lists of versions, so a test can see that nothing was ever written twice; `put_new` refuses
a taken key exactly as `If-None-Match: *` makes the real store do.
"""
from __future__ import annotations

import hashlib
from datetime import datetime, timezone


class FakeEvidenceStore:
    def __init__(self):
        self.evidence: dict[str, list[dict]] = {}
        self.refused_writes: list[str] = []

    def receive(self, key: str, data: bytes) -> None:
        """An original as intake writes it, before evidence sees the complaint."""
        self.put_new(key, data, "application/octet-stream", "intake's retention")

    def versions(self, key: str) -> list[dict]:
        return self.evidence.get(key, [])

    def latest(self, key: str) -> bytes:
        return self.evidence[key][-1]["data"]

    def read(self, key: str) -> bytes | None:
        return self.evidence[key][-1]["data"] if key in self.evidence else None

    def read_original(self, key: str):
        return (self.evidence[key][-1]["data"], self.evidence[key][-1]["at"]) if key in self.evidence else None

    def stored_at(self, key: str) -> datetime | None:
        return self.evidence[key][-1]["at"] if key in self.evidence else None

    def put_new(self, key: str, data: bytes, content_type: str, retention, sha256: str | None = None) -> datetime | None:
        assert sha256 is None or sha256 == hashlib.sha256(data).hexdigest(), "the store refuses a body unlike its digest"
        if key in self.evidence:
            self.refused_writes.append(key)
            return None
        self.evidence[key] = [{"data": bytes(data), "content_type": content_type, "retention": retention,
                               "at": datetime.now(timezone.utc)}]
        return self.evidence[key][0]["at"]

    def read_current(self, key: str) -> tuple[bytes, str] | None:
        if key not in self.evidence:
            return None
        return self.evidence[key][-1]["data"], str(len(self.evidence[key]))

    def put_over(self, key: str, data: bytes, content_type: str, retention, etag: str) -> bool:
        """A new version, as If-Match makes the real store take it: only over the version read."""
        if key not in self.evidence or str(len(self.evidence[key])) != etag:
            self.refused_writes.append(key)
            return False
        self.evidence[key].append({"data": bytes(data), "content_type": content_type, "retention": retention,
                                   "at": datetime.now(timezone.utc)})
        return True


def original(complaint_id: str, index: int, data: bytes) -> dict:
    """What complaint.submitted says of an original intake wrote: its content address, SHA-256 and size."""
    sha256 = hashlib.sha256(data).hexdigest()
    return {"index": index, "key": f"complaints/{complaint_id}/{sha256}.png", "sha256": sha256, "size": len(data)}


def received(store: FakeEvidenceStore, complaint_id: str, files: list) -> list[dict]:
    """Each file written as intake writes it, as it arrives; a file given as (bytes,) is named, never written."""
    items = []
    for index, data in enumerate(files):
        item = original(complaint_id, index, data[0] if isinstance(data, tuple) else data)
        if not isinstance(data, tuple):
            store.receive(item["key"], data)
        items.append(item)
    return items
