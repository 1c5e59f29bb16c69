"""The desk's cases as the plain rows that export.py, figures.py and digest.py read.

Filtering lives in export.filter_cases and overdue in deadlines.is_overdue: one implementation each.
A row carries no word about the reporter (the desk never has it) nor about the subject beyond the region.
"""
from __future__ import annotations

from .deadlines import by_due_date


def row(case: dict) -> dict:
    """One desk case (a row of the cases table, maybe with this unit's `access`) as a plain dict."""
    return {"case_id": case["case_id"], "tracking_code": case["tracking_code"], "unit_id": case["unit_id"],
            "category": (case.get("violation") or {}).get("category"),
            "region_code": (case.get("subject") or {}).get("region_code"),
            "status": case["status"], "received_at": case["received_at"], "due_on": case.get("due_date"),
            "access": case.get("access")}


def rows(cases: list[dict]) -> list[dict]:
    """The rows, the nearest due date first (final statuses last), then by arrival."""
    return by_due_date([row(case) for case in cases])
