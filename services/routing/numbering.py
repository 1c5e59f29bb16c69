"""Case numbers people can read out and write in a letter: `NTR-2026-1403-00123`.

Prefix, the year the case was routed (WIB), the subject's Kemendagri region as four digits (`14.03` →
`1403`, a province `14` → `1400`, a central-government employee `0000`), and a sequence per region and year.
The sequence is a counter row per (region, year) that routing moves in the transaction that stores the case
(repository.CaseRepository.add): a case that is not stored gives its number back, so the numbers have no
gaps, and the row lock makes concurrent routings of one region wait for each other's commit.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

PREFIX = "NTR"
CENTRAL = "0000"
JAKARTA = ZoneInfo("Asia/Jakarta")


@dataclass(frozen=True)
class Series:
    """The numbers one region hands out in one year."""
    region: str
    year: int

    def number(self, sequence: int) -> str:
        return f"{PREFIX}-{self.year}-{self.region}-{sequence:05d}"


def series_of(region_code: str | None, routed_at: datetime) -> Series:
    return Series(region_digits(region_code), routed_at.astimezone(JAKARTA).year)


def region_digits(region_code: str | None) -> str:
    if not region_code:
        return CENTRAL
    parts = region_code.split(".")
    return (parts[0] + (parts[1] if len(parts) > 1 else "00")).zfill(4)
