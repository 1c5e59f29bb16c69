"""The desk's own tables: cases as the desk handles them, who may see them, staff and their sessions, audit
log, outbox."""
from sqlalchemy import (
                        JSON,
                        Boolean,
                        Column,
                        Date,
                        DateTime,
                        Index,
                        Integer,
                        MetaData,
                        String,
                        Table,
                        Text,
                        func,
                        text,
)

from services.common.outbox import outbox_table

metadata = MetaData()

cases = Table(
    "cases", metadata,
    Column("case_id", String(36), primary_key=True),
    Column("complaint_id", String(36), nullable=False),
    Column("tracking_code", String(20), nullable=False),
    Column("case_number", String(32), index=True),  # routing's NTR-2026-1403-00123; none before numbers existed
    Column("unit_id", String(80), nullable=False, index=True),  # the unit working the case now
    Column("unit_name", Text, nullable=False),
    Column("status", String(40), nullable=False),
    Column("status_since", DateTime(timezone=True), nullable=False),
    Column("due_date", Date),
    Column("sequence", Integer, nullable=False, default=0),
    Column("subject", JSON, nullable=False),
    Column("violation", JSON, nullable=False),
    Column("files", JSON, nullable=False),
    Column("sanction", JSON),
    Column("received_at", DateTime(timezone=True), nullable=False),
    # Reports of the same act share a group (routing decides; the first report's case id names it).
    Column("group_id", String(36), index=True),
    Column("group_matched_on", JSON),
    Column("law", JSON),  # case.routed's legal facts in codes (contexts, breach kinds, bases, deadlines)
    Column("chain", JSON),  # the chain of steps and each step's state and outcome (services/desk/chain/steps.py)
)

# Every unit that may open a case: "primary" works it, "copy" (tembusan) and "former" (it transferred
# the case away) only read it.
case_access = Table(
    "case_access", metadata,
    Column("case_id", String(36), primary_key=True),
    Column("unit_id", String(80), primary_key=True),
    Column("access", String(10), nullable=False),
)

history = Table(
    "history", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("case_id", String(36), nullable=False, index=True),
    Column("unit_id", String(80), nullable=False),
    Column("status", String(40), nullable=False),
    Column("previous_status", String(40)),
    Column("actor", String(80), nullable=False),
    Column("file_note", Text, nullable=False, default=""),
    Column("public_note", Text),
    Column("details", JSON),
    Column("at", DateTime(timezone=True), nullable=False),
)

transfers = Table(
    "transfers", metadata,
    Column("transfer_id", String(36), primary_key=True),
    Column("case_id", String(36), nullable=False, index=True),
    Column("from_unit_id", String(80), nullable=False),
    Column("to_unit_id", String(80), nullable=False),
    Column("reason", Text, nullable=False),
    Column("requested_by", String(80), nullable=False),
    Column("requested_at", DateTime(timezone=True), nullable=False),
    Column("state", String(20), nullable=False),  # diajukan, disetujui, selesai, ditolak
    Column("approved_by", String(80)),
    Column("approved_at", DateTime(timezone=True)),
    Column("refused_by", String(80)),
    Column("refused_at", DateTime(timezone=True)),
    Column("refusal_reason", Text),
)
# At most one transfer of a case waits for approval (migrations/versions/0006_one_pending_transfer.py).
ONE_PENDING_TRANSFER = "ix_transfers_one_pending"
Index(ONE_PENDING_TRANSFER, transfers.c.case_id, unique=True, postgresql_where=text("state = 'diajukan'"),
      sqlite_where=text("state = 'diajukan'"))

questions = Table(
    "questions", metadata,
    Column("question_id", String(36), primary_key=True),
    Column("case_id", String(36), nullable=False, index=True),
    Column("unit_id", String(80), nullable=False),
    Column("question", Text, nullable=False),
    Column("asked_by", String(80), nullable=False),
    Column("asked_at", DateTime(timezone=True), nullable=False),
)

answers = Table(
    "answers", metadata,
    Column("answer_id", String(36), primary_key=True),
    Column("question_id", String(36), nullable=False, index=True),
    Column("answer", Text, nullable=False),
    Column("answered_at", DateTime(timezone=True), nullable=False),
)

accounts = Table(
    "accounts", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("username", String(80), nullable=False, unique=True),
    Column("name", String(120)),
    Column("email", String(254), index=True),
    Column("unit_id", String(80), nullable=False, index=True),
    Column("role", String(20), nullable=False),
    Column("password_hash", Text, nullable=False),
    Column("totp_secret", String(64)),
    Column("totp_confirmed", Boolean, nullable=False, default=False),
    Column("last_totp_step", Integer),
    Column("disabled", Boolean, nullable=False, default=False),
    Column("failed_logins", Integer, nullable=False, default=0),
    Column("locked_until", DateTime(timezone=True)),  # shown to the admin; the throttle decides (throttle.py)
    Column("unlocked_at", DateTime(timezone=True)),  # names the login counters: an unlock starts them afresh
    Column("created_at", DateTime(timezone=True), server_default=func.now()),
)

# Signed-in sessions (services/desk/accounts/sessions.py): the cookie holds a random key, this table its SHA-256.
sessions = Table(
    "sessions", metadata,
    Column("key_sha256", String(64), primary_key=True),
    Column("account_id", Integer, nullable=False, index=True),
    Column("started_at", DateTime(timezone=True), nullable=False),
    Column("seen_at", DateTime(timezone=True), nullable=False, index=True),
)

# One-time links (services/desk/accounts/links.py): an invitation ("invite") or a password reset ("reset"). The link
# carries a random token; this table holds only its SHA-256, so a copy of the database opens no account.
account_links = Table(
    "account_links", metadata,
    Column("token_sha256", String(64), primary_key=True),
    Column("purpose", String(10), nullable=False),
    Column("unit_id", String(80), nullable=False, index=True),
    Column("role", String(20)),  # the invited role; none for a reset
    Column("email", String(254), nullable=False),
    Column("account_id", Integer),  # the account a reset is for
    Column("created_by", String(80), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("expires_at", DateTime(timezone=True), nullable=False),
    Column("used_at", DateTime(timezone=True)),
)

# Given once at enrolment of the second factor; only argon2 hashes are kept, each code usable once.
recovery_codes = Table(
    "recovery_codes", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("account_id", Integer, nullable=False, index=True),
    Column("code_hash", Text, nullable=False),
    Column("used_at", DateTime(timezone=True)),
)

# Append-only: on PostgreSQL a trigger refuses UPDATE, DELETE and TRUNCATE (migrations/versions/0001_initial.py),
# and the services' role is granted only SELECT and INSERT (services/common/grants.py).
audit_log = Table(
    "audit_log", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    Column("actor", String(80), nullable=False),
    Column("unit_id", String(80), nullable=False, index=True),
    Column("action", String(60), nullable=False),
    Column("case_id", String(36), index=True),
    Column("detail", Text, nullable=False, default=""),
    info={"append_only": True},
)

outbox = outbox_table(metadata)


# One row per unit and office day whose digest was sent (or is being sent): the digest never goes twice.
digests_sent = Table(
    "digests_sent", metadata,
    Column("unit_id", String(80), primary_key=True),
    Column("day", Date, primary_key=True),
    Column("cases", Integer, nullable=False),
    Column("sent_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
)


# When each officer last opened each case: a case with a history line after it, by someone else (the
# reporter's answer or evidence, another officer, a transfer), shows as new in that officer's list.
case_reads = Table(
    "case_reads", metadata,
    Column("account_id", Integer, primary_key=True),
    Column("case_id", String(36), primary_key=True),
    Column("seen_at", DateTime(timezone=True), nullable=False),
)

# Requests for a reporter's identity (services/desk/disclosure/): asked by an officer of an allowed body,
# decided by the identity custodian; the identity arrives from intake sealed to the desk's disclosure key,
# is kept sealed, and is blanked in the transaction that shows it, once, to the officer who asked.
disclosure_requests = Table(
    "disclosure_requests", metadata,
    Column("request_id", String(36), primary_key=True),
    Column("case_id", String(36), nullable=False, index=True),
    Column("unit_id", String(80), nullable=False),
    Column("requested_by_id", Integer, nullable=False),
    Column("requested_by", String(80), nullable=False),
    Column("reason", Text, nullable=False),
    Column("legal_basis", String(60), nullable=False),
    Column("requested_at", DateTime(timezone=True), nullable=False),
    Column("state", String(20), nullable=False),  # diajukan, disetujui, ditolak, tersedia, tidak_tersedia, ditampilkan
    Column("decided_by", String(80)),
    Column("decided_at", DateTime(timezone=True)),
    Column("decision_reason", Text),
    Column("sealed_identity", Text),  # sealed to the desk's disclosure key; blanked when shown
    Column("outcome", String(40)),  # intake's answer: released, no_identity, not_sealed_for_disclosure
    Column("released_at", DateTime(timezone=True)),
    Column("shown_at", DateTime(timezone=True)),
)
# At most one open request per case and unit (migrations/versions/0011_identity_disclosure.py).
ONE_OPEN_DISCLOSURE = "ix_disclosure_requests_one_open"
Index(ONE_OPEN_DISCLOSURE, disclosure_requests.c.case_id, disclosure_requests.c.unit_id, unique=True,
      postgresql_where=text("state IN ('diajukan', 'disetujui')"),
      sqlite_where=text("state IN ('diajukan', 'disetujui')"))

# The case list's default order and its date filter (services/desk/cases/case_list.py); the unread markers' latest line.
Index("ix_cases_due_date_received_at", cases.c.due_date, cases.c.received_at)
Index("ix_cases_received_at", cases.c.received_at)
Index("ix_history_case_id_at", history.c.case_id, history.c.at)
