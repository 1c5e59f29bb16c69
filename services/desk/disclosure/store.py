"""The disclosure requests' persistence: each step and its audit line in one transaction (an approval's
event in the same unit of work, services/common/unit_of_work.py); the identity kept
sealed until the one view, and blanked in the transaction that shows it."""
from __future__ import annotations

from datetime import datetime
from typing import Callable

from sqlalchemy import insert, select, update
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError

from services.common.sealing import Opener, SealError
from services.common.unit_of_work import unit_of_work

from ..cases.access import Staff
from ..cases.changes import NotFound, Refused, audit_line
from ..tables import (
    ONE_OPEN_DISCLOSURE,
    audit_log,
    case_access,
    cases,
    disclosure_requests,
    outbox,
)
from .rules import APPROVED, ASKED, AVAILABLE, REFUSED, SHOWN, UNAVAILABLE

requests = disclosure_requests
ALREADY_OPEN = "Permintaan identitas unit Anda untuk kasus ini masih diproses."
WITH_CASE = select(requests, cases.c.case_number, cases.c.tracking_code, cases.c.complaint_id).join(
    cases, cases.c.case_id == requests.c.case_id)


def _audit(conn, *lines: dict) -> None:
    for line in lines:
        conn.execute(insert(audit_log).values(**line))


class DisclosureStore:
    def __init__(self, engine: Engine):
        self.engine = engine

    def _all(self, query) -> list[dict]:
        with self.engine.connect() as conn:
            return [dict(row._mapping) for row in conn.execute(query)]

    def get(self, request_id: str) -> dict | None:
        found = self._all(WITH_CASE.where(requests.c.request_id == request_id))
        return found[0] if found else None

    def of_case(self, case_id: str, unit_id: str) -> list[dict]:
        return self._all(select(requests).where(requests.c.case_id == case_id, requests.c.unit_id == unit_id)
                         .order_by(requests.c.requested_at.desc()))

    def waiting(self) -> list[dict]:
        return self._all(WITH_CASE.where(requests.c.state == ASKED).order_by(requests.c.requested_at))

    def decided(self, limit: int = 50) -> list[dict]:
        return self._all(WITH_CASE.where(requests.c.state != ASKED).order_by(requests.c.decided_at.desc())
                         .limit(limit))

    def ask(self, request: dict, still_may: Callable[[dict, dict[str, str]], list[str]]) -> None:
        """The request written if `still_may` (the case row, its units' accesses) finds nothing against it, with
        the case's row locked: its step cannot be handed on between that check and the request."""
        try:
            with self.engine.begin() as conn:
                _refuse(still_may(*_locked_case(conn, request["case_id"])))
                conn.execute(insert(requests).values(**request))
                _audit(conn, audit_line(request["requested_by"], request["unit_id"], "identity.requested",
                                        request["case_id"], f"{request['request_id']} {request['legal_basis']}"))
        except IntegrityError as error:
            if ONE_OPEN_DISCLOSURE in str(error.orig):
                raise Refused([ALREADY_OPEN]) from None
            raise

    def decide(self, request: dict, staff: Staff, reason: str, at: datetime, event: dict | None) -> None:
        """Approve (with the event for intake) or refuse (event None); only a request still waiting."""
        state = APPROVED if event else REFUSED
        with unit_of_work(self.engine, outbox=outbox) as tx:
            conn = tx.conn
            done = conn.execute(update(requests).where(requests.c.request_id == request["request_id"],
                                                       requests.c.state == ASKED).values(
                state=state, decided_by=staff.username, decided_at=at, decision_reason=reason.strip()))
            if done.rowcount != 1:
                raise Refused(["Permintaan ini sudah diputuskan."])
            if event:
                tx.emit(event)
            action = "identity.approved" if event else "identity.refused"
            _audit(conn, audit_line(staff.username, request["unit_id"], action, request["case_id"],
                                    f"{request['request_id']}: {reason.strip()}"))

    def released(self, answer: dict, at: datetime) -> None:
        """intake's answer; a repeat finds the request no longer approved and changes nothing."""
        token = answer["sealed_identity"] if answer["outcome"] == "released" else None
        with self.engine.begin() as conn:
            done = conn.execute(update(requests).where(requests.c.request_id == answer["request_id"],
                                                       requests.c.state == APPROVED).values(
                state=AVAILABLE if token else UNAVAILABLE, sealed_identity=token, outcome=answer["outcome"],
                released_at=at))
            if done.rowcount == 1:
                _audit(conn, audit_line("sistem", answer["unit_id"], "identity.released", answer["case_id"],
                                        f"{answer['request_id']}: {answer['outcome']}"))

    def show_once(self, request_id: str, staff: Staff, opener: Opener, at: datetime) -> dict:
        """The identity, opened for the officer who asked and blanked in the same transaction."""
        with self.engine.begin() as conn:
            row = conn.execute(select(requests).where(requests.c.request_id == request_id).with_for_update()).first()
            if row is None or row.requested_by_id != staff.id:
                raise NotFound(request_id)
            if row.state != AVAILABLE:
                raise Refused([not_shown(row)])
            try:
                identity = opener.open(row.sealed_identity)
            except SealError:
                raise Refused(["Identitas tidak dapat dibuka dengan kunci meja unit; hubungi operator."]) from None
            conn.execute(update(requests).where(requests.c.request_id == request_id).values(
                state=SHOWN, shown_at=at, sealed_identity=None))
            _audit(conn, audit_line(staff.username, staff.unit_id, "identity.shown", row.case_id, request_id))
        return identity


def _locked_case(conn, case_id: str) -> tuple[dict, dict[str, str]]:
    row = conn.execute(select(cases).where(cases.c.case_id == case_id).with_for_update()).first()
    if row is None:
        raise NotFound(case_id)
    granted = conn.execute(select(case_access).where(case_access.c.case_id == case_id))
    return dict(row._mapping), {grant.unit_id: grant.access for grant in granted}


def _refuse(problems: list[str]) -> None:
    if problems:
        raise Refused(problems)


def not_shown(row) -> str:
    if row.state == SHOWN:
        return f"Identitas ini telah ditampilkan pada {row.shown_at:%Y-%m-%d %H:%M} UTC dan tidak ditampilkan lagi."
    return "Identitas belum tersedia untuk permintaan ini."
