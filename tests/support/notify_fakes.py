"""In-memory stand-ins for notify's repositories and SMTP sender, for unit tests only.

They keep the same interface as repository.SqlDeliveries / SqlContacts; the claim rules themselves live
in Delivery, so the fake exercises the same states the database does.
"""
from __future__ import annotations

import copy
import email
import email.policy
from email.message import EmailMessage

from services.notify.delivery import CLAIMED, Delivery


class FakeDeliveries:
    def __init__(self):
        self.rows: dict[tuple, Delivery] = {}

    def claim(self, delivery: Delivery, now) -> str:
        stored = self.rows.get(delivery.key)
        if stored is not None:
            delivery.status, delivery.attempted_at = stored.status, stored.attempted_at
        outcome = delivery.claim(now)
        if outcome == CLAIMED:
            self.rows[delivery.key] = copy.copy(delivery)
        return outcome

    def record(self, delivery: Delivery) -> None:
        self.rows[delivery.key] = copy.copy(delivery)

    def statuses(self, complaint_id: str) -> dict:
        return {(d.recipient_kind, d.purpose, d.ref): d.status for d in self.rows.values()
                if d.complaint_id == complaint_id}


class FakeContacts:
    def __init__(self):
        self.sealed: dict[str, str | None] = {}
        self.statuses: dict[str, tuple] = {}  # complaint id -> (sequence, closed_at or None)
        self.deleted: set[str] = set()

    def keep(self, complaint_id: str, sealed: str | None) -> None:
        self.sealed.setdefault(complaint_id, sealed)

    def sealed_for(self, complaint_id: str):
        return (complaint_id in self.sealed, self.sealed.get(complaint_id))

    def note_status(self, complaint_id: str, sequence: int, closed_at) -> None:
        if sequence > self.statuses.get(complaint_id, (-1, None))[0]:
            self.statuses[complaint_id] = (sequence, closed_at)

    def purge(self, closed_before, now) -> int:
        due = [cid for cid, (_, closed) in self.statuses.items()
               if closed is not None and closed < closed_before and cid not in self.deleted]
        for complaint_id in due:
            self.sealed[complaint_id] = None
            self.deleted.add(complaint_id)
        return len(due)

    def purged(self, complaint_id: str) -> bool:
        return complaint_id in self.deleted


class FakeSender:
    def __init__(self, fail_with: Exception | None = None):
        self.sent = []
        self.fail_with = fail_with

    def __call__(self, message):
        if self.fail_with:
            raise self.fail_with
        self.sent.append(as_received(message))


def as_received(message) -> EmailMessage:
    """A composed mail as its recipient's mail client reads it: flattened to bytes, parsed with the modern policy."""
    return email.message_from_bytes(message.as_bytes(), policy=email.policy.default)
