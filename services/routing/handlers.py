"""Routing's handlers: route an archived complaint, and move a case on an approved transfer. Each takes the
cases repository and a publish function. Whether the unit was told is intake's timeline, not routing's."""
from __future__ import annotations

from datetime import datetime, timezone
from typing import Callable

import structlog

from services.common.envelope import Permanent, read_payload
from services.common.logs import summary

from .case import Case
from .directory import Directory
from .grouping import GroupPolicy, fingerprint, group_payload
from .events import EvidenceArchived, TransferApproved
from .ports import Cases, CaseTransaction
from .repository import DuplicateCase
from .planning import Router, plan

log = structlog.get_logger("netra.routing")
Publish = Callable[[dict], None]


def _now() -> datetime:
    return datetime.now(timezone.utc)


def route_case(event: dict, router: Router, cases: Cases, publish: Publish) -> None:
    """One case per complaint, announced; a repeat re-announces the same case, nothing more.

    The case is planned and inserted straight away: a first delivery, the usual one, then costs one
    transaction. A repeat's insert finds the complaint's case there and announces that one instead, as it is
    routed now: after a transfer, the transfer's routing (under its own event id), so a re-drive reaches the
    unit whose mail is owed."""
    archived = read_payload(EvidenceArchived, event)
    now = _now()
    new = Case.route(archived, *plan(archived, router, now), now)
    case = store_new(cases, new, fingerprint(archived), router.grouping, publish)
    repeated = case.case_id != new.case_id
    routing = case.routing_for(None)
    summary(log, "case.routed", case_id=case.case_id, rule=routing.matched_rule, contexts=case.dossier.get("contexts"),
             primary=routing.primary["unit_id"], copies=[u["unit_id"] for u in routing.copies],
             fallbacks=len(routing.fallback), repeated=repeated,
             group_size=case.group.get("size"), matched_on=case.group.get("matched_on"))


def store_new(cases: Cases, case: Case, keys: list[tuple[str, str]] = (), grouping: GroupPolicy | None = None,
              publish: Publish | None = None) -> Case:
    """Save and announce the case, in the group of the same act if there is one; if a concurrent delivery
    saved one first, that one is the case to announce."""
    try:
        with cases.transaction(publish) as repo:
            if grouping is not None and grouping.enabled:
                join_group(repo, case, list(keys), grouping)
            repo.add(case)
            if case.group:
                repo.add_fingerprint(case, list(keys), case.routing.routed_at)
            repo.emit(case.routed_event())
        return case
    except DuplicateCase:
        with cases.transaction(publish) as repo:
            stored = repo.by_complaint(case.complaint_id)
            repo.emit(stored.routed_event())
        return stored


def join_group(repo: CaseTransaction, case: Case, keys: list[tuple[str, str]], grouping: GroupPolicy) -> None:
    """The group of the earliest case of the same unit, within the window, reporting the same act."""
    repo.hold_unit(case.primary_unit_id)
    since = case.routing.routed_at - grouping.window
    match = repo.find_group(case.primary_unit_id, keys, since, grouping) if keys else None
    size = repo.group_size(match.group_id) + 1 if match else 1
    case.group = group_payload(case.case_id, case.tracking_code, match, size)


def transfer_case(event: dict, directory: Directory, cases: Cases, publish: Publish) -> None:
    """Move the case to the unit the desk approved and announce the new routing, once per transfer."""
    approved = read_payload(TransferApproved, event)
    to = directory.units.get(approved["to_unit_id"])
    if to is None:
        raise Permanent(f"unit {approved['to_unit_id']!r} is not in the units directory")
    with cases.transaction(publish) as repo:
        case = repo.by_id(approved["case_id"])
        if case is None:
            raise Permanent(f"no case {approved['case_id']}")
        repeated = case.routing_for(approved["transfer_id"]) is not None
        if not repeated:
            refusal = case.transfer(approved["transfer_id"], approved["from_unit_id"], to, _now())
            if refusal:
                raise Permanent(f"transfer refused: {refusal.reason}")
            repo.save(case)
        repo.emit(case.routed_event(case.routing_for(approved["transfer_id"])))
    log.info("case.transferred", case_id=case.case_id, from_unit=approved["from_unit_id"], to_unit=to.id,
             repeated=repeated)
