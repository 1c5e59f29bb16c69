"""Export and figures for an officer: the cases they may see, filtered, as a file or as counts.

Plain functions over the case repository and the audit log, shared by the pages and the API; the
access rule is the desk's one (CaseRepository.visible_to): a unit its own cases, those in copy and
those it transferred away, a pengawas every unit's.
"""
from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from ..cases.access import Staff
from . import export, figures, period_figures, reports, timeliness

FORMATS = {"csv": ("text/csv; charset=utf-8", export.to_csv_bytes),
           "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", export.to_xlsx)}


@dataclass(frozen=True)
class ExportFile:
    body: bytes
    mimetype: str
    filename: str
    count: int


def filters_from(args) -> dict:
    """The export filters from a query string (a werkzeug MultiDict): empty fields choose nothing."""
    def many(name):
        return [value.strip() for value in args.getlist(name) if value.strip()]
    return {"since": args.get("since", "").strip() or None, "until": args.get("until", "").strip() or None,
            "statuses": many("status"), "categories": many("category"), "regions": many("region")}


def chosen_rows(cases, staff: Staff, filters: dict) -> list[dict]:
    """The officer's visible cases that pass the filters; export.FilterError explains a bad filter."""
    return export.filter_cases(reports.rows(cases.visible_to(staff)), **filters)


def export_cases(cases, audit, staff: Staff, filters: dict, fmt: str, today: date) -> ExportFile:
    """The file, with one audit line `cases.exported` naming the filters, the format and the count."""
    if fmt not in FORMATS:
        raise export.FilterError(f"format tidak dikenal: {fmt!r} (csv atau xlsx)")
    found = with_verdicts(cases.engine, chosen_rows(cases, staff, filters), today)
    mimetype, render = FORMATS[fmt]
    detail = json.dumps({"format": fmt, "count": len(found), "filters": filters}, sort_keys=True)
    audit.record(staff.username, staff.unit_id, "cases.exported", None, detail)
    return ExportFile(render(found, today), mimetype, f"kasus-{staff.unit_id}-{today.isoformat()}.{fmt}",
                      len(found))


def with_verdicts(engine, rows: list[dict], today: date) -> list[dict]:
    """The rows, each with `on_time` against its current (or, closed, its last) deadline."""
    lines = defaultdict(list)
    for line in period_figures.history_of(engine, [row for row in rows if row["due_on"] is None]):
        lines[line["case_id"]].append(line)
    return [{**row, "on_time": timeliness.current_verdict(row["due_on"], lines[row["case_id"]], today)}
            for row in rows]


def figures_for(cases, staff: Staff) -> dict:
    """Counts per status, category and month; per region too for a pengawas."""
    found = reports.rows(cases.visible_to(staff))
    counted = figures.unit_figures(found)
    if staff.role == "pengawas":
        counted["per_region"] = figures.region_figures(found)
    return counted
