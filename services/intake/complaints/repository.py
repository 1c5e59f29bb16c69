"""intake's persistence: small repository objects the handlers take (unit tests use in-memory fakes)."""
from __future__ import annotations

import functools
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime
from typing import Iterator

from sqlalchemy import bindparam, insert, select, update
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError

from services.common.db import database_answers, insert_for, insert_new, one_statement
from services.common.unit_of_work import Transaction, unit_of_work

from ..tables import (
    complaints,
    evidence_quota,
    idempotency_answers,
    identity_access_log,
    outbox,
    sealed_identities,
    timeline,
)

SET_STATUS = update(complaints).where(complaints.c.complaint_id == bindparam("complaint")) \
    .values(status=bindparam("new_status"))


@functools.cache
def _reserve(dialect: str):
    """The quota upsert, built once per dialect (building it per request cost more than running it)."""
    statement = insert_for(dialect, evidence_quota).values(day=bindparam("day"), bytes=bindparam("size"))
    return statement.on_conflict_do_update(
        index_elements=["day"], set_={"bytes": evidence_quota.c.bytes + bindparam("size")},
        where=evidence_quota.c.bytes + bindparam("size") <= bindparam("limit")).returning(evidence_quota.c.bytes)


class DuplicateRequest(Exception):
    """Another request with the same Idempotency-Key was saved first."""


@dataclass(frozen=True)
class Accepted:
    """Everything one accepted complaint writes, in one transaction."""
    complaint_id: str
    tracking_code: str
    receipt_hash: str
    submitted_at: datetime
    event: dict
    identity_token: str | None
    idempotency: tuple[str, str, bytes] | None  # (key digest, fingerprint, locked answer)
    disclosure_token: str | None = None  # the identity sealed to the desk's disclosure key


class ComplaintWrites(Transaction):
    """What a complaint's unit of work writes: the complaint with its first timeline entry and its event."""

    def __init__(self, conn):
        super().__init__(conn)
        self.idempotency_keys: list[str] = []

    def add(self, accepted: Accepted) -> None:
        payload, conn = accepted.event["payload"], self.conn
        # Statements run with their rows as parameters: building `.values(...)` for each request cost more
        # client CPU than sending the rows.
        conn.execute(insert(complaints), {
            "complaint_id": accepted.complaint_id, "tracking_code": accepted.tracking_code,
            "receipt_hash": accepted.receipt_hash, "status": "received", "subject": payload["subject"],
            "violation": payload["violation"], "evidence": payload["evidence"],
            "submitted_at": accepted.submitted_at})
        if accepted.identity_token:
            conn.execute(insert(sealed_identities), {"complaint_id": accepted.complaint_id,
                                                     "token": accepted.identity_token,
                                                     "disclosure_token": accepted.disclosure_token})
        conn.execute(insert(timeline), {"complaint_id": accepted.complaint_id, "status": "received",
                                        "at": accepted.submitted_at})
        if accepted.idempotency:
            digest, fingerprint, answer = accepted.idempotency
            self.idempotency_keys.append(digest)
            conn.execute(insert(idempotency_answers), {"key_sha256": digest, "fingerprint": fingerprint,
                                                       "answer": answer})
        self.emit(accepted.event)


class ComplaintRepository:
    def __init__(self, engine: Engine):
        self.engine = engine
        self._one_statement = one_statement(engine)

    def ready(self) -> bool:
        return database_answers(self.engine)

    def earlier_answer(self, digest: str) -> tuple[str, bytes] | None:
        with self.engine.connect() as conn:
            row = conn.execute(select(idempotency_answers).where(idempotency_answers.c.key_sha256 == digest)).first()
        return (row.fingerprint, row.answer) if row else None

    @contextmanager
    def transaction(self) -> Iterator[ComplaintWrites]:
        """One unit of work (services/common/unit_of_work.py), its events into the outbox. A complaint whose
        Idempotency-Key another request saved first raises DuplicateRequest."""
        tx = None
        try:
            with unit_of_work(self.engine, ComplaintWrites, outbox=outbox) as tx:
                yield tx
        except IntegrityError:
            if tx is not None and any(self.earlier_answer(digest) for digest in tx.idempotency_keys):
                raise DuplicateRequest() from None
            raise

    def reserve_quota(self, day: date, size: int, limit: int) -> bool:
        """Adds size to the day's bytes unless that would pass the limit; atomic across processes (one
        upsert whose update only happens under the limit, in one round trip)."""
        if size > limit:
            return False
        with self._one_statement.connect() as conn:
            statement = _reserve(conn.dialect.name)
            return conn.execute(statement, {"day": day, "size": size, "limit": limit}).first() is not None

    def release_quota(self, day: date, size: int) -> None:
        with self._one_statement.connect() as conn:
            conn.execute(update(evidence_quota).where(evidence_quota.c.day == day)
                         .values(bytes=evidence_quota.c.bytes - size))

    def status(self, tracking_code: str) -> dict | None:
        with self.engine.connect() as conn:
            row = conn.execute(select(complaints).where(complaints.c.tracking_code == tracking_code)).first()
            if row is None:
                return None
            entries = conn.execute(select(timeline.c.status, timeline.c.at, timeline.c.detail)
                                   .where(timeline.c.complaint_id == row.complaint_id)
                                   .order_by(timeline.c.at, timeline.c.id)).all()
        return {"tracking_code": row.tracking_code, "status": row.status, "submitted_at": row.submitted_at,
                "receipt_hash": row.receipt_hash, "timeline": [dict(e._mapping) for e in entries]}

    def add_to_timeline(self, event: dict, complaint_id: str, entry: tuple[str, str | None] | None,
                        at: datetime) -> None:
        """Once per event id; an event that adds nothing (a copy's mail, say) costs no transaction. The entry's
        own unique event id tells a repeat: no separate record of handled events, one statement fewer."""
        if entry is None:
            return
        status, detail = entry
        row = {"complaint_id": complaint_id, "status": status, "detail": detail, "event_id": event["event_id"],
               "at": at}
        with self.engine.begin() as conn:
            if conn.execute(insert_new(conn, timeline, ("event_id",), "id"), row).first() is not None:
                conn.execute(SET_STATUS, {"complaint": complaint_id, "new_status": status})


class CustodianRepository:
    """The sealed identities and the append-only log of who opened which, used by the custodian tool."""

    def __init__(self, engine: Engine):
        self.engine = engine

    def sealed_identity(self, tracking_code: str) -> str | None:
        with self.engine.connect() as conn:
            return conn.execute(select(sealed_identities.c.token).join(complaints)
                                .where(complaints.c.tracking_code == tracking_code)).scalar()

    def log_access(self, tracking_code: str, who: str, reason: str, outcome: str) -> None:
        with self.engine.begin() as conn:
            conn.execute(insert(identity_access_log).values(tracking_code=tracking_code, who=who, reason=reason,
                                                            outcome=outcome))

    def access_log(self) -> list[dict]:
        with self.engine.connect() as conn:
            rows = conn.execute(select(identity_access_log).order_by(identity_access_log.c.id)).all()
        return [dict(row._mapping) for row in rows]

