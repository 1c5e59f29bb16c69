"""In-memory fakes of the desk's repositories, for unit tests: same methods, dicts instead of tables."""
from __future__ import annotations

import copy

from services.desk.cases.case import Case
from services.desk.cases.changes import Change, NotFound, Refused


class FakeCases:
    def __init__(self):
        self.cases: dict[str, dict] = {}
        self.access: dict[str, dict[str, str]] = {}
        self.history_rows: list[dict] = []
        self.transfer_rows: dict[str, dict] = {}
        self.question_rows: dict[str, dict] = {}
        self.answer_rows: dict[str, dict] = {}
        self.outbox: list[dict] = []
        self.audit: list[dict] = []

    def get(self, case_id):
        return copy.deepcopy(self.cases.get(case_id))

    def by_complaint(self, complaint_id):
        return copy.deepcopy(next((c for c in self.cases.values() if c["complaint_id"] == complaint_id), None))

    def accesses(self, case_id):
        return dict(self.access.get(case_id, {}))

    def pending_transfer(self, case_id):
        return next((dict(t) for t in self.transfer_rows.values()
                     if t["case_id"] == case_id and t["state"] == "diajukan"), None)

    def transfers(self, case_id):
        return [dict(t) for t in self.transfer_rows.values() if t["case_id"] == case_id]

    def act(self, case_id, action):
        if case_id not in self.cases:
            raise NotFound(case_id)
        change = action(Case(self.get(case_id), self.accesses(case_id), self.pending_transfer(case_id)))
        self.apply(change)
        return change

    def question(self, question_id):
        return self.question_rows.get(question_id)

    def has_answer(self, answer_id):
        return answer_id in self.answer_rows

    def history(self, case_id):
        return [h for h in self.history_rows if h["case_id"] == case_id]

    def apply(self, change: Change) -> None:
        if change.new_case:
            assert change.case_id not in self.cases, "primary key"
            self.cases[change.case_id] = copy.deepcopy(change.new_case)
        if change.case_updates:
            case = self.cases[change.case_id]
            if change.expected_sequence is not None and case["sequence"] != change.expected_sequence:
                raise Refused(["Kasus baru saja diubah oleh petugas lain; muat ulang halaman."])
            case.update(copy.deepcopy(change.case_updates))
        self.access.setdefault(change.case_id, {}).update(change.accesses)
        self.history_rows += change.history
        if change.new_transfer:
            self.transfer_rows[change.new_transfer["transfer_id"]] = dict(change.new_transfer)
        if change.transfer_updates:
            self.transfer_rows[change.transfer_updates[0]].update(change.transfer_updates[1])
        if change.new_question:
            self.question_rows[change.new_question["question_id"]] = dict(change.new_question)
        if change.new_answer:
            self.answer_rows[change.new_answer["answer_id"]] = dict(change.new_answer)
        self.outbox += change.events
        self.audit += change.audit


class FakeAccounts:
    def __init__(self):
        self.rows: dict[int, dict] = {}
        self.sessions: dict[str, dict] = {}
        self.links: dict[str, dict] = {}
        self.codes: dict[int, dict] = {}

    def by_username(self, username):
        return next((dict(a) for a in self.rows.values() if a["username"] == username), None)

    def by_id(self, account_id):
        return dict(self.rows[account_id]) if account_id in self.rows else None

    def of_unit(self, unit_id):
        return sorted((dict(a) for a in self.rows.values() if a["unit_id"] == unit_id), key=lambda a: a["username"])

    def add(self, **values):
        account_id = len(self.rows) + 1
        self.rows[account_id] = {"id": account_id, "totp_secret": None, "last_totp_step": None,
                                 "locked_until": None, **values}
        return account_id

    def update(self, account_id, **values):
        self.rows[account_id].update(values)

    def active_with_email(self, roles):
        return [{"unit_id": a["unit_id"], "name": a.get("name"), "email": a["email"]} for a in self.rows.values()
                if a["role"] in roles and not a.get("disabled") and a.get("email")]

    def session(self, key_sha256):
        return dict(self.sessions[key_sha256]) if key_sha256 in self.sessions else None

    def add_session(self, key_sha256, account_id, at):
        self.sessions[key_sha256] = {"key_sha256": key_sha256, "account_id": account_id, "started_at": at,
                                     "seen_at": at}

    def touch_session(self, key_sha256, at):
        self.sessions[key_sha256]["seen_at"] = at

    def drop_session(self, key_sha256):
        self.sessions.pop(key_sha256, None)

    def drop_sessions_of(self, account_id):
        self.sessions = {key: row for key, row in self.sessions.items() if row["account_id"] != account_id}

    def drop_sessions_seen_before(self, before):
        self.sessions = {key: row for key, row in self.sessions.items() if row["seen_at"] >= before}

    # One-time links and recovery codes, as AccountRepository keeps them.
    def add_link(self, **values):
        self.links[values["token_sha256"]] = {"role": None, "account_id": None, "used_at": None, **values}

    def link(self, token_sha256):
        return dict(self.links[token_sha256]) if token_sha256 in self.links else None

    def use_link(self, token_sha256, purpose, at):
        link = self.link(token_sha256)
        if link is None or link["purpose"] != purpose or link["used_at"] or link["expires_at"] <= at:
            return False
        self.links[token_sha256]["used_at"] = at
        return True

    def add_with_link(self, token_sha256, at, **values):
        return self.add(**values) if self.use_link(token_sha256, "invite", at) else None

    def by_email(self, email):
        return [dict(a) for a in self.rows.values() if (a.get("email") or "").lower() == email.lower()]

    def units_with_admin(self):
        return {a["unit_id"] for a in self.rows.values() if a["role"] == "admin"}

    def open_invitations(self, unit_id, at):
        return [dict(link) for link in self.links.values() if link["unit_id"] == unit_id
                and link["purpose"] == "invite" and not link["used_at"] and link["expires_at"] > at]

    def replace_recovery_codes(self, account_id, hashes):
        self.codes = {k: v for k, v in self.codes.items() if v["account_id"] != account_id}
        for code_hash in hashes:
            code_id = max(self.codes, default=0) + 1
            self.codes[code_id] = {"id": code_id, "account_id": account_id, "code_hash": code_hash, "used_at": None}

    def unused_recovery_codes(self, account_id):
        return [dict(c) for c in self.codes.values() if c["account_id"] == account_id and not c["used_at"]]

    def use_recovery_code(self, code_id, at):
        if self.codes[code_id]["used_at"]:
            return False
        self.codes[code_id]["used_at"] = at
        return True

    def drop_recovery_codes(self, account_id):
        self.codes = {k: v for k, v in self.codes.items() if v["account_id"] != account_id}
