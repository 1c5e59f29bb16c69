"""The public status timeline: what a reporter sees with the tracking code and the receipt."""
from __future__ import annotations

from datetime import datetime, timezone

from sqlalchemy import insert, select, update
from sqlalchemy.engine import Engine

from services.common.db import record_processed

from .secrets import receipt_matches
from .tables import complaints, inbox, timeline


def complaint_status(engine: Engine, tracking_code: str, receipt: str | None) -> dict | None:
    """None both for an unknown code and a wrong receipt, so the two cannot be told apart."""
    with engine.connect() as conn:
        row = conn.execute(select(complaints).where(complaints.c.tracking_code == tracking_code)).first()
        if row is None or not receipt_matches(receipt, row.receipt_hash):
            return None
        entries = conn.execute(select(timeline.c.status, timeline.c.at, timeline.c.detail)
                               .where(timeline.c.complaint_id == row.complaint_id)
                               .order_by(timeline.c.at, timeline.c.id)).all()
    return {"tracking_code": row.tracking_code, "status": row.status, "submitted_at": row.submitted_at,
            "timeline": [dict(e._mapping) for e in entries]}


def timeline_entry(event: dict) -> tuple[str, str | None] | None:
    """The public status and note an event adds to the timeline, or None if it adds nothing."""
    payload, kind = event["payload"], event["event_type"]
    if kind == "evidence.archived":
        return "evidence_archived", f"{len(payload.get('files', []))} berkas bukti diarsipkan"
    if kind == "evidence.rejected":
        return "evidence_rejected", f"{len(payload.get('rejected', []))} berkas bukti ditolak"
    if kind == "case.routed":
        return "routed", payload["units"]["primary"]["name"]
    if kind in ("notification.sent", "notification.failed") and payload.get("recipient_kind") == "unit" \
            and payload.get("purpose", "case") == "case":  # the primary unit's mail, not the copies' 
        return ("unit_notified", None) if kind == "notification.sent" else ("notification_failed", None)
    if kind == "case.status_changed":
        return payload["status"], payload.get("public_note")
    return None


def record_timeline(event: dict, engine: Engine) -> None:
    entry = timeline_entry(event)
    with engine.begin() as conn:
        if not record_processed(conn, inbox, event) or entry is None:
            return
        status, detail = entry
        complaint_id = event["payload"]["complaint_id"]
        conn.execute(insert(timeline).values(complaint_id=complaint_id, status=status, detail=detail,
                                             event_id=event["event_id"], at=event_time(event)))
        conn.execute(update(complaints).where(complaints.c.complaint_id == complaint_id).values(status=status))


def event_time(event: dict) -> datetime:
    try:
        return datetime.fromisoformat(event["occurred_at"])
    except (KeyError, TypeError, ValueError):
        return datetime.now(timezone.utc)
