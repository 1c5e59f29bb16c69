"""The units directory: who can receive a case, and where. Loaded from YAML and checked at start-up."""
from __future__ import annotations

from dataclasses import asdict, dataclass
from pathlib import Path

import yaml

from services.reference import regions

PUSAT = "pusat"
UNIT_FIELDS = ("id", "kind", "name", "email", "region_code")


class RoutingDataError(Exception):
    """A units or rules file that cannot be used; the message names the file and every problem found."""

    def __init__(self, path: Path, problems: list[str]):
        self.path, self.problems = path, problems
        super().__init__(f"{path}: " + "; ".join(problems))


@dataclass(frozen=True)
class Unit:
    id: str
    kind: str
    name: str
    email: str
    region_code: str

    def public(self) -> dict:
        """The unit as case.routed carries it."""
        data = asdict(self)
        return {"unit_id": data.pop("id"), **data}


# Fallback reasons travel as codes (vocabulary kind fallback_reasons); notify puts them into words.
NO_REGION_CODE = "no_region_code"
NO_UNIT_IN_REGION = "no_unit_in_region"
NO_UNIT_IN_REGION_OR_PROVINCE = "no_unit_in_region_or_province"


def region_exists(code: str) -> bool:
    """A unit's or a rule's region: pusat, or a province or regency/city by the one region rule."""
    return code == PUSAT or regions.is_region(code)


class Directory:
    def __init__(self, units: list[Unit]):
        self.units = {unit.id: unit for unit in units}
        self._by_place = {(unit.kind, unit.region_code): unit for unit in units}

    @property
    def kinds(self) -> set[str]:
        return {unit.kind for unit in self.units.values()}

    def at(self, kind: str, region_code: str) -> Unit | None:
        return self._by_place.get((kind, region_code))

    def resolve(self, kind: str, region_code: str | None) -> tuple[Unit | None, list[dict]]:
        """The unit of `kind` for a region, falling back to its province, then to pusat.

        Returns the unit and the fallback taken ([] when the region has its own unit).
        """
        wanted = f"{kind}@{region_code or 'region'}"
        if region_code is None:
            return self._fallback(kind, wanted, PUSAT, NO_REGION_CODE)
        if unit := self.at(kind, region_code):
            return unit, []
        for code in regions.ancestors(region_code):
            if self.at(kind, code):
                return self._fallback(kind, wanted, code, NO_UNIT_IN_REGION)
        reason = NO_UNIT_IN_REGION if region_code == PUSAT else NO_UNIT_IN_REGION_OR_PROVINCE
        return self._fallback(kind, wanted, PUSAT, reason)

    def _fallback(self, kind: str, wanted: str, code: str, reason: str) -> tuple[Unit | None, list[dict]]:
        return self.at(kind, code), [{"wanted": wanted, "used": f"{kind}@{code}", "reason": reason}]


def parse_units(entries) -> tuple[list[Unit], list[str]]:
    if not isinstance(entries, list):
        return [], ["expected a top-level key 'units' holding a list"]
    units, problems = [], []
    for number, entry in enumerate(entries, start=1):
        if not isinstance(entry, dict):
            problems.append(f"unit #{number}: expected id, kind, name, email, region_code")
            continue
        missing = [f for f in UNIT_FIELDS if not isinstance(entry.get(f), str) or not entry[f].strip()]
        if missing:
            problems.append(f"unit #{number}: {', '.join(missing)} must be non-empty text"
                            + (" (quote region codes)" if "region_code" in missing else ""))
            continue
        units.append(Unit(**{f: entry[f].strip() for f in UNIT_FIELDS}))
    return units, problems


def check_units(units: list[Unit]) -> list[str]:
    problems, seen_ids, seen_places = [], set(), set()
    for unit in units:
        if unit.id in seen_ids:
            problems.append(f"unit id {unit.id!r} appears more than once")
        if (unit.kind, unit.region_code) in seen_places:
            problems.append(f"more than one {unit.kind} unit for region {unit.region_code}")
        if not region_exists(unit.region_code):
            problems.append(f"unit {unit.id!r}: region {unit.region_code!r} is not a Kemendagri code nor 'pusat'")
        if "@" not in unit.email:
            problems.append(f"unit {unit.id!r}: email {unit.email!r} is not an address")
        seen_ids.add(unit.id)
        seen_places.add((unit.kind, unit.region_code))
    return problems


def load_directory(path: Path) -> Directory:
    try:
        document = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise RoutingDataError(Path(path), [f"cannot read units: {exc}"]) from None
    units, problems = parse_units((document or {}).get("units") if isinstance(document, dict) else None)
    problems += check_units(units)
    if problems:
        raise RoutingDataError(Path(path), problems)
    return Directory(units)
