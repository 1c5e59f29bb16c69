"""What the desk's handlers and views take, as Protocols: the real classes (repository.py, mailer.py, the MinIO
client) and the unit tests' fakes both satisfy them (tests/unit/test_ports.py)."""
from __future__ import annotations

from datetime import date
from email.message import EmailMessage
from typing import Any, BinaryIO, Protocol

from .changes import Change


class CaseWork(Protocol):
    """What moving a case needs: the case as stored, and applying one Change as one unit of work."""

    def get(self, case_id: str) -> dict | None: ...

    def by_complaint(self, complaint_id: str) -> dict | None: ...

    def accesses(self, case_id: str) -> dict[str, str]: ...

    def pending_transfer(self, case_id: str) -> dict | None: ...

    def question(self, question_id: str) -> dict | None: ...

    def has_answer(self, answer_id: str) -> bool: ...

    def history(self, case_id: str) -> list[dict]: ...

    def apply(self, change: Change) -> None: ...


class DueCases(Protocol):
    """What the daily digest reads."""

    def with_due_date(self) -> list[dict]: ...


class DigestDays(Protocol):
    """Which unit got its digest on which day: claimed before sending, released when the mail failed."""

    def claim(self, unit_id: str, day: date, cases: int) -> bool: ...

    def release(self, unit_id: str, day: date) -> None: ...


class Accounts(Protocol):
    """Staff accounts and their sessions."""

    def by_username(self, username: str) -> dict | None: ...

    def by_id(self, account_id: int) -> dict | None: ...

    def of_unit(self, unit_id: str) -> list[dict]: ...

    def add(self, **values: Any) -> int: ...

    def update(self, account_id: int, **values: Any) -> None: ...

    def session(self, key_sha256: str) -> dict | None: ...

    def add_session(self, key_sha256: str, account_id: int, at) -> None: ...

    def touch_session(self, key_sha256: str, at) -> None: ...

    def drop_session(self, key_sha256: str) -> None: ...

    def drop_sessions_of(self, account_id: int) -> None: ...

    def drop_sessions_seen_before(self, before) -> None: ...


class Send(Protocol):
    """Sends one mail (mailer.sender) or raises."""

    def __call__(self, message: EmailMessage) -> None: ...


class Tell(Protocol):
    """Tells a case's unit of the reporter's news (reporter_news.UnitMail.tell; `nobody` where no mail is wired)."""

    def __call__(self, case: dict, what: str) -> None: ...


class EvidenceObjects(Protocol):
    """The part of the MinIO client the desk uses: units open evidence through the desk, never the bucket."""

    def get_object(self, bucket_name: str, object_name: str) -> BinaryIO: ...

    def bucket_exists(self, bucket_name: str) -> bool: ...
