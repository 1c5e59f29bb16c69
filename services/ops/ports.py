"""What the reconciler takes, as a Protocol: intake_records.IntakeRecords and the unit tests' fake both
satisfy it (tests/unit/test_ports.py)."""
from __future__ import annotations

from typing import Protocol

from .overdue import Waiting


class ComplaintRecords(Protocol):
    """intake's records as the reconciler reads them, and its outbox for a re-drive."""

    def waiting(self) -> list[Waiting]: ...

    def submitted_event(self, complaint_id: str) -> dict | None: ...

    def redrive(self, events: list[dict]) -> bool: ...
