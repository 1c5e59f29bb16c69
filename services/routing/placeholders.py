"""Production does not route to a placeholder address: a case mailed to `*.invalid` reaches nobody.

A unit counts when a rule can route to it: its kind is named by some rule, as primary, in copy or in the
copies added when a region's head is a candidate, or by a step of a chain (a role's scope picks the unit by region, and a region
without its own unit falls back to its province and the centre, so any unit of a named kind may be the one).
"""
from __future__ import annotations

from services.routing.chains import Chains
from services.routing.directory import Directory
from services.routing.rules import RuleSet
from services.routing.unit_coverage import is_placeholder


def routable_kinds(rules: RuleSet) -> set[str]:
    roles = [role for rule in rules.rules for role in (rule.primary, *rule.copies)]
    return {role.kind for role in (*roles, *rules.conflict_copies)}


def placeholder_units(directory: Directory, rules: RuleSet, chains: Chains | None = None) -> list[str]:
    """Ids of the units rules or chains can route to whose address is still a placeholder, sorted."""
    kinds = routable_kinds(rules) | {step.unit.kind for chain in (chains.chains if chains else ())
                                     for step in chain.steps}
    return sorted(unit.id for unit in directory.units.values() if unit.kind in kinds and is_placeholder(unit.email))
