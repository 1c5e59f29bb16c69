"""What intake's handlers and views take, as Protocols: the real classes (repository.py, tracking_store.py,
team_store.py, uploads.py) and the unit tests' fakes both satisfy them (tests/unit/test_ports.py)."""
from __future__ import annotations

from datetime import date, datetime
from typing import Any, ContextManager, Protocol

from minio.retention import Retention

from .complaints.repository import Accepted


class ComplaintWrites(Protocol):
    """One complaint's unit of work (services/common/unit_of_work.py)."""
    conn: Any
    events: list[dict]

    def emit(self, *events: dict) -> None: ...

    def add(self, accepted: Accepted) -> None: ...


class Complaints(Protocol):
    def ready(self) -> bool: ...

    def earlier_answer(self, digest: str) -> tuple[str, bytes] | None: ...

    def transaction(self) -> ContextManager[ComplaintWrites]: ...

    def reserve_quota(self, day: date, size: int, limit: int) -> bool: ...

    def release_quota(self, day: date, size: int) -> None: ...

    def status(self, tracking_code: str) -> dict | None: ...

    def add_to_timeline(self, event: dict, complaint_id: str, entry: tuple[str, str | None] | None,
                        at: datetime) -> None: ...


class Originals(Protocol):
    """intake's part of the evidence bucket: each original put once, never read back."""

    def put_new(self, key: str, data: bytes, retention: Retention, sha256: str | None = None) -> None: ...

    def retention(self) -> Retention: ...

    def ready(self) -> bool: ...


class TrackingRecords(Protocol):
    """What /lacak and the question consumer read and write."""

    def complaint(self, tracking_code: str) -> dict | None: ...

    def timeline(self, complaint_id: str) -> list[dict]: ...

    def questions(self, complaint_id: str) -> list[dict]: ...

    def add_question(self, event: dict, question: dict) -> None: ...

    def answer(self, complaint_id: str, question_id: str, answer: dict, event: dict) -> bool: ...

    def add_evidence(self, complaint_id: str, event: dict) -> None: ...


class TeamRecords(Protocol):
    """What the teams' API reads and writes (the operator CLI takes team_store.TeamStore itself)."""

    def key_by_digest(self, digest: str) -> Any: ...

    def finding(self, team_id: str, external_id: str) -> str | None: ...

    def add_finding(self, tx: ComplaintWrites, team_id: str, external_id: str, complaint_id: str,
                    batch_id: str) -> None: ...

    def save_batch(self, batch_id: str, team_id: str, results: dict, at: datetime) -> None: ...

    def batch(self, batch_id: str, team_id: str) -> dict | None: ...

    def findings(self, team_id: str, limit: int, offset: int) -> list[dict]: ...


class Disclosures(Protocol):
    """Releases a sealed identity for an approved disclosure (disclosure.DisclosureStore)."""

    def release(self, event: dict, approved: dict) -> None: ...
