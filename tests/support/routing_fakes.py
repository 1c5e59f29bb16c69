"""An in-memory cases repository for routing's unit tests: the same interface as repository.SqlCases.

A transaction that raises leaves the store as it was, like a database rollback.
"""
from __future__ import annotations

import copy
from contextlib import contextmanager

from services.routing.repository import DuplicateCase


class FakeCases:
    def __init__(self):
        self.cases: dict[str, object] = {}  # case_id -> Case as stored
        self.history: list[tuple[str, str, str | None]] = []  # (case_id, status, detail)
        self.handled: set[str] = set()

    @contextmanager
    def transaction(self):
        before = copy.deepcopy((self.cases, self.history, self.handled))
        try:
            yield _Repository(self)
        except BaseException:
            self.cases, self.history, self.handled = before
            raise

    def only_case(self):
        [case] = self.cases.values()
        return case

    def statuses(self) -> list[str]:
        return [status for _, status, _ in self.history]


class _Repository:
    def __init__(self, store: FakeCases):
        self.store = store

    def first_time(self, event: dict) -> bool:
        if event["event_id"] in self.store.handled:
            return False
        self.store.handled.add(event["event_id"])
        return True

    def by_complaint(self, complaint_id: str):
        found = [c for c in self.store.cases.values() if c.complaint_id == complaint_id]
        return copy.deepcopy(found[0]) if found else None

    def by_id(self, case_id: str):
        return copy.deepcopy(self.store.cases.get(case_id))

    def add(self, case) -> None:
        if self.by_complaint(case.complaint_id) is not None:
            raise DuplicateCase(case.complaint_id)
        self.save(case)

    def save(self, case) -> None:
        self.store.history += [(case.case_id, c.status, c.detail) for c in case.new_changes]
        case.new_routings.clear()
        case.new_changes.clear()
        self.store.cases[case.case_id] = copy.deepcopy(case)
