"""Routing rules as data: the first rule that matches a case names its primary unit and its copies."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import yaml

from services.reference import vocabulary

from .directory import PUSAT, Directory, RoutingDataError, Unit, region_exists

SCOPES = ("region", "province", "pusat")
ANY = "*"


@dataclass(frozen=True)
class Role:
    kind: str
    scope: str

    @classmethod
    def parse(cls, text) -> "Role":
        kind, _, scope = str(text).partition("@")
        if not kind or scope not in SCOPES:
            raise ValueError(f"role {text!r} is not <kind>@region, <kind>@province or <kind>@pusat")
        return cls(kind, scope)

    def region_for(self, region_code: str | None) -> str | None:
        """The region whose unit this role wants for a subject in `region_code`."""
        if self.scope == "pusat":
            return PUSAT
        if region_code is None or self.scope == "region":
            return region_code
        return region_code[:2]


@dataclass(frozen=True)
class Rule:
    id: str
    categories: frozenset[str] | None  # None: any
    employer_levels: frozenset[str] | None
    regions: tuple[str, ...] | None
    primary: Role
    copies: tuple[Role, ...]

    def matches(self, category: str, employer_level: str, region_code: str | None) -> bool:
        return ((self.categories is None or category in self.categories)
                and (self.employer_levels is None or employer_level in self.employer_levels)
                and (self.regions is None or in_regions(region_code, self.regions)))


def in_regions(region_code: str | None, prefixes: tuple[str, ...]) -> bool:
    return region_code is not None and any(
        region_code == prefix or region_code.startswith(prefix + ".") for prefix in prefixes)


@dataclass(frozen=True)
class Assignment:
    rule_id: str
    primary: Unit
    copies: tuple[Unit, ...]
    fallback: tuple[dict, ...]


class RuleSet:
    def __init__(self, rules: list[Rule]):
        self.rules = rules

    def match(self, category: str, employer_level: str, region_code: str | None) -> Rule | None:
        return next((r for r in self.rules if r.matches(category, employer_level, region_code)), None)


def assign(rule: Rule, region_code: str | None, directory: Directory) -> Assignment:
    """The units a rule names for a subject's region, with every fallback taken on the way."""
    units, fallback = [], []
    for role in (rule.primary, *rule.copies):
        unit, steps = directory.resolve(role.kind, role.region_for(region_code))
        fallback += steps
        if unit not in units:  # a copy that fell back onto a unit already named is not sent twice
            units.append(unit)
    return Assignment(rule.id, units[0], tuple(units[1:]), tuple(fallback))


def _choice(value, allowed: frozenset[str] | None, what: str, problems: list[str]) -> frozenset | None:
    if value == ANY:
        return None
    if not isinstance(value, list) or not value:
        problems.append(f"{what} must be \"*\" or a non-empty list")
        return frozenset()
    unknown = [v for v in value if allowed is not None and v not in allowed]
    problems += [f"{what}: unknown value {v!r}" for v in unknown]
    return frozenset(str(v) for v in value)


def _role(text, directory: Directory, where: str, problems: list[str]) -> Role | None:
    try:
        role = Role.parse(text)
    except ValueError as exc:
        problems.append(f"{where}: {exc}")
        return None
    if role.kind not in directory.kinds:
        problems.append(f"{where}: no unit of kind {role.kind!r} in the units directory")
    elif directory.at(role.kind, PUSAT) is None:
        problems.append(f"{where}: kind {role.kind!r} has no unit at pusat to fall back to")
    return role


def parse_rule(entry, number: int, directory: Directory, problems: list[str]) -> Rule | None:
    if not isinstance(entry, dict) or not isinstance(entry.get("match"), dict):
        problems.append(f"rule #{number}: needs id, match, primary")
        return None
    where = f"rule {entry['id']!r}" if entry.get("id") else f"rule #{number}"
    match, found = entry["match"], []
    regions = _choice(match.get("regions", ANY), None, f"{where} regions", found)
    found += [f"{where}: region {r!r} is not a Kemendagri code" for r in regions or () if not region_exists(r)]
    rule = Rule(
        id=str(entry.get("id") or ""),
        categories=_choice(match.get("categories", ANY), frozenset(vocabulary.codes("categories")),
                           f"{where} categories", found),
        employer_levels=_choice(match.get("employer_levels", ANY), frozenset(vocabulary.codes("employer_levels")),
                                f"{where} levels", found),
        regions=None if regions is None else tuple(sorted(regions)),
        primary=_role(entry.get("primary"), directory, f"{where} primary", found),
        copies=tuple(_role(c, directory, f"{where} copy", found) for c in entry.get("copies") or []),
    )
    problems += found + ([f"rule #{number}: needs an id"] if not rule.id else [])
    return None if found else rule


def load_rules(path: Path, directory: Directory) -> RuleSet:
    try:
        document = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise RoutingDataError(Path(path), [f"cannot read rules: {exc}"]) from None
    entries = document.get("rules") if isinstance(document, dict) else None
    if not isinstance(entries, list) or not entries:
        raise RoutingDataError(Path(path), ["expected a top-level key 'rules' holding a non-empty list"])
    problems: list[str] = []
    rules = [parse_rule(entry, n, directory, problems) for n, entry in enumerate(entries, start=1)]
    ids = [str(e["id"]) for e in entries if isinstance(e, dict) and e.get("id")]
    problems += [f"rule id {i!r} appears more than once" for i in sorted({i for i in ids if ids.count(i) > 1})]
    if problems:
        raise RoutingDataError(Path(path), problems)
    return RuleSet(rules)
