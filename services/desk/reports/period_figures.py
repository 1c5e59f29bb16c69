"""The figures page's numbers for one officer and one period: cases by status, category, month and region,
sanctions by kind, timeliness per body (services/desk/reports/timeliness.py), and cases per step of their chain and per
body that owned a step, with its on-time rate against each step's own deadline (services/desk/reports/step_figures.py).

The cases are those the officer may see (CaseRepository.visible_to: a unit its own, in copy and transferred
away; a regional supervisor its province's units'; a pengawas every unit's) received within the period, on
the officer's own clock (WIB, WITA or WIT).
"""
from __future__ import annotations

from datetime import date, timezone

from sqlalchemy import select

from services.reference.zones import Zone

from ..cases.access import Staff
from ..tables import history
from . import figures, reports, step_figures, timeliness
from .periods import Period


def figures_of(cases, staff: Staff, period: Period, zone: Zone, today: date, units: dict[str, str]) -> dict:
    """Every count the page, the API and the export show, and the timeliness rows named by unit."""
    found = [row for row in reports.rows(cases.visible_to(staff)) if period.holds(_local_day(row, zone))]
    counted = figures.unit_figures(found)
    counted.update(period=period, per_region=figures.region_figures(found), sanctions=figures.sanctions(found),
                   timeliness=_named(timeliness.per_body(found, history_of(cases.engine, found), today), units),
                   per_step=step_figures.per_step(found),
                   step_bodies=_by_directory_name(step_figures.per_body(found, today), units))
    return counted


def history_of(engine, rows: list[dict]) -> list[dict]:
    """The history lines of these cases (status changes, arrivals, answers), oldest first."""
    ids = [row["case_id"] for row in rows]
    if not ids:
        return []
    query = select(history.c.id, history.c.case_id, history.c.unit_id, history.c.status,
                   history.c.previous_status, history.c.actor, history.c.at).where(history.c.case_id.in_(ids))
    with engine.connect() as conn:
        return [dict(line._mapping) for line in conn.execute(query.order_by(history.c.at, history.c.id))]


def _named(per_unit: dict[str, dict], units: dict[str, str]) -> list[dict]:
    return [{"unit_id": unit_id, "name": units.get(unit_id, unit_id), **entry} for unit_id, entry in per_unit.items()]


def _by_directory_name(entries: list[dict], units: dict[str, str]) -> list[dict]:
    """Each body under its name in the directory (the chain keeps the name it had when the step opened)."""
    named = [{**entry, "name": units.get(entry["unit_id"], entry["name"])} for entry in entries]
    return sorted(named, key=lambda entry: entry["name"])


def _local_day(row: dict, zone: Zone) -> date:
    moment = row["received_at"]
    return (moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)).astimezone(zone.tz).date()
