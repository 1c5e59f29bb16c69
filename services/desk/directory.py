"""The units directory, read as data from the shared units file (services/reference/data/units.yaml, or
NETRA_UNITS_FILE): id -> public name."""
from __future__ import annotations

import functools
from pathlib import Path

import yaml


@functools.cache
def _units(path: Path) -> tuple[dict, ...]:
    """The file's units, parsed once per process (2,210 of them); the views below each pick what they need."""
    return tuple(yaml.safe_load(Path(path).read_text(encoding="utf-8"))["units"])


@functools.cache
def load_units(path: Path) -> dict[str, str]:
    return {unit["id"]: unit["name"] for unit in _units(path)}


@functools.cache
def unit_addresses(path: Path) -> dict[str, dict]:
    """id -> {"name", "email"}: where a unit's daily digest goes."""
    return {unit["id"]: {"name": unit["name"], "email": unit.get("email", "")} for unit in _units(path)}


@functools.cache
def unit_entries(path: Path) -> dict[str, dict]:
    """id -> {"name", "email", "kind", "region_code"}: what escalation needs to find the body above a unit."""
    return {unit["id"]: {"name": unit["name"], "email": unit.get("email", ""), "kind": unit.get("kind"),
                         "region_code": str(unit.get("region_code", ""))} for unit in _units(path)}


@functools.cache
def unit_regions(path: Path) -> dict[str, str | None]:
    """id -> the unit's region code (None for a central body): where its own clock is (reference.zones)."""
    return {unit["id"]: unit.get("region_code") for unit in _units(path)}
