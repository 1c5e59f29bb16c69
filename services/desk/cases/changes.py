"""A Change: everything one action does to the desk's data, applied by the repository in one transaction.

The Case's moves and the worker's handlers build Changes; `CaseRepository.act` and `apply` write each as one
unit of work (state, history, events for the outbox, audit line), so an accepted action is never
half-recorded and its events are never lost.
"""
from __future__ import annotations

from dataclasses import dataclass, field


class Refused(Exception):
    """The action is not allowed; `reasons` say why, in Bahasa Indonesia."""

    def __init__(self, reasons: list[str]):
        super().__init__("; ".join(reasons))
        self.reasons = reasons


class NotFound(Exception):
    """No such case for this officer: the same answer whether it does not exist or is another unit's."""


@dataclass
class Change:
    case_id: str
    new_case: dict | None = None            # a case that arrives for the first time
    case_updates: dict = field(default_factory=dict)
    expected_sequence: int | None = None    # refuse if someone else moved the case meanwhile
    accesses: dict[str, str] = field(default_factory=dict)
    history: list[dict] = field(default_factory=list)
    new_transfer: dict | None = None
    transfer_updates: tuple[str, dict] | None = None
    new_question: dict | None = None
    new_answer: dict | None = None
    events: list[dict] = field(default_factory=list)
    audit: list[dict] = field(default_factory=list)


def audit_line(actor: str, unit_id: str, action: str, case_id: str | None, detail: str = "") -> dict:
    return {"actor": actor, "unit_id": unit_id, "action": action, "case_id": case_id, "detail": detail}
