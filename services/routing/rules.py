"""Routing rules as data: the first rule that matches a case (category, employer level, region, election
context, named or anonymous reporter) names its primary unit and its copies; a conflict of interest of the
region's head adds the copies the rules file names for it."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Callable

import yaml

from services.reference import vocabulary

from .directory import (NO_REGION_CODE, NO_UNIT_IN_REGION_OR_PROVINCE, PUSAT, Directory, RoutingDataError, Unit,
                        region_exists)

SCOPES = ("region", "province", "pusat", "kanreg")
CONTEXTS = ("pemilu", "pilkada", "di_luar_pemilihan")
REPORTERS = ("named", "anonymous")
ANY = "*"


@dataclass(frozen=True)
class Role:
    kind: str
    scope: str

    @classmethod
    def parse(cls, text) -> "Role":
        kind, _, scope = str(text).partition("@")
        if not kind or scope not in SCOPES:
            raise ValueError(f"role {text!r} is not <kind>@region, <kind>@province, <kind>@pusat or <kind>@kanreg")
        return cls(kind, scope)

    def region_for(self, region_code: str | None) -> str | None:
        """The region whose unit this role wants for a subject in `region_code`."""
        if self.scope == "pusat":
            return PUSAT
        if region_code is None or self.scope == "region":
            return region_code
        return region_code[:2]


@dataclass(frozen=True)
class Situation:
    """What a rule matches on."""
    category: str
    employer_level: str
    region_code: str | None
    contexts: tuple[str, ...] = ("di_luar_pemilihan",)
    reporter_named: bool = False


@dataclass(frozen=True)
class Rule:
    id: str
    categories: frozenset[str] | None  # None: any
    employer_levels: frozenset[str] | None
    regions: tuple[str, ...] | None
    primary: Role
    copies: tuple[Role, ...]
    contexts: frozenset[str] | None = None  # matches when one of the case's contexts is listed
    reporters: frozenset[str] | None = None

    def matches(self, case: Situation) -> bool:
        reporter = "named" if case.reporter_named else "anonymous"
        return ((self.categories is None or case.category in self.categories)
                and (self.employer_levels is None or case.employer_level in self.employer_levels)
                and (self.regions is None or in_regions(case.region_code, self.regions))
                and (self.contexts is None or bool(self.contexts & set(case.contexts)))
                and (self.reporters is None or reporter in self.reporters))


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
    def __init__(self, rules: list[Rule], conflict_copies: tuple[Role, ...] = ()):
        self.rules = rules
        self.conflict_copies = conflict_copies  # added when the region's head is a candidate

    def match(self, case: Situation) -> Rule | None:
        return next((r for r in self.rules if r.matches(case)), None)


KanregFor = Callable[[str | None], str | None]


def assign(rule: Rule, region_code: str | None, directory: Directory, kanreg_for: KanregFor = lambda _: None,
           extra: tuple[Role, ...] = ()) -> Assignment:
    """The units a rule names for a subject's region (plus `extra` copies), with every fallback taken."""
    units, fallback = [], []
    for role in (rule.primary, *rule.copies, *extra):
        if role.scope == "kanreg":
            unit, steps = resolve_kanreg(role.kind, region_code, directory, kanreg_for)
        else:
            unit, steps = directory.resolve(role.kind, role.region_for(region_code))
        fallback += steps
        if unit not in units:  # a copy that fell back onto a unit already named is not sent twice
            units.append(unit)
    return Assignment(rule.id, units[0], tuple(units[1:]), tuple(fallback))


def resolve_kanreg(kind: str, region_code: str | None, directory: Directory, kanreg_for: KanregFor):
    """The BKN regional office whose area holds the region's province, or the kind's unit at pusat."""
    unit = directory.units.get(kanreg_for(region_code) or "")
    if unit is not None and unit.kind == kind:
        return unit, []
    reason = NO_REGION_CODE if region_code is None else NO_UNIT_IN_REGION_OR_PROVINCE
    return directory.at(kind, PUSAT), [{"wanted": f"{kind}@{region_code or 'region'}",
                                        "used": f"{kind}@{PUSAT}", "reason": reason}]


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


def _roles(texts, directory: Directory, where: str, problems: list[str]) -> tuple[Role, ...]:
    return tuple(_role(text, directory, where, problems) for text in texts or [])


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
        copies=_roles(entry.get("copies"), directory, f"{where} copy", found),
        contexts=_choice(match.get("contexts", ANY), frozenset(CONTEXTS), f"{where} contexts", found),
        reporters=_choice(match.get("reporters", ANY), frozenset(REPORTERS), f"{where} reporters", found),
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
    conflict = document.get("conflict_of_interest") or {}
    conflict_copies = _roles(conflict.get("copies") if isinstance(conflict, dict) else None, directory,
                             "conflict_of_interest copy", problems)
    ids = [str(e["id"]) for e in entries if isinstance(e, dict) and e.get("id")]
    problems += [f"rule id {i!r} appears more than once" for i in sorted({i for i in ids if ids.count(i) > 1})]
    if problems:
        raise RoutingDataError(Path(path), problems)
    return RuleSet(rules, conflict_copies)
