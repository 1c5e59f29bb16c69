"""A mail notify owes, and the states of sending it: claimed (sending), sent, failed; busy while another
worker holds a fresh claim.

A delivery is keyed by (complaint, recipient kind, purpose, ref): `ref` tells apart mails of one purpose
that are each owed once (the case mail of each routing, one mail per status change, one per question).
However often an event arrives, each mail goes at most once, unless a worker died between sending and
recording.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

SENDING, SENT, FAILED = "sending", "sent", "failed"
CLAIMED, ALREADY_SENT, BUSY = "claimed", "sent", "busy"
# Longer than one SMTP exchange may take; a claim older than this was left by a worker that died.
CLAIM_LEASE = timedelta(seconds=90)
FIRST_NOTICE = {"unit": "case", "reporter": "ack"}


@dataclass
class Delivery:
    complaint_id: str
    recipient_kind: str  # unit | reporter
    purpose: str  # case | ack | evidence_rejected | status_changed | question
    message_id: str
    case_id: str | None = None
    unit_id: str | None = None
    ref: str = ""
    status: str | None = None  # None: never attempted
    attempted_at: datetime | None = None  # while set and recent, a worker holds the send
    error: str | None = None
    sent_at: datetime | None = None

    @property
    def key(self) -> tuple[str, str, str, str]:
        return (self.complaint_id, self.recipient_kind, self.purpose, self.ref)

    @property
    def notification_key(self) -> str:
        """The business key of notification.sent/failed: complaint and recipient kind for the first notice
        (the contract's key), plus purpose and ref for every later one, so none reads as a repeat."""
        key = f"{self.complaint_id}:{self.recipient_kind}"
        if FIRST_NOTICE.get(self.recipient_kind) != self.purpose or self.ref:
            key += f":{self.purpose}"
        return f"{key}:{self.ref}" if self.ref else key

    def claim(self, now: datetime, lease: timedelta = CLAIM_LEASE) -> str:
        """CLAIMED: send now. ALREADY_SENT: never send again. BUSY: another worker is sending right now.

        A failed mail may be claimed again: an operator replays a parked message to try once more.
        """
        if self.status == SENT:
            return ALREADY_SENT
        if self.status == SENDING and self.attempted_at is not None and self.attempted_at > now - lease:
            return BUSY
        self.status, self.attempted_at = SENDING, now
        return CLAIMED

    def sent(self, now: datetime) -> None:
        self.status, self.sent_at, self.error, self.attempted_at = SENT, now, None, None

    def failed(self, reason: str) -> None:
        self.status, self.error, self.attempted_at = FAILED, reason[:2000], None

    def release(self, reason: str) -> None:
        """A transient failure: the mail is still owed, and the next attempt may claim it at once."""
        self.error, self.attempted_at = reason[:2000], None
