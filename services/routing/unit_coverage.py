"""What a units directory still lacks: regions without their own unit of a kind, and placeholder addresses.

Also writes a units directory back as YAML, grouped by province like the shipped file, so an imported file
stays readable and diffable.
"""
from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from services.reference.regions import province_of, region_name, regions
from services.routing.directory import PUSAT, Directory, Unit

PLACEHOLDER_SUFFIX = ".invalid"
REGIONAL_KINDS = ("bkd", "kesbangpol", "bawaslu")

HEADER = """\
# Netra units directory: the bodies a case can be routed to.
# Written by `python -m services.routing.contacts import` from an operator's contacts CSV; check what is
# still missing with `python -m services.routing.contacts report`. Each unit: id (unique), kind, name
# (public, shown to reporters), email, region_code (a Kemendagri code such as "14" or "14.03", or "pusat").
# Always quote region_code: unquoted, 14.10 would be read as the number 14.1.
# A region without a unit of some kind falls back to its province, then to the unit at "pusat".
"""


def is_placeholder(email: str) -> bool:
    return email.rpartition("@")[2].lower().endswith(PLACEHOLDER_SUFFIX)


@dataclass
class Coverage:
    regions: int = 0
    fallbacks: dict[str, list[tuple[str, str]]] = field(default_factory=dict)   # kind -> [(region, used)]
    placeholders: list[str] = field(default_factory=list)                      # unit ids
    units: int = 0


def every_region() -> list[str]:
    provinces = [p["code"] for p in regions()]
    return provinces + [r["code"] for p in provinces for r in regions(p)]


def coverage(directory: Directory, kinds=REGIONAL_KINDS) -> Coverage:
    """Which regions fall back for each kind (and to what), and which units still have placeholder emails."""
    codes, report = every_region(), Coverage()
    report.regions, report.units = len(codes), len(directory.units)
    for kind in kinds:
        report.fallbacks[kind] = [(code, fallback[0]["used"]) for code in codes
                                  for _, fallback in [directory.resolve(kind, code)] if fallback]
    report.placeholders = sorted(u.id for u in directory.units.values() if is_placeholder(u.email))
    return report


def render_coverage(report: Coverage, limit: int = 15) -> str:
    lines = [f"{report.regions} regions (provinces, regencies and cities), {report.units} units"]
    for kind, fallbacks in report.fallbacks.items():
        shown = ", ".join(f"{code}->{used}" for code, used in fallbacks[:limit])
        more = f" (+{len(fallbacks) - limit} more)" if len(fallbacks) > limit else ""
        lines.append(f"{kind}: {len(fallbacks)} region(s) fall back" + (f": {shown}{more}" if fallbacks else ""))
    shown = ", ".join(report.placeholders[:limit])
    more = f" (+{len(report.placeholders) - limit} more)" if len(report.placeholders) > limit else ""
    lines.append(f"placeholder addresses (*{PLACEHOLDER_SUFFIX}): {len(report.placeholders)} of {report.units} units"
                 + (f": {shown}{more}" if report.placeholders else ""))
    return "\n".join(lines)


def heading(code: str) -> str:
    return "Pusat" if code == PUSAT else f"{code} {region_name(code) or ''}".rstrip()


def render_units(units: list[Unit]) -> str:
    groups: dict[str, list[Unit]] = {}
    for unit in units:
        groups.setdefault(PUSAT if unit.region_code == PUSAT else province_of(unit.region_code), []).append(unit)
    order = sorted(groups, key=lambda code: (code != PUSAT, code))
    parts = [HEADER, "units:\n"]
    for code in order:
        parts.append(f"\n# --- {heading(code)} ---\n")
        parts += [yaml.safe_dump([{"id": u.id, "kind": u.kind, "name": u.name, "email": u.email,
                                   "region_code": u.region_code}], sort_keys=False, allow_unicode=True, width=200)
                  for u in groups[code]]
    return "".join(parts)


def write_units(units: list[Unit], target: Path) -> None:
    """Writes atomically: a reader never sees half a file."""
    temporary = target.with_name(f".{target.name}.tmp")
    temporary.write_text(render_units(units), encoding="utf-8")
    os.replace(temporary, target)
