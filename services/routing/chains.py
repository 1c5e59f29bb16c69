"""The legal path of a case as data (services/reference/data/chains.yaml): which chain of steps applies to a
case, and the units that own its steps.

The first step is the unit rules.yaml chose, so its fallbacks and transfers stay as they were; the later
steps are roles resolved like the rules' roles, for the subject's region. A conflict of interest moves a
step: when the reported civil servant works at the unit that would own it (the subject's agency names that
unit), the step goes to the step's `conflict` role, the body above, and the unit gets no copy of the case.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, replace
from pathlib import Path

import yaml

from services.reference import vocabulary

from .directory import Directory, RoutingDataError, Unit
from .rules import ANY, CONTEXTS, REPORTERS, Assignment, KanregFor, Role, Situation, _choice, _role, resolve_kanreg

TASKS = ("periksa", "rekomendasi", "putusan", "pantau")
OUTCOMES = ("rekomendasi", "keputusan", "hasil_pemantauan")


@dataclass(frozen=True)
class StepPlan:
    unit: Role
    task: str
    outcome: str
    clocks: dict  # election context (or "any") -> clock id of deadlines.yaml
    basis: str = ""
    conflict: Role | None = None  # owns the step instead when the subject works at the step's unit

    def clock_for(self, contexts: tuple[str, ...]) -> str | None:
        return next((self.clocks[c] for c in (*contexts, "any") if c in self.clocks), None)


@dataclass(frozen=True)
class Chain:
    id: str
    employer_levels: frozenset[str] | None
    contexts: frozenset[str] | None
    reporters: frozenset[str] | None
    steps: tuple[StepPlan, ...]

    def matches(self, case: Situation) -> bool:
        reporter = "named" if case.reporter_named else "anonymous"
        return ((self.employer_levels is None or case.employer_level in self.employer_levels)
                and (self.contexts is None or bool(self.contexts & set(case.contexts)))
                and (self.reporters is None or reporter in self.reporters))


@dataclass(frozen=True)
class Chains:
    chains: tuple[Chain, ...]

    def select(self, case: Situation) -> Chain | None:
        return next((chain for chain in self.chains if chain.matches(case)), None)


def resolve(role: Role, region_code: str | None, directory: Directory, kanreg_for: KanregFor):
    if role.scope == "kanreg":
        return resolve_kanreg(role.kind, region_code, directory, kanreg_for)[0]
    return directory.resolve(role.kind, role.region_for(region_code))[0]


def works_at(agency: str | None, unit: Unit) -> bool:
    """Whether the subject's agency, as the reporter typed it, names this unit (case and punctuation aside)."""
    return bool(agency) and _words(agency) == _words(unit.name)


def _words(text: str) -> tuple[str, ...]:
    return tuple(re.findall(r"\w+", text.casefold()))


def step_units(chain: Chain, case: Situation, assignment: Assignment, directory: Directory, kanreg_for: KanregFor,
               agency: str | None = None) -> list[tuple[Unit, Unit | None]]:
    """Each step's unit, with the unit a conflict of interest moved the step away from (None when none did)."""
    units = []
    for number, plan in enumerate(chain.steps, start=1):
        unit = assignment.primary if number == 1 else resolve(plan.unit, case.region_code, directory, kanreg_for)
        if plan.conflict is not None and works_at(agency, unit):
            units.append((resolve(plan.conflict, case.region_code, directory, kanreg_for), unit))
        else:
            units.append((unit, None))
    return units


def planned_steps(chain: Chain, case: Situation, assignment: Assignment, directory: Directory,
                  kanreg_for: KanregFor, agency: str | None = None) -> dict:
    """The chain as the case carries it (case.routed's `chain`): each step's unit, task, outcome and clock."""
    units = step_units(chain, case, assignment, directory, kanreg_for, agency)
    steps = [{"number": number, "unit_id": unit.id, "name": unit.name, "task": plan.task, "outcome": plan.outcome,
              "clock": plan.clock_for(case.contexts), "basis": plan.basis}
             for number, (plan, (unit, _)) in enumerate(zip(chain.steps, units), start=1)]
    return {"chain_id": chain.id, "steps": steps}


def without_conflicts(assignment: Assignment, units: list[tuple[Unit, Unit | None]]) -> Assignment:
    """The first routing as the chain's first step wants it: its unit first, and no unit the subject works at
    (a step moved away from it) in copy."""
    moved_from = {old.id for _, old in units if old is not None}
    primary = units[0][0]
    copies = tuple(unit for unit in (assignment.primary, *assignment.copies)
                   if unit.id not in moved_from and unit.id != primary.id)
    return replace(assignment, primary=primary, copies=copies)


def parse_step(entry, where: str, directory: Directory, problems: list[str]) -> StepPlan | None:
    if not isinstance(entry, dict):
        problems.append(f"{where}: expected unit, task, outcome")
        return None
    role = _role(entry.get("unit"), directory, where, problems)
    if entry.get("task") not in TASKS:
        problems.append(f"{where}: task must be one of {', '.join(TASKS)}")
    if entry.get("outcome") not in OUTCOMES:
        problems.append(f"{where}: outcome must be one of {', '.join(OUTCOMES)}")
    clocks = entry.get("clock") or {}
    if not isinstance(clocks, dict):
        problems.append(f"{where}: clock must map an election context (or any) to a clock id")
        clocks = {}
    conflict = _role(entry["conflict"], directory, f"{where} conflict", problems) if entry.get("conflict") else None
    return StepPlan(role, str(entry.get("task")), str(entry.get("outcome")),
                    {str(k): str(v) for k, v in clocks.items()}, str(entry.get("basis") or ""), conflict)


def parse_chain(entry, number: int, directory: Directory, clock_ids: set[str], problems: list[str]) -> Chain:
    where = f"chain {entry.get('id')!r}" if isinstance(entry, dict) and entry.get("id") else f"chain #{number}"
    if not isinstance(entry, dict) or not isinstance(entry.get("steps"), list) or not entry["steps"]:
        problems.append(f"{where}: needs id, match and a non-empty list of steps")
        return Chain("", None, None, None, ())
    match = entry.get("match") or {}
    steps = tuple(parse_step(step, f"{where} step {n}", directory, problems)
                  for n, step in enumerate(entry["steps"], start=1))
    problems += [f"{where}: unknown clock {clock!r}" for step in steps if step
                 for clock in step.clocks.values() if clock not in clock_ids]
    return Chain(str(entry.get("id") or ""),
                 _choice(match.get("employer_levels", ANY), frozenset(vocabulary.codes("employer_levels")),
                         f"{where} levels", problems),
                 _choice(match.get("contexts", ANY), frozenset(CONTEXTS), f"{where} contexts", problems),
                 _choice(match.get("reporters", ANY), frozenset(REPORTERS), f"{where} reporters", problems), steps)


def load_chains(path: Path, directory: Directory, clock_ids: set[str]) -> Chains:
    try:
        document = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise RoutingDataError(Path(path), [f"cannot read chains: {exc}"]) from None
    entries = document.get("chains") if isinstance(document, dict) else None
    if not isinstance(entries, list) or not entries:
        raise RoutingDataError(Path(path), ["expected a top-level key 'chains' holding a non-empty list"])
    problems: list[str] = []
    chains = tuple(parse_chain(entry, n, directory, clock_ids, problems) for n, entry in enumerate(entries, 1))
    if problems:
        raise RoutingDataError(Path(path), problems)
    return Chains(chains)
