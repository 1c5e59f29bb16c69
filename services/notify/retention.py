"""How long notify keeps a reporter's sealed contact: until NETRA_CONTACT_RETENTION_DAYS after their case
closed. A case is closed by the desk's terminal status `selesai` (services/desk/data/lifecycle.yaml: the
one status without moves that ends a case; `dialihkan` hands it to another unit, which goes on). A case
reopened before the purge is open again; after the purge the contact is gone for good, and later mails
to that reporter are not sent (logged with outcome `contact_deleted`).
"""
from __future__ import annotations

from datetime import datetime, timedelta

CLOSED_STATUSES = frozenset({"selesai"})


def note_status(contacts, change: dict, now: datetime) -> None:
    closed_at = (change.get("changed_at") or now) if change["status"] in CLOSED_STATUSES else None
    contacts.note_status(change["complaint_id"], change["sequence"], closed_at)


def purge_contacts(contacts, retention_days: int, now: datetime) -> int:
    """Deletes the contacts of cases closed more than retention_days ago; returns how many."""
    return contacts.purge(now - timedelta(days=retention_days), now)
