"""Routing's own tables: the cases it routed, each case's status history, and its inbox."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import (JSON, Column, DateTime, ForeignKey, Integer, MetaData, String, Table, insert, select,
                        update)

from services.common.db import inbox_table

ROUTED = "routed"
UNIT_NOTIFIED = "unit_notified"
NOTIFICATION_FAILED = "notification_failed"
# The statuses a case may be in for each status to be set. A later fact never undoes a newer one:
# a failure reported after a delivery leaves the case notified.
MAY_FOLLOW = {
    UNIT_NOTIFIED: {ROUTED, NOTIFICATION_FAILED},
    NOTIFICATION_FAILED: {ROUTED},
}

metadata = MetaData()

cases = Table(
    "cases", metadata,
    Column("case_id", String(36), primary_key=True),
    Column("complaint_id", String(64), nullable=False, unique=True),
    Column("tracking_code", String(32), nullable=False),
    Column("primary_unit_id", String(64), nullable=False),
    Column("copies", JSON, nullable=False),  # unit ids
    Column("matched_rule", String(128), nullable=False),
    Column("fallback", JSON, nullable=False),
    Column("status", String(32), nullable=False),
    Column("routed_at", DateTime(timezone=True), nullable=False),
    # case.routed exactly as first published: a redelivery re-publishes it unchanged
    Column("routed_event", JSON, nullable=False),
)

case_status_history = Table(
    "case_status_history", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("case_id", String(36), ForeignKey("cases.case_id"), nullable=False, index=True),
    Column("status", String(32), nullable=False),
    Column("detail", String(500)),
    Column("event_id", String(64)),
    Column("changed_at", DateTime(timezone=True), nullable=False),
)

inbox = inbox_table(metadata)


def routed_event_for(conn, complaint_id: str) -> dict | None:
    row = conn.execute(select(cases.c.routed_event).where(cases.c.complaint_id == complaint_id)).first()
    return row.routed_event if row else None


def insert_case(conn, routed_event: dict, routed_at: datetime) -> None:
    """Store a new case from the case.routed event that announces it, with its first status."""
    payload = routed_event["payload"]
    conn.execute(insert(cases).values(
        case_id=payload["case_id"], complaint_id=payload["complaint_id"],
        tracking_code=payload["tracking_code"], primary_unit_id=payload["units"]["primary"]["unit_id"],
        copies=[unit["unit_id"] for unit in payload["units"]["copies"]],
        matched_rule=payload["matched_rule"], fallback=payload["fallback"],
        status=ROUTED, routed_at=routed_at, routed_event=routed_event,
    ))
    add_history(conn, payload["case_id"], ROUTED, routed_at, routed_event["event_id"])


def add_history(conn, case_id: str, status: str, at: datetime, event_id: str, detail: str | None = None):
    conn.execute(insert(case_status_history).values(
        case_id=case_id, status=status, detail=detail, event_id=event_id, changed_at=at))


def case_for(conn, complaint_id: str):
    """The case's id and status, or None when routing has no case for the complaint."""
    return conn.execute(select(cases.c.case_id, cases.c.status)
                        .where(cases.c.complaint_id == complaint_id)).first()


def move_status(conn, case_id: str, current: str, new: str, at: datetime, event_id: str,
                detail: str | None) -> bool:
    """Set the new status if it may follow the current one; False when it would undo a newer fact."""
    if current not in MAY_FOLLOW.get(new, ()):
        return False
    conn.execute(update(cases).where(cases.c.case_id == case_id).values(status=new))
    add_history(conn, case_id, new, at, event_id, detail)
    return True
