"""The figures page's period: this month, the last 30 days, the election running now, or dates of one's own.

Days are the officer's own (the unit's WIB, WITA or WIT): a case counts in the period when the day it was
received, on that clock, lies between `since` and `until`, both included. The elections come from the
operator's election calendar (NETRA_ELECTION_CALENDAR, the file routing reads); without it there is no
election period to choose, and choosing it says so.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path

import yaml

KINDS = {"bulan_ini": "Bulan ini", "30_hari": "30 hari terakhir", "pemilihan": "Masa pemilihan ini",
         "pilihan": "Tanggal pilihan"}
DEFAULT = "bulan_ini"
LONGEST_DAYS = 3 * 366


class PeriodError(ValueError):
    """A period that cannot be applied; the message says why, in the officer's language."""


@dataclass(frozen=True)
class Election:
    name: str
    since: date
    until: date


@dataclass(frozen=True)
class Period:
    kind: str
    since: date
    until: date
    name: str

    def holds(self, day: date) -> bool:
        return self.since <= day <= self.until


def load_elections(path: Path | None) -> tuple[Election, ...]:
    """The calendar's elections (name and window); none without a calendar."""
    if path is None:
        return ()
    entries = (yaml.safe_load(Path(path).read_text(encoding="utf-8")) or {}).get("elections") or []
    return tuple(Election(str(e.get("name") or e.get("id")), _day(e["from"]), _day(e["until"])) for e in entries)


def period_from(args, today: date, elections: tuple[Election, ...] = ()) -> Period:
    """The period a query string asks for (`periode`, and `dari`/`sampai` for dates of one's own)."""
    kind = (args.get("periode") or DEFAULT).strip()
    if kind == "bulan_ini":
        return Period(kind, today.replace(day=1), today, KINDS[kind])
    if kind == "30_hari":
        return Period(kind, today - timedelta(days=29), today, KINDS[kind])
    if kind == "pemilihan":
        return election_period(today, elections)
    if kind == "pilihan":
        return chosen_period(args.get("dari", ""), args.get("sampai", ""))
    raise PeriodError(f"Periode tidak dikenal: pilih salah satu dari {', '.join(KINDS.values())}.")


def election_period(today: date, elections: tuple[Election, ...]) -> Period:
    """The election whose window holds today (the earliest begun when several run)."""
    running = sorted((e for e in elections if e.since <= today <= e.until), key=lambda e: e.since)
    if not running:
        raise PeriodError("Tidak ada masa pemilihan yang sedang berjalan menurut kalender pemilihan.")
    return Period("pemilihan", running[0].since, today, running[0].name)


def chosen_period(since_text: str, until_text: str) -> Period:
    since, until = _typed(since_text, "Dari tanggal"), _typed(until_text, "Sampai tanggal")
    if since > until:
        raise PeriodError("Tanggal 'dari' harus sebelum atau sama dengan tanggal 'sampai'.")
    if (until - since).days > LONGEST_DAYS:
        raise PeriodError("Periode paling panjang tiga tahun.")
    return Period("pilihan", since, until, KINDS["pilihan"])


def _typed(text: str, field: str) -> date:
    text = (text or "").strip()
    if not text:
        raise PeriodError(f"{field} wajib diisi untuk tanggal pilihan.")
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise PeriodError(f"{field} tidak valid: {text[:20]!r} (tulis TTTT-BB-HH, mis. 2026-11-01).") from None


def _day(value) -> date:
    return value if isinstance(value, date) and not isinstance(value, datetime) else date.fromisoformat(str(value))
