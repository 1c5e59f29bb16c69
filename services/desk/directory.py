"""The units directory, read as data from the shared units file (services/reference/data/units.yaml, or
NETRA_UNITS_FILE): id -> public name."""
from __future__ import annotations

import functools
from pathlib import Path

import yaml


@functools.cache
def load_units(path: Path) -> dict[str, str]:
    data = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    return {unit["id"]: unit["name"] for unit in data["units"]}


@functools.cache
def unit_addresses(path: Path) -> dict[str, dict]:
    """id -> {"name", "email"}: where a unit's daily digest goes."""
    data = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    return {unit["id"]: {"name": unit["name"], "email": unit.get("email", "")} for unit in data["units"]}


@functools.cache
def unit_entries(path: Path) -> dict[str, dict]:
    """id -> {"name", "email", "kind", "region_code"}: what escalation needs to find the body above a unit."""
    data = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    return {unit["id"]: {"name": unit["name"], "email": unit.get("email", ""), "kind": unit.get("kind"),
                         "region_code": str(unit.get("region_code", ""))} for unit in data["units"]}


@functools.cache
def unit_regions(path: Path) -> dict[str, str | None]:
    """id -> the unit's region code (None for a central body): where its own clock is (reference.zones)."""
    data = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    return {unit["id"]: unit.get("region_code") for unit in data["units"]}
