"""Routing's side of a chain of steps: when the unit of a step hands the case on, the next step's unit owns
it (a new routing of the case) and case.step_opened announces it, with the outcome handed on and the step's
statutory deadline. A transfer moves a case within its step; a hand-off moves it to the next step."""
from __future__ import annotations

from datetime import datetime, timezone
from typing import Callable
from zoneinfo import ZoneInfo

import structlog

from services.common.envelope import Permanent, derived_event_id, new_event, read_payload

from .case import Case, Routing
from .directory import Directory
from .events import StepCompleted
from .legal_facts import Statutes
from .ports import Cases

log = structlog.get_logger("netra.routing")
Publish = Callable[[dict], None]
STEP_RULE = "chain:"  # a routing made by a hand-off: matched_rule is chain:<chain id>:<step number>
JAKARTA = ZoneInfo("Asia/Jakarta")


def step_of(routing: Routing) -> int | None:
    if not routing.matched_rule.startswith(STEP_RULE):
        return None
    return int(routing.matched_rule.rsplit(":", 1)[1])


def current_step(case: Case) -> int:
    """The step the case is in: that of its last hand-off (transfers stay within a step), else the first."""
    return next((step_of(r) for r in reversed(case.routings) if step_of(r) is not None), 1)


def handoff_id(case_id: str, step: int) -> str:
    return f"step:{case_id}:{step}"


def hand_on(event: dict, directory: Directory, statutes: Statutes, cases: Cases, publish: Publish) -> None:
    """Opens the step after the one the desk completed; a repeat re-announces the same step_opened."""
    completed = read_payload(StepCompleted, event)
    with cases.transaction(publish) as repo:
        case = repo.by_id(completed["case_id"])
        if case is None:
            raise Permanent(f"no case {completed['case_id']}")
        steps = steps_of(case)
        number = completed["step"] + 1
        routing = case.routing_for(handoff_id(case.case_id, number))
        if routing is None and number <= len(steps):
            routing = open_step(case, completed, steps, directory)
            repo.save(case)
        if routing is not None:
            repo.emit(step_opened(case, routing, steps, completed, statutes, directory))
    if routing is None:
        log.info("case.chain_completed", case_id=case.case_id, steps=len(steps))
        return
    log.info("case.step_opened", case_id=case.case_id, step=number, unit_id=routing.primary["unit_id"],
             from_unit=routing.from_unit_id)


def steps_of(case: Case) -> list[dict]:
    chain = case.dossier.get("chain")
    if not chain:
        raise Permanent(f"case {case.case_id} has no chain of steps")
    return chain["steps"]


def open_step(case: Case, completed: dict, steps: list[dict], directory: Directory) -> Routing:
    number = completed["step"] + 1
    if completed["step"] != current_step(case) or completed["unit_id"] != case.primary_unit_id:
        raise Permanent(f"step {completed['step']} of {case.case_id} is not with {completed['unit_id']}: "
                        f"the case is in step {current_step(case)} with {case.primary_unit_id}")
    to = directory.units.get(steps[number - 1]["unit_id"])
    if to is None:
        raise Permanent(f"unit {steps[number - 1]['unit_id']!r} is not in the units directory")
    key = handoff_id(case.case_id, number)
    return case.hand_on(key, to, f"{STEP_RULE}{case.dossier['chain']['chain_id']}:{number}",
                        derived_event_id("case.step_opened", key), datetime.now(timezone.utc))


def deadline_of(step: dict, opened: datetime, statutes: Statutes) -> dict | None:
    clock = statutes.law.clock(step["clock"]) if step.get("clock") else None
    return statutes.deadline(clock, opened.astimezone(JAKARTA).date()) if clock else None


def step_opened(case: Case, routing: Routing, steps: list[dict], completed: dict, statutes: Statutes,
                directory: Directory) -> dict:
    """case.step_opened: which unit owns which step now, what the last one handed on, and by when."""
    number = step_of(routing)
    step, previous = steps[number - 1], steps[number - 2]
    handed_by = directory.units.get(routing.from_unit_id)
    payload = {
        "case_id": case.case_id, "case_number": case.case_number, "complaint_id": case.complaint_id,
        "tracking_code": case.tracking_code, "chain_id": case.dossier["chain"]["chain_id"], "steps": len(steps),
        "step": {**step, "unit_id": routing.primary["unit_id"], "name": routing.primary["name"],
                 "deadline": deadline_of(step, routing.routed_at, statutes)},
        "previous": {"number": previous["number"], "unit_id": routing.from_unit_id,
                     "name": handed_by.name if handed_by else previous["name"],
                     "task": previous["task"], "outcome": completed["outcome"]},
        "units": {"primary": routing.primary, "copies": list(routing.copies)},
        "opened_at": routing.routed_at.isoformat(),
    }
    event = new_event("case.step_opened", payload, correlation_id=case.complaint_id, producer="routing",
                      event_id=derived_event_id("case.step_opened", routing.transfer_id))
    return {**event, "occurred_at": payload["opened_at"]}
