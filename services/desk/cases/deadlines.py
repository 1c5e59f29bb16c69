"""Due dates of the desk's statuses, counted in Indonesian working days.

How long each status may last is data (data/durations.yaml, with the source of every number). A final
status (`selesai`) has no due date. A case is overdue from the day after its due date; the due date
itself is still on time. Moments become office days in WIB: the holidays are national, and one zone for
every unit keeps a case's due date the same on every page and in every digest.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from functools import cache
from pathlib import Path
from zoneinfo import ZoneInfo

import yaml

from services.common import workdays

DURATIONS_FILE = Path(__file__).resolve().parents[1] / "data" / "durations.yaml"
OFFICE_ZONE = ZoneInfo("Asia/Jakarta")
BASES = ("law", "project_default", "final")


@dataclass(frozen=True)
class Duration:
    status: str
    working_days: int | None
    basis: str
    source: str
    verified: bool


class UnknownStatus(KeyError):
    def __init__(self, status: str):
        super().__init__(f"status tanpa durasi: {status!r} (dikenal: {', '.join(statuses())})")


@cache
def durations() -> dict[str, Duration]:
    return load_durations(DURATIONS_FILE)


def load_durations(path: Path) -> dict[str, Duration]:
    """Each status's duration; a missing source or a number that is not a positive whole is refused."""
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))["statuses"]
    return {code: _duration(path.name, code, entry) for code, entry in raw.items()}


def statuses() -> tuple[str, ...]:
    return tuple(durations())


def duration(status: str) -> Duration:
    try:
        return durations()[status]
    except KeyError:
        raise UnknownStatus(status) from None


def due_date(status: str, entered_on: date | datetime) -> date | None:
    """The last working day a case may stay in `status` after entering it, None for a final status."""
    days = duration(status).working_days
    return None if days is None else workdays.add_working_days(office_day(entered_on), days)


def is_overdue(due: date | None, today: date) -> bool:
    return due is not None and office_day(today) > due


def days_left(due: date, today: date) -> int:
    """Working days from today up to the due date: 0 on the due date, negative once overdue."""
    return workdays.working_days_between(office_day(today), due)


def by_due_date(cases: list[dict]) -> list[dict]:
    """The case list's order: earliest due date first (overdue ones lead), final statuses last, then by
    arrival."""
    never = date.max
    return sorted(cases, key=lambda c: (as_day(c.get("due_on")) or never,
                                        as_day(c.get("received_at")) or never))


def office_day(moment: date | datetime) -> date:
    """The calendar day a moment falls on in Jakarta (WIB); a naive datetime is taken as UTC."""
    if not isinstance(moment, datetime):
        return moment
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=ZoneInfo("UTC"))
    return moment.astimezone(OFFICE_ZONE).date()


def as_day(value: date | datetime | str | None) -> date | None:
    """A stored date or moment (a date, a datetime, or their ISO text) as an office day; None stays None."""
    if value is None or value == "":
        return None
    if isinstance(value, str):
        value = datetime.fromisoformat(value) if "T" in value or " " in value else date.fromisoformat(value)
    return office_day(value)


def _duration(file_name: str, code: str, entry: dict) -> Duration:
    days, basis = entry.get("working_days"), entry.get("basis")
    final_without_days = basis == "final" and days is None
    counted = basis in BASES and basis != "final" and isinstance(days, int) and days >= 1
    if not (final_without_days or counted) or not entry.get("source"):
        raise ValueError(f"{file_name}: {code} needs a source, and a positive working_days with "
                         f"a basis in {BASES[:2]}, or working_days: null with basis: final")
    return Duration(code, days, basis, str(entry.get("source", "")), bool(entry.get("verified")))
