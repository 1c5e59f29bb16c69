"""A routed case: the units it went to (first routing, then each approved transfer), each recorded in its
history.

The case is built first; the case.routed event is derived from it, so a redelivery re-announces exactly
the same routing (same event id, same time) without storing the event itself.
"""
from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import datetime

from services.common.envelope import derived_event_id, new_event

from .directory import Unit
from .legal_facts import LegalFacts
from .numbering import Series, series_of
from .rules import Assignment

ROUTED = "routed"
TRANSFERRED = "transferred"
STEP_OPENED = "step_opened"
DOSSIER_FIELDS = ("subject", "violation", "files", "manifest_key", "source", "reporter_named")


@dataclass(frozen=True)
class Refusal:
    """A move the case does not allow, and why."""
    reason: str


@dataclass(frozen=True)
class Routing:
    """One decision of who handles the case: the first routing, or an approved transfer."""
    primary: dict  # the unit as case.routed carries it
    copies: tuple[dict, ...]
    matched_rule: str
    fallback: tuple[dict, ...]
    routed_at: datetime
    transfer_id: str | None = None
    from_unit_id: str | None = None


@dataclass(frozen=True)
class StatusChange:
    """A line of the case's history: routed, or transferred. Whether a unit was told is intake's record."""
    status: str
    at: datetime
    event_id: str | None
    detail: str | None = None


@dataclass
class Case:
    case_id: str
    complaint_id: str
    tracking_code: str
    dossier: dict  # DOSSIER_FIELDS as evidence.archived carried them, and the case's legal facts
    routings: list[Routing]
    new_routings: list[Routing] = field(default_factory=list)  # not stored yet
    new_changes: list[StatusChange] = field(default_factory=list)
    group: dict = field(default_factory=dict)  # grouping.group_payload: the same act reported by others
    case_number: str | None = None  # numbering.py: given when the case is stored

    @classmethod
    def route(cls, archived: dict, assignment: Assignment, facts: LegalFacts, at: datetime) -> "Case":
        routing = Routing(assignment.primary.public(), tuple(u.public() for u in assignment.copies),
                          assignment.rule_id, tuple(assignment.fallback), at)
        case = cls(str(uuid.uuid4()), archived["complaint_id"], archived["tracking_code"],
                   {**{name: archived.get(name) for name in DOSSIER_FIELDS}, **facts.wire()}, [])
        case._add_routing(routing, StatusChange(ROUTED, at, case.event_id_of(routing)))
        return case

    @property
    def routing(self) -> Routing:
        return self.routings[-1]

    @property
    def primary_unit_id(self) -> str:
        return self.routing.primary["unit_id"]

    @property
    def series(self) -> Series:
        """Where the case's number comes from: its subject's region, the year of its first routing."""
        return series_of(self.dossier["subject"].get("region_code"), self.routings[0].routed_at)

    def transfer(self, transfer_id: str, from_unit_id: str, to: Unit, at: datetime) -> Refusal | None:
        """Hand the case to another unit; refused when it no longer lies with the unit it leaves."""
        if from_unit_id != self.primary_unit_id:
            return Refusal(f"case is with {self.primary_unit_id}, not {from_unit_id}")
        if to.id == from_unit_id:
            return Refusal(f"case is already with {to.id}")
        routing = Routing(to.public(), (), "transfer", (), at, transfer_id, from_unit_id)
        detail = f"{from_unit_id} -> {to.id} (transfer {transfer_id})"
        self._add_routing(routing, StatusChange(TRANSFERRED, at, self.event_id_of(routing), detail))
        return None

    def hand_on(self, handoff_id: str, to: Unit, step_rule: str, event_id: str, at: datetime) -> Routing:
        """The next step of the case's chain: `to` owns the case now, the units in copy still read it. The
        hand-off's id takes a transfer's place, so a repeated hand-off finds its routing (steps.py)."""
        copies = tuple(unit for unit in self.routings[0].copies if unit["unit_id"] != to.id)
        routing = Routing(to.public(), copies, step_rule, (), at, handoff_id, self.primary_unit_id)
        detail = f"{self.primary_unit_id} -> {to.id} ({step_rule})"
        self._add_routing(routing, StatusChange(STEP_OPENED, at, event_id, detail))
        return routing

    def routing_for(self, transfer_id: str | None) -> Routing | None:
        return next((r for r in self.routings if r.transfer_id == transfer_id), None)

    def event_id_of(self, routing: Routing) -> str:
        return derived_event_id("case.routed", routing.transfer_id or self.complaint_id)

    def routed_event(self, routing: Routing | None = None) -> dict:
        """case.routed for one routing of this case (the current one by default)."""
        routing = routing or self.routing
        payload = {
            "case_id": self.case_id, "case_number": self.case_number, "complaint_id": self.complaint_id,
            "tracking_code": self.tracking_code, "units": {"primary": routing.primary, "copies": list(routing.copies)},
            "matched_rule": routing.matched_rule, "fallback": list(routing.fallback),
            **self.dossier, "routed_at": routing.routed_at.isoformat(),
        }
        if self.group:
            payload["group"] = self.group
        if routing.transfer_id:
            payload["transfer"] = {"transfer_id": routing.transfer_id, "from_unit_id": routing.from_unit_id}
        event = new_event("case.routed", payload, correlation_id=self.complaint_id, producer="routing",
                          event_id=self.event_id_of(routing))
        return {**event, "occurred_at": payload["routed_at"]}

    def _add_routing(self, routing: Routing, change: StatusChange) -> None:
        self.routings.append(routing)
        self.new_routings.append(routing)
        self.new_changes.append(change)
