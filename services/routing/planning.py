"""Who gets a case and on which legal footing: the rule that matches the case in its election context and
with its reporter named or not, the units it names (plus the conflict-of-interest copies), and the case's
legal facts (bases, clocks, its chain of steps, which moves a step away from a unit the subject works at)."""
from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime
from zoneinfo import ZoneInfo

from services.common.envelope import Permanent
from services.reference import regions

from .chains import Chains, planned_steps, step_units, without_conflicts
from .directory import Directory
from .grouping import GroupPolicy
from .legal_facts import LegalFacts, Statutes, act_date
from .rules import Assignment, RuleSet, Situation, assign

JAKARTA = ZoneInfo("Asia/Jakarta")


@dataclass(frozen=True)
class Router:
    directory: Directory
    rules: RuleSet
    statutes: Statutes
    grouping: GroupPolicy | None = None  # reports of the same act share a group (grouping.py); None: off
    chains: Chains | None = None  # the legal path, step by step (chains.py); None: one step, as rules say


def plan(archived: dict, router: Router, now: datetime) -> tuple[Assignment, LegalFacts]:
    subject, category = archived["subject"], archived["violation"]["category"]
    region = subject.get("region_code")
    if region is not None and not regions.is_region(region):
        raise Permanent(f"unknown region code {region!r}")
    today = now.astimezone(JAKARTA).date()
    act = act_date(archived["violation"], today)
    facts = router.statutes.facts(category, subject, act)
    case = Situation(category, subject["employer_level"], region, facts.contexts, archived["reporter_named"])
    rule = router.rules.match(case)
    if rule is None:
        raise Permanent(f"no routing rule matches category={category} employer_level={subject['employer_level']} "
                        f"region={region} contexts={','.join(facts.contexts)} named={case.reporter_named}")
    extra = router.rules.conflict_copies if facts.conflict_of_interest else ()
    assignment = assign(rule, region, router.directory, router.statutes.law.kanreg_for, extra)
    if any(unit.kind == "bawaslu" for unit in (assignment.primary, *assignment.copies)):
        facts = LegalFacts(facts.contexts, facts.conflict_of_interest, facts.breach_kinds, facts.legal_basis,
                           router.statutes.deadlines(facts.contexts, act, today))
    chain = router.chains.select(case) if router.chains else None
    if chain is not None:
        kanreg_for, agency = router.statutes.law.kanreg_for, subject.get("agency")
        units = step_units(chain, case, assignment, router.directory, kanreg_for, agency)
        assignment = without_conflicts(assignment, units)
        facts = replace(facts, chain=planned_steps(chain, case, assignment, router.directory, kanreg_for, agency))
    return assignment, facts
