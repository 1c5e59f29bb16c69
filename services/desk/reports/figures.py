"""Counts of cases: per status, category and month for one unit; per region for the national `pengawas`.

Input: the same plain dicts as services.desk.reports.export (status, category, region_code, received_at). The
caller passes only the cases the reader may see; these functions count whatever they are given.
Every known status and category is listed, with 0 where no case has it, so a table or chart keeps its
shape; a code the vocabulary does not know is counted under itself, after the known ones.
"""
from __future__ import annotations

from collections import Counter

from services.reference.regions import province_of, region_name
from services.reference.vocabulary import codes, label

from ..cases.deadlines import as_day, statuses
from ..cases.lifecycle import sanction_kinds


def unit_figures(cases: list[dict]) -> dict:
    return {"total": len(cases),
            "per_status": _labelled(Counter(c.get("status") for c in cases), statuses(), "case_statuses"),
            "per_category": _labelled(Counter(c.get("category") for c in cases), codes("categories"),
                                      "categories"),
            "per_month": per_month(cases)}


def sanctions(cases: list[dict]) -> dict[str, dict]:
    """Cases with a sanction decree, per kind of sanction (lifecycle.yaml's kinds, 0 where none)."""
    counted = Counter(c.get("sanction_kind") for c in cases if c.get("sanction_kind"))
    kinds = sanction_kinds()
    ordered = list(kinds) + sorted(code for code in counted if code not in kinds)
    return {code: {"label": kinds.get(code, code), "count": counted.get(code, 0)} for code in ordered}


def per_month(cases: list[dict]) -> dict[str, int]:
    """Cases received per month ("YYYY-MM", Jakarta time), oldest first, months without cases as 0."""
    counted = Counter(day.strftime("%Y-%m") for day in (as_day(c.get("received_at")) for c in cases) if day)
    if not counted:
        return {}
    months = _months(min(counted), max(counted))
    return {month: counted.get(month, 0) for month in months}


def region_figures(cases: list[dict]) -> dict[str, dict]:
    """Per province (by code): its name, its number of cases, and the number per region code within it."""
    counted = Counter(c.get("region_code") or "" for c in cases)
    provinces: dict[str, dict] = {}
    for code in sorted(counted, key=_region_order):
        province = province_of(code) if code else ""
        entry = provinces.setdefault(province, {"name": region_name(province) or province or "-",
                                                "count": 0, "regions": {}})
        entry["count"] += counted[code]
        entry["regions"][code] = counted[code]
    return provinces


def _labelled(counted: Counter, known: tuple[str, ...], kind: str) -> dict[str, dict]:
    ordered = list(known) + sorted(code for code in counted if code and code not in known)
    return {code: {"label": label(kind, code), "count": counted.get(code, 0)} for code in ordered}


def _months(first: str, last: str) -> list[str]:
    year, month = map(int, first.split("-"))
    found = []
    while f"{year:04d}-{month:02d}" <= last:
        found.append(f"{year:04d}-{month:02d}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return found


def _region_order(code: str) -> tuple:
    """Numeric order (14.03 before 14.71, 9 before 14); the empty and unreadable codes last."""
    return tuple((0, int(part)) if part.isdigit() else (1, part) for part in code.split(".")) if code \
        else ((2, ""),)
