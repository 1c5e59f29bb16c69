"""The desk's persistence: cases (with their history, transfers, questions), staff accounts, audit log.

`CaseRepository.act(case_id, action)` runs an officer's action on the Case locked for its transaction;
`CaseRepository.apply(change)` writes a Change a worker built. Both are one unit of work
(services/common/unit_of_work.py): the Change is everything an action collected (state, history, audit,
events), and its events go into the outbox in the same transaction.
"""
from __future__ import annotations

import functools
from typing import Callable

from sqlalchemy import bindparam, delete, func, insert, or_, select, update
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import IntegrityError

from services.common.db import dialect_insert, insert_for
from services.common.unit_of_work import Transaction, unit_of_work

from ..tables import (
    ONE_PENDING_TRANSFER,
    account_links,
    accounts,
    answers,
    audit_log,
    case_access,
    cases,
    digests_sent,
    history,
    outbox,
    questions,
    recovery_codes,
    sessions,
    transfers,
)
from .access import REGIONAL, Staff
from .case import ONE_PENDING, PENDING, Case
from .changes import Change, NotFound, Refused
from .regional import regional_cases

# Built once: every arriving case runs them, and building them per case cost more than running them.
CASE_BY_ID = select(cases).where(cases.c.case_id == bindparam("case"))
PENDING_OF = select(transfers).where(transfers.c.case_id == bindparam("case"), transfers.c.state == PENDING)


@functools.cache
def _grant(dialect: str):
    statement = insert_for(dialect, case_access)
    return statement.on_conflict_do_update(index_elements=["case_id", "unit_id"],
                                           set_={"access": statement.excluded.access})


def rows(result) -> list[dict]:
    return [dict(row._mapping) for row in result]


class CaseRepository:
    def __init__(self, engine: Engine):
        self.engine = engine

    def _one(self, query, params: dict | None = None) -> dict | None:
        with self.engine.connect() as conn:
            row = conn.execute(query, params).first()
        return dict(row._mapping) if row else None

    def _all(self, query) -> list[dict]:
        with self.engine.connect() as conn:
            return rows(conn.execute(query))

    def get(self, case_id: str) -> dict | None:
        return self._one(CASE_BY_ID, {"case": case_id})

    def by_complaint(self, complaint_id: str) -> dict | None:
        return self._one(select(cases).where(cases.c.complaint_id == complaint_id))

    def accesses(self, case_id: str) -> dict[str, str]:
        found = self._all(select(case_access).where(case_access.c.case_id == case_id))
        return {row["unit_id"]: row["access"] for row in found}

    def visible_to(self, staff: Staff) -> list[dict]:
        if staff.role == REGIONAL:
            return self._all(regional_cases(staff).order_by(cases.c.due_date.asc().nulls_last(), cases.c.received_at))
        query = select(cases, case_access.c.access).join(
            case_access, (case_access.c.case_id == cases.c.case_id) & (case_access.c.unit_id == staff.unit_id),
            isouter=staff.role == "pengawas")
        return self._all(query.order_by(cases.c.due_date.asc().nulls_last(), cases.c.received_at))

    def group_members(self, group_id: str, staff: Staff) -> list[dict]:
        """The reports of one act this officer may see, the first report first."""
        return [case for case in self.visible_to(staff) if case["group_id"] == group_id]

    def with_due_date(self) -> list[dict]:
        """Every case some unit works with a due date (not final), for the daily digest."""
        return self._all(select(cases).where(cases.c.due_date.is_not(None)).order_by(cases.c.due_date))

    def history(self, case_id: str) -> list[dict]:
        return self._all(select(history).where(history.c.case_id == case_id).order_by(history.c.at, history.c.id))

    def transfers(self, case_id: str) -> list[dict]:
        return self._all(select(transfers).where(transfers.c.case_id == case_id).order_by(transfers.c.requested_at))

    def pending_transfer(self, case_id: str) -> dict | None:
        return self._one(PENDING_OF, {"case": case_id})

    def pending_transfers_of(self, unit_id: str) -> list[dict]:
        """The transfers out of `unit_id` waiting for its head's decision, oldest first, with each case's number."""
        query = select(transfers, cases.c.case_number, cases.c.tracking_code) \
            .join(cases, cases.c.case_id == transfers.c.case_id) \
            .where(transfers.c.from_unit_id == unit_id, transfers.c.state == PENDING)
        return self._all(query.order_by(transfers.c.requested_at))

    def question(self, question_id: str) -> dict | None:
        return self._one(select(questions).where(questions.c.question_id == question_id))

    def has_answer(self, answer_id: str) -> bool:
        return self._one(select(answers.c.answer_id).where(answers.c.answer_id == answer_id)) is not None

    def questions(self, case_id: str) -> list[dict]:
        asked = self._all(select(questions).where(questions.c.case_id == case_id).order_by(questions.c.asked_at))
        for question in asked:
            question["answers"] = self._all(select(answers).where(answers.c.question_id == question["question_id"])
                                            .order_by(answers.c.answered_at))
        return asked

    def transaction(self):
        """One unit of work, its events into the outbox."""
        return unit_of_work(self.engine, outbox=outbox)

    def act(self, case_id: str, action: Callable[[Case], Change]) -> Change:
        """Runs `action` on the case with its row locked (SELECT ... FOR UPDATE) and writes the Change it
        returns in the same transaction: two requests for one case take turns, and the second decides on
        what the first wrote. The unique index on pending transfers refuses what a lock could not see."""
        try:
            with self.transaction() as tx:
                change = action(self._locked(tx.conn, case_id))
                self._write(tx, change)
        except IntegrityError as error:
            if ONE_PENDING_TRANSFER in str(error.orig):
                raise Refused([ONE_PENDING]) from None
            raise
        return change

    def _locked(self, conn: Connection, case_id: str) -> Case:
        row = conn.execute(CASE_BY_ID.with_for_update(), {"case": case_id}).first()
        if row is None:
            raise NotFound(case_id)
        granted = conn.execute(select(case_access).where(case_access.c.case_id == case_id))
        pending = conn.execute(PENDING_OF, {"case": case_id}).first()
        return Case(dict(row._mapping), {grant.unit_id: grant.access for grant in granted},
                    dict(pending._mapping) if pending else None)

    def apply(self, change: Change) -> None:
        with self.transaction() as tx:
            self._write(tx, change)

    def _write(self, tx: Transaction, change: Change) -> None:
        if change.new_case:
            tx.conn.execute(insert(cases), change.new_case)
        if change.case_updates:
            self._update_case(tx.conn, change)
        self._grant_all(tx.conn, change.case_id, change.accesses)
        self._insert_rows(tx.conn, change)
        tx.emit(*change.events)

    def _update_case(self, conn, change: Change) -> None:
        query = update(cases).where(cases.c.case_id == change.case_id)
        if change.expected_sequence is not None:
            query = query.where(cases.c.sequence == change.expected_sequence)
        if conn.execute(query.values(**change.case_updates)).rowcount != 1:
            raise Refused(["Kasus baru saja diubah oleh petugas lain; muat ulang halaman."])

    def _grant_all(self, conn, case_id: str, accesses: dict[str, str]) -> None:
        """Every unit's access to the case in one upsert: a unit already holding one gets the new kind."""
        if not accesses:
            return
        conn.execute(_grant(conn.dialect.name), [{"case_id": case_id, "unit_id": unit_id, "access": kind}
                                                 for unit_id, kind in accesses.items()])

    def _insert_rows(self, conn, change: Change) -> None:
        for entry in change.history:
            conn.execute(insert(history), entry)
        if change.new_transfer:
            conn.execute(insert(transfers), change.new_transfer)
        if change.transfer_updates:
            transfer_id, values = change.transfer_updates
            conn.execute(update(transfers).where(transfers.c.transfer_id == transfer_id).values(**values))
        if change.new_question:
            conn.execute(insert(questions), change.new_question)
        if change.new_answer:
            conn.execute(insert(answers), change.new_answer)
        for line in change.audit:
            conn.execute(insert(audit_log), line)


class AuditLog:
    def __init__(self, engine: Engine):
        self.engine = engine

    def record(self, actor: str, unit_id: str, action: str, case_id: str | None = None, detail: str = "") -> None:
        with self.engine.begin() as conn:
            conn.execute(insert(audit_log).values(actor=actor, unit_id=unit_id, action=action, case_id=case_id,
                                                  detail=detail))

    def for_unit(self, unit_id: str, limit: int = 500) -> list[dict]:
        """The unit's own actions and every action on the cases it works or worked, with each case's number and
        each actor's name."""
        mine = select(case_access.c.case_id).where(case_access.c.unit_id == unit_id)
        named = audit_log.outerjoin(cases, cases.c.case_id == audit_log.c.case_id) \
            .outerjoin(accounts, accounts.c.username == audit_log.c.actor)
        query = select(audit_log, cases.c.case_number, cases.c.tracking_code,
                       accounts.c.name.label("actor_name")).select_from(named) \
            .where(or_(audit_log.c.unit_id == unit_id, audit_log.c.case_id.in_(mine)))
        with self.engine.connect() as conn:
            return rows(conn.execute(query.order_by(audit_log.c.id.desc()).limit(limit)))


class DigestLog:
    """Which unit got its digest on which day. `claim` before sending: only one run wins a unit's day."""

    def __init__(self, engine: Engine):
        self.engine = engine

    def claim(self, unit_id: str, day, cases: int) -> bool:
        with self.engine.begin() as conn:
            statement = dialect_insert(conn, digests_sent).values(unit_id=unit_id, day=day, cases=cases)
            won = statement.on_conflict_do_nothing().returning(digests_sent.c.unit_id)
            return conn.execute(won).first() is not None

    def release(self, unit_id: str, day) -> None:
        """The mail could not be sent: a later run may try again."""
        with self.engine.begin() as conn:
            conn.execute(delete(digests_sent).where(digests_sent.c.unit_id == unit_id, digests_sent.c.day == day))


class AccountRepository:
    def __init__(self, engine: Engine):
        self.engine = engine

    def by_username(self, username: str) -> dict | None:
        with self.engine.connect() as conn:
            row = conn.execute(select(accounts).where(accounts.c.username == username)).first()
        return dict(row._mapping) if row else None

    def by_id(self, account_id: int) -> dict | None:
        with self.engine.connect() as conn:
            row = conn.execute(select(accounts).where(accounts.c.id == account_id)).first()
        return dict(row._mapping) if row else None

    def of_unit(self, unit_id: str) -> list[dict]:
        with self.engine.connect() as conn:
            return rows(conn.execute(select(accounts).where(accounts.c.unit_id == unit_id)
                                     .order_by(accounts.c.username)))

    def add(self, **values) -> int:
        with self.engine.begin() as conn:
            return conn.execute(insert(accounts).values(**values).returning(accounts.c.id)).scalar_one()

    def update(self, account_id: int, **values) -> None:
        with self.engine.begin() as conn:
            conn.execute(update(accounts).where(accounts.c.id == account_id).values(**values))

    # Sessions belong to an account: services/desk/accounts/sessions.py says what they mean.
    def session(self, key_sha256: str) -> dict | None:
        with self.engine.connect() as conn:
            row = conn.execute(select(sessions).where(sessions.c.key_sha256 == key_sha256)).first()
        return dict(row._mapping) if row else None

    def add_session(self, key_sha256: str, account_id: int, at) -> None:
        with self.engine.begin() as conn:
            conn.execute(insert(sessions).values(key_sha256=key_sha256, account_id=account_id,
                                                 started_at=at, seen_at=at))

    def touch_session(self, key_sha256: str, at) -> None:
        with self.engine.begin() as conn:
            conn.execute(update(sessions).where(sessions.c.key_sha256 == key_sha256).values(seen_at=at))

    def drop_session(self, key_sha256: str) -> None:
        with self.engine.begin() as conn:
            conn.execute(delete(sessions).where(sessions.c.key_sha256 == key_sha256))

    def drop_sessions_of(self, account_id: int) -> None:
        with self.engine.begin() as conn:
            conn.execute(delete(sessions).where(sessions.c.account_id == account_id))

    def drop_sessions_seen_before(self, before) -> None:
        with self.engine.begin() as conn:
            conn.execute(delete(sessions).where(sessions.c.seen_at < before))

    def by_email(self, email: str) -> list[dict]:
        with self.engine.connect() as conn:
            return rows(conn.execute(select(accounts).where(func.lower(accounts.c.email) == email.lower())))

    def add_with_link(self, token_sha256: str, at, **values) -> int | None:
        """The invited account, and its invitation marked used, in one transaction; None when the link was
        used or expired meanwhile (two tabs, or two people with one mail)."""
        with self.engine.begin() as conn:
            if not self._use_link(conn, token_sha256, "invite", at):
                return None
            return conn.execute(insert(accounts).values(**values).returning(accounts.c.id)).scalar_one()

    # One-time links and recovery codes belong to an account too: services/desk/accounts/links.py and recovery.py.
    def add_link(self, **values) -> None:
        with self.engine.begin() as conn:
            conn.execute(insert(account_links).values(**values))

    def link(self, token_sha256: str) -> dict | None:
        with self.engine.connect() as conn:
            row = conn.execute(select(account_links).where(account_links.c.token_sha256 == token_sha256)).first()
        return dict(row._mapping) if row else None

    def use_link(self, token_sha256: str, purpose: str, at) -> bool:
        with self.engine.begin() as conn:
            return self._use_link(conn, token_sha256, purpose, at)

    @staticmethod
    def _use_link(conn, token_sha256: str, purpose: str, at) -> bool:
        """Marks the link used, once: only the first of two racing requests changes the row."""
        used = update(account_links).where(account_links.c.token_sha256 == token_sha256,
                                           account_links.c.purpose == purpose, account_links.c.used_at.is_(None),
                                           account_links.c.expires_at > at).values(used_at=at)
        return conn.execute(used).rowcount == 1

    def open_invitations(self, unit_id: str, at) -> list[dict]:
        query = select(account_links).where(account_links.c.unit_id == unit_id, account_links.c.purpose == "invite",
                                            account_links.c.used_at.is_(None), account_links.c.expires_at > at)
        with self.engine.connect() as conn:
            return rows(conn.execute(query.order_by(account_links.c.created_at)))

    def active_with_email(self, roles: tuple[str, ...]) -> list[dict]:
        """Enabled accounts of these roles that have an address: unit_id, name, email."""
        query = select(accounts.c.unit_id, accounts.c.name, accounts.c.email).where(
            accounts.c.role.in_(roles), accounts.c.disabled.is_(False), accounts.c.email.is_not(None))
        with self.engine.connect() as conn:
            return rows(conn.execute(query.order_by(accounts.c.unit_id, accounts.c.email)))

    def units_with_admin(self) -> set[str]:
        with self.engine.connect() as conn:
            return set(conn.execute(select(accounts.c.unit_id).where(accounts.c.role == "admin")).scalars())

    def replace_recovery_codes(self, account_id: int, hashes: list[str]) -> None:
        with self.engine.begin() as conn:
            conn.execute(delete(recovery_codes).where(recovery_codes.c.account_id == account_id))
            conn.execute(insert(recovery_codes), [{"account_id": account_id, "code_hash": h} for h in hashes])

    def unused_recovery_codes(self, account_id: int) -> list[dict]:
        query = select(recovery_codes).where(recovery_codes.c.account_id == account_id,
                                             recovery_codes.c.used_at.is_(None))
        with self.engine.connect() as conn:
            return rows(conn.execute(query))

    def use_recovery_code(self, code_id: int, at) -> bool:
        query = update(recovery_codes).where(recovery_codes.c.id == code_id, recovery_codes.c.used_at.is_(None))
        with self.engine.begin() as conn:
            return conn.execute(query.values(used_at=at)).rowcount == 1

    def drop_recovery_codes(self, account_id: int) -> None:
        with self.engine.begin() as conn:
            conn.execute(delete(recovery_codes).where(recovery_codes.c.account_id == account_id))
