"""What notify does with each event: mail the unit a routed case, and mail the reporter, if they left an email.

Each mail is owed once per (complaint, recipient kind, purpose). A repeated event finds the mail already
sent and only re-publishes the same notification.sent (same derived event id), never a second mail.
"""
from __future__ import annotations

from datetime import datetime, timedelta, timezone
from email.message import EmailMessage
from typing import Callable

import structlog
from sqlalchemy.engine import Engine

from services.common.db import record_processed, transaction
from services.common.storage import EVIDENCE_BUCKET
from services.common.envelope import Permanent, read_payload

from . import deliveries
from .contact import open_contact
from .deliveries import ALREADY_SENT, BUSY, Delivery
from .events import CaseRouted, ComplaintSubmitted, EvidenceRejected, notification_failed, notification_sent
from .mail import (BadAddress, ack_message_id, copies_message_id, evidence_rejected_message, has_copies,
                   rejected_message_id, reporter_ack_message, unit_case_message, unit_message_id)
from .smtp import PermanentMailError, TransientMailError

log = structlog.get_logger("netra.notify")

Sender = Callable[[EmailMessage], None]
Publish = Callable[[dict], None]


class TryLater(Exception):
    """Not an error of this message: another delivery or an earlier event has to finish first."""


def mail_unit(event: dict, engine: Engine, s3, sender: Sender, publish: Publish, *, mail_from: str,
              presign_seconds: int, bucket: str = EVIDENCE_BUCKET) -> None:
    case = read_payload(CaseRouted, event)
    primary = case["units"]["primary"]
    to_primary = Delivery(case["complaint_id"], "unit", "case", unit_message_id(case["case_id"]),
                          case_id=case["case_id"], unit_id=primary["unit_id"])
    to_copies = Delivery(case["complaint_id"], "unit", "case_copies", copies_message_id(case["case_id"]),
                         case_id=case["case_id"])

    def build(for_copies: bool) -> Callable[[], EmailMessage]:
        def message() -> EmailMessage:
            expires = timedelta(seconds=presign_seconds)
            links = {f["key"]: s3.presigned_get_object(bucket, f["key"], expires=expires) for f in case["files"]}
            return unit_case_message(case, links, datetime.now(timezone.utc) + expires, mail_from, for_copies)
        return message

    # The primary unit first: copies never hold it up, and its retry never re-mails the copies.
    outcome = deliver(to_primary, build(False), event, engine, sender, publish, server_detail=True)
    copies = deliver(to_copies, build(True), event, engine, sender, publish, server_detail=True) \
        if has_copies(case) else "no_copies"
    log.info("notify.unit_mail", outcome=outcome, copies_outcome=copies, case_id=case["case_id"],
             unit_id=primary["unit_id"], copies=len(case["units"]["copies"]), files=len(case["files"]))


def mail_reporter_ack(event: dict, engine: Engine, sender: Sender, publish: Publish, *, mail_from: str,
                      contact_key: str, public_url: str) -> None:
    submitted = read_payload(ComplaintSubmitted, event)
    complaint_id, sealed = submitted["complaint_id"], submitted["reporter_contact"]
    # Kept before anything can fail, so a later evidence.rejected always knows whether to write.
    deliveries.keep_contact(engine, complaint_id, submitted["tracking_code"], sealed)
    if not sealed:
        log.info("notify.reporter_ack", outcome="no_contact")
        return
    delivery = Delivery(complaint_id, "reporter", "ack", ack_message_id(complaint_id))

    def build() -> EmailMessage:
        return reporter_ack_message(submitted["tracking_code"], submitted["submitted_at"],
                                    open_contact(sealed, contact_key), complaint_id=complaint_id,
                                    public_url=public_url, mail_from=mail_from)

    log.info("notify.reporter_ack", outcome=deliver(delivery, build, event, engine, sender, publish))


def mail_reporter_rejected(event: dict, engine: Engine, sender: Sender, publish: Publish, *, mail_from: str,
                           contact_key: str, public_url: str) -> None:
    notice = read_payload(EvidenceRejected, event)
    complaint_id = notice["complaint_id"]
    known, sealed = deliveries.sealed_contact(engine, complaint_id)
    if not known:
        raise TryLater("complaint.submitted not read yet; cannot tell whether the reporter left an email")
    if not sealed or not notice["rejected"]:
        log.info("notify.reporter_rejected", outcome="no_contact", rejected=len(notice["rejected"]))
        return
    delivery = Delivery(complaint_id, "reporter", "evidence_rejected", rejected_message_id(complaint_id))

    def build() -> EmailMessage:
        return evidence_rejected_message(notice["tracking_code"], notice["rejected"],
                                         open_contact(sealed, contact_key), complaint_id=complaint_id,
                                         public_url=public_url, mail_from=mail_from)

    outcome = deliver(delivery, build, event, engine, sender, publish)
    log.info("notify.reporter_rejected", outcome=outcome, rejected=len(notice["rejected"]))


def deliver(delivery: Delivery, build: Callable[[], EmailMessage], event: dict, engine: Engine, sender: Sender,
            publish: Publish, server_detail: bool = False) -> str:
    """Sends the mail unless it was sent already; always ends by publishing what became of it.

    server_detail: put the SMTP server's words into the failure reason (never for reporters: they
    may quote the reporter's address).
    """
    claimed = deliveries.claim(engine, delivery)
    if claimed == ALREADY_SENT:
        publish(notification_sent(delivery))
        return "already_sent"
    if claimed == BUSY:
        raise TryLater("another worker is sending this mail right now")
    try:
        sender(build())
    except (PermanentMailError, BadAddress) as exc:
        _give_up(delivery, _failure_reason(exc, server_detail), engine, publish)
    except Exception as exc:
        deliveries.release(engine, delivery, str(exc) if isinstance(exc, TransientMailError) else type(exc).__name__)
        raise
    with transaction(engine) as conn:
        deliveries.mark_sent(conn, delivery)
        record_processed(conn, deliveries.inbox, event)
    publish(notification_sent(delivery))
    return "sent"


def _give_up(delivery: Delivery, reason: str, engine: Engine, publish: Publish) -> None:
    deliveries.mark_failed(engine, delivery, reason)
    publish(notification_failed(delivery, reason))
    raise Permanent(f"{delivery.recipient_kind} mail refused: {reason}")


def _failure_reason(exc: Exception, server_detail: bool) -> str:
    if isinstance(exc, PermanentMailError) and server_detail:
        return f"{exc}: {exc.detail}"
    return str(exc)
