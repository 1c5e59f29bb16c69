"""Indonesian working days, shared: the desk's deadlines and routing's statutory clocks.

A working day is Monday to Friday, except the national holidays (`libur_nasional`) and the collective
leave (`cuti_bersama`) that the yearly SKB 3 Menteri sets; government offices close on both. The dates
come from lokal-id's `lokal.holidays`, which carries each year's decree and its source.

A year that data does not cover yet is counted as an estimate ("perkiraan"): Monday to Friday less the
days of the operator's holiday file (NETRA_ESTIMATED_HOLIDAYS_FILE, see `estimate_with`). A deadline must
never crash, and the estimate says so wherever a date of such a year is shown; `decree` alone still
raises `HolidaysNotPublished`, since an estimate has no decree.
"""
from __future__ import annotations

from datetime import date, datetime, timedelta
from pathlib import Path

import structlog
import yaml
from lokal import holidays

ONE_DAY = timedelta(days=1)
log = structlog.get_logger()
_estimated: dict[date, str] = {}  # the operator's holiday file: days off of years lokal-id does not cover
_closed_by_year: dict[int, frozenset[date]] = {}


class HolidaysNotPublished(ValueError):
    """The holiday data has no SKB for this year, so its working days are unknown."""

    def __init__(self, year: int):
        self.year = year
        covered = ", ".join(str(y) for y in covered_years())
        super().__init__(f"Hari libur tahun {year} belum tersedia (tersedia: {covered}); "
                         f"perbarui paket lokal-id setelah SKB 3 Menteri tahun itu terbit.")


def covered_years() -> tuple[int, ...]:
    return tuple(holidays.HOLIDAY_YEARS)


def last_published_day() -> date:
    """The last day the published holiday data covers; after it every deadline is an estimate."""
    return date(max(covered_years()), 12, 31)


def is_estimate(day: date | datetime) -> bool:
    """Whether working days up to this day are an estimate: its year has no published decree."""
    return as_date(day).year not in covered_years()


def estimate_with(days_off_: dict[date, str]) -> None:
    """Use these days off (the operator's holiday file) for the years lokal-id does not cover."""
    _estimated.clear()
    _estimated.update(days_off_)
    _closed_by_year.clear()


def load_holiday_file(path: Path) -> dict[date, str]:
    """The operator's holiday file: a YAML mapping of ISO dates to names, e.g. `2028-01-01: Tahun Baru`.

    ValueError with the file's name when it is not such a mapping."""
    raw = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    if not isinstance(raw, dict):
        raise ValueError(f"{path}: expected a mapping of dates to names, e.g. 2028-01-01: Tahun Baru Masehi")
    try:
        return {day if isinstance(day, date) else date.fromisoformat(str(day)): str(name)
                for day, name in raw.items()}
    except ValueError as exc:
        raise ValueError(f"{path}: {exc}") from None


def decree(year: int) -> dict[str, str]:
    """The SKB that sets a year's holidays and where it was published."""
    _require(year)
    found = holidays.get_holidays(year)
    return {"year": str(year), "decree": found.decree, "source": found.source}


def days_off(year: int) -> dict[date, str]:
    """The decree's days off of a year (libur nasional and cuti bersama), each with its name; for a year
    without a decree, the days of the operator's holiday file in that year."""
    if year not in covered_years():
        return {day: name for day, name in _estimated.items() if day.year == year}
    return {date.fromisoformat(h.date): h.name for h in holidays.get_holidays(year).holidays}


def is_working_day(day: date) -> bool:
    """Monday to Friday and not a day off of the year's decree (the rule of lokal.holidays.is_working_day
    with cuti_bersama=True, over a set per year: a digest asks this tens of thousands of times)."""
    day = as_date(day)
    return day.weekday() < 5 and day not in _closed(day.year)


def add_working_days(start: date, n: int, also_closed: frozenset[date] = frozenset()) -> date:
    """The n-th working day after start (before it when n is negative); start itself never counts, nor
    the days of also_closed (say, an election calendar's own holidays)."""
    day, step, left = as_date(start), ONE_DAY if n >= 0 else -ONE_DAY, abs(n)
    while left:
        day += step
        left -= is_working_day(day) and day not in also_closed
    return day


def working_days_between(a: date, b: date) -> int:
    """Working days after a up to and including b; negative when b is before a.

    So `working_days_between(a, add_working_days(a, n)) == n`.
    """
    a, b = as_date(a), as_date(b)
    if b < a:
        return -working_days_between(b, a)
    closed = sum(1 for year in range(a.year, b.year + 1) for day in _closed(year)
                 if a < day <= b and day.weekday() < 5)
    return _weekdays_through(b) - _weekdays_through(a) - closed


def as_date(value: date | datetime) -> date:
    """A datetime counts as the calendar day it shows in its own time zone."""
    return value.date() if isinstance(value, datetime) else value


def _weekdays_through(day: date) -> int:
    """Mondays to Fridays from 1 January of year 1 (a Monday) up to and including day."""
    weeks, rest = divmod(day.toordinal(), 7)
    return weeks * 5 + min(rest, 5)


def _closed(year: int) -> frozenset[date]:
    if year not in _closed_by_year:
        if year not in covered_years():
            log.warning("workdays.estimated_year", year=year, last_published=last_published_day().isoformat(),
                        estimated_holidays=len(days_off(year)),
                        advice="deadlines of this year are estimates (perkiraan): update lokal-id once the "
                               "year's SKB 3 Menteri is published, or set NETRA_ESTIMATED_HOLIDAYS_FILE")
        _closed_by_year[year] = frozenset(days_off(year))
    return _closed_by_year[year]


def _require(year: int) -> None:
    if year not in covered_years():
        raise HolidaysNotPublished(year)
