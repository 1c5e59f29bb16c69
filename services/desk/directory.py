"""The units directory, read as data from the routing data file (or NETRA_UNITS_FILE): id -> public name."""
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
def unit_regions(path: Path) -> dict[str, str]:
    """id -> region code ("14", "14.03", "pusat"): where a unit sits, which sets the zone its times show in."""
    data = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    return {unit["id"]: str(unit.get("region_code", "")) for unit in data["units"]}
