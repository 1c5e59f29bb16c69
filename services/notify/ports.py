"""What notify's handlers take, as Protocols: the real classes (repository.py, smtp.py) and the unit tests'
fakes both satisfy them (tests/unit/test_ports.py)."""
from __future__ import annotations

from datetime import datetime
from email.message import Message
from typing import Callable, Protocol

from .delivery import Delivery

Publish = Callable[[dict], None]


class Deliveries(Protocol):
    """The mails notify owes, one per delivery key: claimed before sending, recorded after."""

    def claim(self, delivery: Delivery, now: datetime) -> str: ...

    def record(self, delivery: Delivery) -> None: ...


class Contacts(Protocol):
    """The reporters' sealed contacts and how long they are kept."""

    def keep(self, complaint_id: str, sealed: str | None) -> None: ...

    def sealed_for(self, complaint_id: str) -> tuple[bool, str | None]: ...

    def note_status(self, complaint_id: str, sequence: int, closed_at: datetime | None) -> None: ...

    def purge(self, closed_before: datetime, now: datetime) -> int: ...

    def purged(self, complaint_id: str) -> bool: ...


class Sender(Protocol):
    """Sends one mail or raises (smtp.TransientMailError, smtp.PermanentMailError)."""

    def __call__(self, message: Message) -> None: ...
