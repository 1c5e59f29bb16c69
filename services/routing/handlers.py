"""Routing's handlers: route an archived complaint to its units; record whether the units were told."""
from __future__ import annotations

import uuid
from datetime import datetime, timezone
from typing import Callable

import structlog
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError

from services.common.envelope import Permanent, derived_event_id, new_event, read_payload
from services.common.db import record_processed, transaction

from .cases import NOTIFICATION_FAILED, UNIT_NOTIFIED, case_for, inbox, insert_case, move_status, routed_event_for
from .directory import Directory, region_exists
from .events import EvidenceArchived, NotificationReported
from .rules import Assignment, RuleSet, assign

log = structlog.get_logger("netra.routing")
STATUS_FOR = {"notification.sent": UNIT_NOTIFIED, "notification.failed": NOTIFICATION_FAILED}


def route_case(event: dict, directory: Directory, rules: RuleSet, engine: Engine,
               publish: Callable[[dict], None]) -> None:
    """Store one case per complaint and announce it; a repeat re-announces the same case, nothing more."""
    archived = read_payload(EvidenceArchived, event)
    with engine.connect() as conn:
        routed = routed_event_for(conn, archived["complaint_id"])
    repeated = routed is not None
    if not repeated:
        routed = store_case(engine, case_routed(archived, plan(archived, directory, rules)))
    publish(routed)
    payload = routed["payload"]
    log.info("case.routed", case_id=payload["case_id"], rule=payload["matched_rule"],
             primary=payload["units"]["primary"]["unit_id"],
             copies=[unit["unit_id"] for unit in payload["units"]["copies"]],
             fallbacks=len(payload["fallback"]), repeated=repeated)


def plan(archived: dict, directory: Directory, rules: RuleSet) -> Assignment:
    subject, category = archived["subject"], archived["violation"]["category"]
    region = subject.get("region_code")
    if region is not None and not region_exists(region):
        raise Permanent(f"unknown region code {region!r}")
    rule = rules.match(category, subject["employer_level"], region)
    if rule is None:
        raise Permanent(f"no routing rule matches category={category} "
                        f"employer_level={subject['employer_level']} region={region}")
    return assign(rule, region, directory)


def case_routed(archived: dict, assignment: Assignment) -> dict:
    complaint_id = archived["complaint_id"]
    payload = {
        "case_id": str(uuid.uuid4()), "complaint_id": complaint_id, "tracking_code": archived["tracking_code"],
        "units": {"primary": assignment.primary.public(), "copies": [u.public() for u in assignment.copies]},
        "matched_rule": assignment.rule_id, "fallback": list(assignment.fallback),
        "subject": archived["subject"], "violation": archived["violation"], "files": archived["files"],
        "manifest_key": archived["manifest_key"], "routed_at": datetime.now(timezone.utc).isoformat(),
    }
    return new_event("case.routed", payload, correlation_id=complaint_id, producer="routing",
                     event_id=derived_event_id("case.routed", complaint_id))


def store_case(engine: Engine, routed: dict) -> dict:
    """Save the case; if a concurrent delivery saved one first, that one's event is the one to publish."""
    routed_at = datetime.fromisoformat(routed["payload"]["routed_at"])
    try:
        with transaction(engine) as conn:
            insert_case(conn, routed, routed_at)
        return routed
    except IntegrityError:
        with engine.connect() as conn:
            winner = routed_event_for(conn, routed["payload"]["complaint_id"])
        if winner is None:
            raise
        return winner


def record_notification(event: dict, engine: Engine) -> None:
    """Move the case to unit_notified or notification_failed once per event; reporter mails are not ours."""
    status = STATUS_FOR.get(event["event_type"])
    if status is None:
        raise Permanent(f"routing does not handle {event['event_type']}")
    report = read_payload(NotificationReported, event)
    if report["recipient_kind"] != "unit" or report["purpose"] != "case":
        log.info("notification.ignored", recipient_kind=report["recipient_kind"], purpose=report["purpose"])
        return
    with transaction(engine) as conn:
        if not record_processed(conn, inbox, event):
            log.info("notification.duplicate")
            return
        found = case_for(conn, report["complaint_id"])
        if found is None:
            raise Permanent(f"no case for complaint {report['complaint_id']}")
        detail = (report.get("message_id") or report.get("reason") or "")[:500] or None
        moved = move_status(conn, found.case_id, found.status, status, datetime.now(timezone.utc),
                            event["event_id"], detail)
    log.info("case.status_recorded", case_id=found.case_id, status=status if moved else found.status,
             moved=moved)
