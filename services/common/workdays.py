"""Indonesian working days, shared: the desk's deadlines and routing's statutory clocks.

A working day is Monday to Friday, except the national holidays (`libur_nasional`) and the collective
leave (`cuti_bersama`) that the yearly SKB 3 Menteri sets; government offices close on both. The dates
come from lokal-id's `lokal.holidays`, which carries each year's decree and its source. A year that data
does not cover raises `HolidaysNotPublished`: counting it as all working days would quietly put every
deadline on a holiday.
"""
from __future__ import annotations

from datetime import date, datetime, timedelta
from functools import cache

from lokal import holidays

ONE_DAY = timedelta(days=1)


class HolidaysNotPublished(ValueError):
    """The holiday data has no SKB for this year, so its working days are unknown."""

    def __init__(self, year: int):
        self.year = year
        covered = ", ".join(str(y) for y in covered_years())
        super().__init__(f"Hari libur tahun {year} belum tersedia (tersedia: {covered}); "
                         f"perbarui paket lokal-id setelah SKB 3 Menteri tahun itu terbit.")


def covered_years() -> tuple[int, ...]:
    return tuple(holidays.HOLIDAY_YEARS)


def decree(year: int) -> dict[str, str]:
    """The SKB that sets a year's holidays and where it was published."""
    _require(year)
    found = holidays.get_holidays(year)
    return {"year": str(year), "decree": found.decree, "source": found.source}


def days_off(year: int) -> dict[date, str]:
    """The decree's days off of a year (libur nasional and cuti bersama), each with its name."""
    _require(year)
    return {date.fromisoformat(h.date): h.name for h in holidays.get_holidays(year).holidays}


def is_working_day(day: date) -> bool:
    """Monday to Friday and not a day off of the year's decree (the rule of lokal.holidays.is_working_day
    with cuti_bersama=True, over a set per year: a digest asks this tens of thousands of times)."""
    day = as_date(day)
    closed = _closed(day.year)  # first, so a weekend of an unpublished year is refused too
    return day.weekday() < 5 and day not in closed


def add_working_days(start: date, n: int) -> date:
    """The n-th working day after start (before it when n is negative); start itself never counts."""
    day, step, left = as_date(start), ONE_DAY if n >= 0 else -ONE_DAY, abs(n)
    _require(day.year)
    while left:
        day += step
        left -= is_working_day(day)
    return day


def working_days_between(a: date, b: date) -> int:
    """Working days after a up to and including b; negative when b is before a.

    So `working_days_between(a, add_working_days(a, n)) == n`.
    """
    a, b = as_date(a), as_date(b)
    if b < a:
        return -working_days_between(b, a)
    for year in range(a.year, b.year + 1):
        _require(year)
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


@cache
def _closed(year: int) -> frozenset[date]:
    return frozenset(days_off(year))


def _require(year: int) -> None:
    if year not in covered_years():
        raise HolidaysNotPublished(year)
