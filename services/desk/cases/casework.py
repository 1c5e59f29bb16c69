"""What officers do to a case: move it, ask for, approve or refuse a transfer, ask the reporter a question.

Each action runs on the Case (services/desk/cases/case.py), which decides and refuses, inside the repository's
transaction with the case's row locked (`cases.act`). Officers' names and notes for the file stay in the
desk; events carry the public part.
"""
from __future__ import annotations

from datetime import datetime, timezone

from ..ports import CaseWork
from . import lifecycle
from .access import Staff, access_to
from .case import READ_ONLY
from .changes import NotFound, Refused


def now() -> datetime:
    return datetime.now(timezone.utc)


def open_case(cases: CaseWork, case_id: str, staff: Staff, write: bool = False) -> tuple[dict, str]:
    """The case and this officer's access to it; NotFound when they may not see it (or may not act)."""
    case = cases.get(case_id)
    access = access_to(staff, cases.accesses(case_id)) if case else None
    if access is None:
        raise NotFound(case_id)
    if write and access != "write":
        raise Refused([READ_ONLY])
    return case, access


def move_case(cases: CaseWork, case_id: str, staff: Staff, move: lifecycle.Move, at: datetime | None = None) -> dict:
    cases.act(case_id, lambda case: case.move(staff, move, at or now()))
    return cases.get(case_id)


def request_transfer(cases: CaseWork, units, case_id: str, staff: Staff, to_unit_id: str, reason: str) -> dict:
    change = cases.act(case_id, lambda case: case.request_transfer(staff, to_unit_id, reason, units, now()))
    return change.new_transfer


def approve_transfer(cases: CaseWork, case_id: str, staff: Staff, public_note: str | None = None) -> dict:
    change = cases.act(case_id, lambda case: case.approve_transfer(staff, public_note, now()))
    transfer_id = change.transfer_updates[0]
    return next(t for t in cases.transfers(case_id) if t["transfer_id"] == transfer_id)


def ask_reporter(cases: CaseWork, case_id: str, staff: Staff, question: str) -> dict:
    return cases.act(case_id, lambda case: case.ask_reporter(staff, question, now())).new_question


def refuse_transfer(cases, case_id: str, staff: Staff, reason: str) -> dict:
    change = cases.act(case_id, lambda case: case.refuse_transfer(staff, reason, now()))
    transfer_id = change.transfer_updates[0]
    return next(t for t in cases.transfers(case_id) if t["transfer_id"] == transfer_id)
