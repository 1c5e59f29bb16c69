"""What routing's handlers take, as Protocols: repository.SqlCases and the unit tests' fake both satisfy them
(tests/unit/test_ports.py)."""
from __future__ import annotations

from datetime import datetime
from typing import Callable, ContextManager, Protocol

from .case import Case
from .grouping import GroupPolicy, Match


class CaseTransaction(Protocol):
    """Cases within one unit of work (services/common/unit_of_work.py)."""
    events: list[dict]

    def emit(self, *events: dict) -> None: ...

    def by_complaint(self, complaint_id: str) -> Case | None: ...

    def by_id(self, case_id: str) -> Case | None: ...

    def add(self, case: Case) -> None: ...

    def save(self, case: Case) -> None: ...

    def hold_unit(self, unit_id: str) -> None: ...

    def find_group(self, unit_id: str, keys: list[tuple[str, str]], since: datetime,
                   policy: GroupPolicy) -> Match | None: ...

    def group_size(self, group_id: str) -> int: ...

    def add_fingerprint(self, case: Case, keys: list[tuple[str, str]], at: datetime) -> None: ...


class Cases(Protocol):
    def transaction(self, publish: Callable[[dict], None] | None = None) -> ContextManager[CaseTransaction]: ...
