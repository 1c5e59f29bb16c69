"""The desk's cases as the plain rows that export.py, figures.py and digest.py read.

Filtering lives in export.filter_cases and overdue in deadlines.is_overdue: one implementation each.
A row carries no word about the reporter (the desk never has it); about the civil servant reported, what a
unit reports on: name, NIP, agency and region.
"""
from __future__ import annotations

from ..cases.deadlines import by_due_date


def row(case: dict) -> dict:
    """One desk case (a row of the cases table, maybe with this unit's `access`) as a plain dict."""
    subject, sanction = case.get("subject") or {}, case.get("sanction") or {}
    return {"case_id": case["case_id"], "tracking_code": case["tracking_code"], "unit_id": case["unit_id"],
            "category": (case.get("violation") or {}).get("category"),
            "region_code": subject.get("region_code"), "subject_name": subject.get("name"),
            "subject_nip": subject.get("nip"), "subject_agency": subject.get("agency"),
            "status": case["status"], "status_since": case.get("status_since"),
            "received_at": case["received_at"], "due_on": case.get("due_date"),
            "sanction_kind": sanction.get("sanction_kind"), "decree_number": sanction.get("decree_number"),
            "decree_date": sanction.get("decree_date"), "access": case.get("access"),
            "unit_name": case.get("unit_name"), "chain": case.get("chain")}


def rows(cases: list[dict]) -> list[dict]:
    """The rows, the nearest due date first (final statuses last), then by arrival."""
    return by_due_date([row(case) for case in cases])
