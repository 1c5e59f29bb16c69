"""Releasing a reporter's identity for a disclosure the identity custodian approved in the desk.

The desk publishes identity.disclosure_approved; intake answers identity.disclosed with the identity as it was
sealed at submission to the desk's disclosure key (intake cannot open it, and nothing travels in clear), and
records the release in the identity access log and on the reporter's public timeline (the body and the basis,
never a person), in one unit of work with the answer (services/common/unit_of_work.py). A
complaint without a sealed identity, or sealed before disclosure existed, gets an answer saying so.
"""
from __future__ import annotations

from datetime import datetime, timezone

from sqlalchemy import insert, select
from sqlalchemy.engine import Engine

from services.common.db import record_processed
from services.common.envelope import derived_event_id, new_event, read_payload
from services.common.unit_of_work import unit_of_work

from ..events import DisclosureApproved
from ..ports import Disclosures
from ..tables import identity_access_log, inbox, outbox, sealed_identities, timeline

RELEASED, NO_IDENTITY, NOT_SEALED = "released", "no_identity", "not_sealed_for_disclosure"


def release_identity(event: dict, disclosures: Disclosures) -> None:
    disclosures.release(event, read_payload(DisclosureApproved, event))


def disclosed_event(approved: dict, outcome: str, token: str | None, at: datetime) -> dict:
    """The body's public name and the basis, never the officer's or the custodian's name."""
    payload = {key: approved[key] for key in ("request_id", "case_id", "complaint_id", "tracking_code", "unit_id",
                                              "body_name", "legal_basis")}
    payload.update(outcome=outcome, sealed_identity=token, released_at=at.isoformat())
    return new_event("identity.disclosed", payload, correlation_id=approved["complaint_id"], producer="intake",
                     event_id=derived_event_id("identity.disclosed", approved["request_id"]))


def access_line(approved: dict, outcome: str) -> dict:
    who = f"{approved['body_name']} ({approved['unit_id']}), permintaan {approved['request_id']}"
    return {"tracking_code": approved["tracking_code"], "who": who[:200],
            "reason": f"Disetujui kustodian identitas di meja unit; dasar: {approved['legal_basis']['citation']}",
            "outcome": f"desk_{outcome}"[:40]}


def public_entry(approved: dict, answer: dict) -> dict:
    return {"complaint_id": approved["complaint_id"], "status": "identity_disclosed", "event_id": answer["event_id"],
            "detail": f"Kepada {approved['body_name']}; dasar hukum: {approved['legal_basis']['citation']}",
            "at": datetime.fromisoformat(answer["payload"]["released_at"])}


class DisclosureStore:
    def __init__(self, engine: Engine):
        self.engine = engine

    def release(self, event: dict, approved: dict) -> None:
        """Once per approval event: the access log line and identity.disclosed, together."""
        with unit_of_work(self.engine, outbox=outbox) as tx:
            conn = tx.conn
            if not record_processed(conn, inbox, event):
                return
            row = conn.execute(select(sealed_identities.c.disclosure_token).where(
                sealed_identities.c.complaint_id == approved["complaint_id"])).first()
            outcome = NO_IDENTITY if row is None else RELEASED if row.disclosure_token else NOT_SEALED
            answer = disclosed_event(approved, outcome, row.disclosure_token if row else None,
                                     datetime.now(timezone.utc))
            conn.execute(insert(identity_access_log).values(**access_line(approved, outcome)))
            tx.emit(answer)
            if outcome == RELEASED:  # the reporter reads on /lacak which body received it, email or not
                conn.execute(insert(timeline).values(**public_entry(approved, answer)))
