"""What notify does with each event: mail a routed case to its units, and tell the reporter, if they left
an email, that their complaint arrived, that evidence was refused, that its status changed or that a unit
asks them something.

Each mail is owed once per delivery key (see delivery.py). A repeated event finds the mail already sent
and only re-publishes the same notification.sent (same derived event id), never a second mail.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timezone
from email.message import Message

import structlog

from services.common.envelope import read_payload
from services.common.logs import summary
from services.common.sealing import Opener

from .contact import open_contact
from .delivery import Delivery
from .events import (CaseRouted, ComplaintSubmitted, EvidenceRejected, IdentityDisclosed, QuestionAsked,
                     StatusChanged)
from .mail import (ack_message_id, disclosure_message_id, evidence_rejected_message, question_message_id,
                   rejected_message_id, reporter_ack_message, reporter_disclosure_message, reporter_update_message,
                   status_message_id, unit_case_message, unit_message_id)
from .ports import Contacts
from .retention import note_status
from .sending import Mailer, TryLater, deliver

__all__ = ["Mailer", "Reporters", "TryLater", "mail_reporter_ack", "mail_reporter_disclosed",
           "mail_reporter_question",
           "mail_reporter_rejected", "mail_reporter_status", "mail_unit"]

log = structlog.get_logger("netra.notify")


@dataclass(frozen=True)
class Reporters:
    """What mails to reporters need besides: their sealed contacts, the keys to open them, the public site."""
    contacts: Contacts
    opener: Opener
    public_url: str


def mail_unit(event: dict, mailer: Mailer, *, desk_url: str) -> None:
    """The case mail, To its primary unit with the units in copy on Cc; once per routing."""
    case = read_payload(CaseRouted, event)
    primary, transfer_id = case["units"]["primary"], (case["transfer"] or {}).get("transfer_id")
    delivery = Delivery(case["complaint_id"], "unit", "case", unit_message_id(case["case_id"], transfer_id),
                        case_id=case["case_id"], unit_id=primary["unit_id"], ref=transfer_id or "")
    outcome = deliver(delivery, lambda: unit_case_message(case, desk_url, mailer.mail_from), mailer,
                      server_detail=True)
    summary(log, "notify.unit_mail", outcome=outcome, case_id=case["case_id"], unit_id=primary["unit_id"],
             copies=len(case["units"]["copies"]), files=len(case["files"]), transfer=transfer_id is not None)


def mail_reporter_ack(event: dict, mailer: Mailer, reporters: Reporters) -> None:
    submitted = read_payload(ComplaintSubmitted, event)
    complaint_id, sealed = submitted["complaint_id"], submitted["reporter_contact"]
    # Kept before anything can fail, so later events always know whether to write.
    reporters.contacts.keep(complaint_id, sealed)
    if not sealed:
        summary(log, "notify.reporter_ack", outcome="no_contact")
        return
    delivery = Delivery(complaint_id, "reporter", "ack", ack_message_id(complaint_id))

    def build() -> Message:
        return reporter_ack_message(submitted["tracking_code"], submitted["submitted_at"],
                                    open_contact(sealed, reporters.opener), complaint_id=complaint_id,
                                    public_url=reporters.public_url, mail_from=mailer.mail_from)

    summary(log, "notify.reporter_ack", outcome=deliver(delivery, build, mailer))


def mail_reporter_rejected(event: dict, mailer: Mailer, reporters: Reporters) -> None:
    notice = read_payload(EvidenceRejected, event)
    sealed = _sealed_contact(reporters, notice["complaint_id"])
    if not sealed or not notice["rejected"]:
        log.info("notify.reporter_rejected", outcome="no_contact", rejected=len(notice["rejected"]))
        return
    complaint_id = notice["complaint_id"]
    delivery = Delivery(complaint_id, "reporter", "evidence_rejected", rejected_message_id(complaint_id))

    def build() -> Message:
        return evidence_rejected_message(notice["tracking_code"], notice["rejected"],
                                         open_contact(sealed, reporters.opener), complaint_id=complaint_id,
                                         public_url=reporters.public_url, mail_from=mailer.mail_from)

    outcome = deliver(delivery, build, mailer)
    log.info("notify.reporter_rejected", outcome=outcome, rejected=len(notice["rejected"]))


def mail_reporter_status(event: dict, mailer: Mailer, reporters: Reporters) -> None:
    """One short mail per status change of a case (keyed by case and the desk's sequence number)."""
    change = read_payload(StatusChanged, event)
    note_status(reporters.contacts, change, datetime.now(timezone.utc))
    ref = f"{change['case_id']}:{change['sequence']}"
    delivery = Delivery(change["complaint_id"], "reporter", "status_changed",
                        status_message_id(change["case_id"], change["sequence"]), case_id=change["case_id"],
                        ref=ref)
    log.info("notify.reporter_status", outcome=_update_reporter("status_changed", change["tracking_code"], delivery,
                                                                mailer, reporters),
             case_id=change["case_id"], sequence=change["sequence"])


def mail_reporter_question(event: dict, mailer: Mailer, reporters: Reporters) -> None:
    """One short mail per question a unit asks the reporter (keyed by the question's id)."""
    asked = read_payload(QuestionAsked, event)
    delivery = Delivery(asked["complaint_id"], "reporter", "question", question_message_id(asked["question_id"]),
                        case_id=asked["case_id"], ref=asked["question_id"])
    log.info("notify.reporter_question", outcome=_update_reporter("question", asked["tracking_code"], delivery,
                                                                  mailer, reporters),
             case_id=asked["case_id"])


def mail_reporter_disclosed(event: dict, mailer: Mailer, reporters: Reporters) -> None:
    """The reporter learns which body received their identity, and why; once per request."""
    disclosed = read_payload(IdentityDisclosed, event)
    if disclosed["outcome"] != "released":
        log.info("notify.reporter_disclosed", outcome="nothing_released", case_id=disclosed["case_id"])
        return
    delivery = Delivery(disclosed["complaint_id"], "reporter", "identity_disclosed",
                        disclosure_message_id(disclosed["request_id"]), case_id=disclosed["case_id"],
                        ref=disclosed["request_id"])
    sealed = _sealed_contact(reporters, delivery.complaint_id)
    outcome = "no_contact" if not sealed else deliver(delivery, lambda: reporter_disclosure_message(
        disclosed["tracking_code"], disclosed["body_name"], str(disclosed["legal_basis"].get("citation", "")),
        open_contact(sealed, reporters.opener), message_id=delivery.message_id, public_url=reporters.public_url,
        mail_from=mailer.mail_from), mailer)
    log.info("notify.reporter_disclosed", outcome=outcome, case_id=disclosed["case_id"])


def _update_reporter(kind: str, tracking_code: str, delivery: Delivery, mailer: Mailer,
                     reporters: Reporters) -> str:
    sealed = _sealed_contact(reporters, delivery.complaint_id)
    if not sealed:
        return "contact_deleted" if reporters.contacts.purged(delivery.complaint_id) else "no_contact"
    return deliver(delivery, lambda: reporter_update_message(
        kind, tracking_code, open_contact(sealed, reporters.opener), message_id=delivery.message_id,
        public_url=reporters.public_url, mail_from=mailer.mail_from), mailer)


def _sealed_contact(reporters: Reporters, complaint_id: str) -> str | None:
    known, sealed = reporters.contacts.sealed_for(complaint_id)
    if not known:
        raise TryLater("complaint.submitted not read yet; cannot tell whether the reporter left an email")
    return sealed
