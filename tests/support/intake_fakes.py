"""In-memory stand-ins for intake's repository and evidence store, for unit tests of its HTTP edge."""
from __future__ import annotations

import hashlib
from contextlib import contextmanager

from services.intake.complaints.repository import Accepted, DuplicateRequest
from services.intake.complaints.uploads import StoreUnavailable


class FakeRepository:
    def __init__(self):
        self.accepted: dict[str, Accepted] = {}  # tracking code -> what was saved
        self.answers: dict[str, tuple[str, bytes]] = {}
        self.quota: dict = {}
        self.timelines: dict[str, list[dict]] = {}
        self.handled: set[str] = set()

    def ready(self) -> bool:
        return True

    def earlier_answer(self, digest):
        return self.answers.get(digest)

    @contextmanager
    def transaction(self):
        """Kept only when the block ends without raising, as a committed transaction is."""
        tx = FakeComplaintWrites(self)
        yield tx
        for accepted in tx.added:
            self.accepted[accepted.tracking_code] = accepted
            self.timelines[accepted.complaint_id] = [{"status": "received", "at": accepted.submitted_at,
                                                      "detail": None}]
            if accepted.idempotency:
                digest, fingerprint, answer = accepted.idempotency
                self.answers[digest] = (fingerprint, answer)

    def reserve_quota(self, day, size, limit) -> bool:
        if self.quota.get(day, 0) + size > limit:
            return False
        self.quota[day] = self.quota.get(day, 0) + size
        return True

    def release_quota(self, day, size) -> None:
        self.quota[day] = self.quota.get(day, 0) - size

    def status(self, tracking_code):
        accepted = self.accepted.get(tracking_code)
        if accepted is None:
            return None
        entries = self.timelines[accepted.complaint_id]
        return {"tracking_code": tracking_code, "status": entries[-1]["status"],
                "submitted_at": accepted.submitted_at, "receipt_hash": accepted.receipt_hash, "timeline": entries}

    def add_to_timeline(self, event, complaint_id, entry, at) -> None:
        if event["event_id"] in self.handled:
            return
        self.handled.add(event["event_id"])
        if entry is not None:
            self.timelines.setdefault(complaint_id, []).append({"status": entry[0], "at": at, "detail": entry[1]})

    @property
    def events(self) -> list[dict]:
        return [accepted.event for accepted in self.accepted.values()]


class FakeComplaintWrites:
    def __init__(self, repository: FakeRepository):
        self.repository = repository
        self.conn = None
        self.added: list[Accepted] = []
        self.events: list[dict] = []

    def emit(self, *events: dict) -> None:
        self.events.extend(events)

    def add(self, accepted: Accepted) -> None:
        if accepted.idempotency and accepted.idempotency[0] in self.repository.answers:
            raise DuplicateRequest()
        self.added.append(accepted)
        self.emit(accepted.event)


class FakeStore:
    """intake's part of the evidence bucket as a dict: put once, never read back or removed by intake.
    `down = True` makes every call fail as an unreachable MinIO does; `writes` counts every put asked for."""

    def __init__(self):
        self.objects: dict[str, bytes] = {}
        self.retentions: dict[str, object] = {}
        self.writes: list[str] = []
        self.down = False

    def put_new(self, key, data: bytes, retention, sha256: str | None = None) -> None:
        assert sha256 is None or sha256 == hashlib.sha256(data).hexdigest(), "the store refuses a body unlike its digest"
        if self.down:
            raise StoreUnavailable("MaxRetryError")
        self.writes.append(key)
        if key not in self.objects:  # If-None-Match: *
            self.objects[key], self.retentions[key] = bytes(data), retention

    def retention(self):
        return ("COMPLIANCE", 1825)

    def ready(self) -> bool:
        return not self.down
