"""An in-memory cases repository for routing's unit tests: the same interface as repository.SqlCases.

A transaction that raises leaves the store as it was, like a database rollback.
"""
from __future__ import annotations

import copy
from contextlib import contextmanager

from services.routing.grouping import Match, close_enough
from services.routing.repository import DuplicateCase


class FakeCases:
    def __init__(self):
        self.cases: dict[str, object] = {}  # case_id -> Case as stored
        self.history: list[tuple[str, str, str | None]] = []  # (case_id, status, detail)
        self.fingerprints: list[dict] = []  # case_id, group_id, unit_id, kind, value, at
        self.last_numbers: dict = {}  # numbering.Series -> the last sequence given

    @contextmanager
    def transaction(self, publish=None):
        """Emitted events go to `publish` only once the block has "committed"."""
        before = copy.deepcopy((self.cases, self.history, self.fingerprints, self.last_numbers))
        repository = _Repository(self)
        try:
            yield repository
        except BaseException:
            self.cases, self.history, self.fingerprints, self.last_numbers = before
            raise
        for event in repository.events:
            publish(event)

    def only_case(self):
        [case] = self.cases.values()
        return case

    def statuses(self) -> list[str]:
        return [status for _, status, _ in self.history]


class _Repository:
    def __init__(self, store: FakeCases):
        self.store = store
        self.events: list[dict] = []

    def emit(self, *events: dict) -> None:
        self.events.extend(events)

    def by_complaint(self, complaint_id: str):
        found = [c for c in self.store.cases.values() if c.complaint_id == complaint_id]
        return copy.deepcopy(found[0]) if found else None

    def by_id(self, case_id: str):
        return copy.deepcopy(self.store.cases.get(case_id))

    def add(self, case) -> None:
        numbers = self.store.last_numbers
        numbers[case.series] = numbers.get(case.series, 0) + 1
        case.case_number = case.series.number(numbers[case.series])
        if self.by_complaint(case.complaint_id) is not None:
            raise DuplicateCase(case.complaint_id)
        self.save(case)

    def save(self, case) -> None:
        self.store.history += [(case.case_id, c.status, c.detail) for c in case.new_changes]
        case.new_routings.clear()
        case.new_changes.clear()
        self.store.cases[case.case_id] = copy.deepcopy(case)

    def hold_unit(self, unit_id: str) -> None:
        """One process, one thread: nothing to hold."""

    def find_group(self, unit_id, keys, since, policy):
        hits = [row for row in self.store.fingerprints if row["unit_id"] == unit_id and row["at"] >= since
                and any(kind == row["kind"] and close_enough(kind, value, row["value"], policy)
                        for kind, value in keys)]
        if not hits:
            return None
        group_id = hits[0]["group_id"]
        lead = self.store.cases[group_id]
        return Match(group_id, lead.case_id, lead.tracking_code,
                     tuple(sorted({row["kind"] for row in hits if row["group_id"] == group_id})))

    def group_size(self, group_id: str) -> int:
        return sum(1 for case in self.store.cases.values() if case.group.get("group_id") == group_id)

    def add_fingerprint(self, case, keys, at) -> None:
        known = {(row["kind"], row["value"]) for row in self.store.fingerprints
                 if row["group_id"] == case.group["group_id"]}
        self.store.fingerprints += [{"case_id": case.case_id, "group_id": case.group["group_id"],
                                     "unit_id": case.primary_unit_id, "kind": kind, "value": value, "at": at}
                                    for kind, value in keys if (kind, value) not in known]
