"""HOOKS for the modules written on another branch (export.py, figures.py, digest.py): the cases they
work on, already limited to what the officer may see, and filtered as the export form asks.

The integrator adds the routes (/desk/ekspor, /desk/angka) and the digest command on top of these; each
export must add an audit line ("cases.exported") like every view.
"""
from __future__ import annotations

from datetime import date

from services.reference.regions import ancestors

from .lifecycle import is_overdue


def filtered(cases: list[dict], *, since: date | None = None, until: date | None = None,
             status: str | None = None, category: str | None = None, region: str | None = None) -> list[dict]:
    """The cases received in [since, until], with that status, category and region (or one inside it)."""
    def keep(case: dict) -> bool:
        received = case["received_at"].date()
        case_region = (case["subject"] or {}).get("region_code")
        return ((since is None or received >= since) and (until is None or received <= until)
                and (status is None or case["status"] == status)
                and (category is None or case["violation"].get("category") == category)
                and (region is None or case_region == region or region in ancestors(case_region or "")))
    return [case for case in cases if keep(case)]


def due_and_overdue(cases: list[dict], today: date) -> tuple[list[dict], list[dict]]:
    """For the daily digest: the unit's open cases due today, and those already overdue."""
    open_cases = [c for c in cases if c.get("due_date") is not None and c.get("access") in ("primary", None)]
    overdue = [c for c in open_cases if is_overdue(c["due_date"], today)]
    due = [c for c in open_cases if c["due_date"] == today]
    return due, overdue
