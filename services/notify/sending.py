"""Sending one owed mail: claim its delivery, send, record, and publish what became of it."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timezone
from email.message import Message
from typing import Callable

from services.common.envelope import Permanent
from services.common.metrics import MAILS, MailMetrics

from .delivery import ALREADY_SENT, BUSY, Delivery
from .events import notification_failed, notification_sent
from .mail import BadAddress
from .ports import Deliveries, Publish, Sender
from .smtp import PermanentMailError, TransientMailError


class TryLater(Exception):
    """Not an error of this message: another delivery or an earlier event has to finish first."""


@dataclass(frozen=True)
class Mailer:
    """What every mail needs: the deliveries record, the SMTP sender, the event publisher, the sender address;
    and where mails are counted by result."""
    deliveries: Deliveries
    sender: Sender
    publish: Publish
    mail_from: str
    metrics: MailMetrics = MAILS


def deliver(delivery: Delivery, build: Callable[[], Message], mailer: Mailer,
            server_detail: bool = False) -> str:
    """Sends the mail unless it was sent already; always ends by publishing what became of it.

    server_detail: put the SMTP server's words into the failure reason (never for reporters: they
    may quote the reporter's address).
    """
    claimed = mailer.deliveries.claim(delivery, _now())
    if claimed == ALREADY_SENT:
        mailer.metrics.count(delivery.recipient_kind, "suppressed")
        mailer.publish(notification_sent(delivery))
        return "already_sent"
    if claimed == BUSY:
        raise TryLater("another worker is sending this mail right now")
    try:
        mailer.sender(build())
    except (PermanentMailError, BadAddress) as exc:
        _give_up(delivery, _failure_reason(exc, server_detail), mailer)
    except Exception as exc:
        delivery.release(str(exc) if isinstance(exc, TransientMailError) else type(exc).__name__)
        mailer.deliveries.record(delivery)
        mailer.metrics.count(delivery.recipient_kind, "retried")
        raise
    delivery.sent(_now())
    mailer.deliveries.record(delivery)
    mailer.metrics.count(delivery.recipient_kind, "sent")
    mailer.publish(notification_sent(delivery))
    return "sent"


def _now() -> datetime:
    return datetime.now(timezone.utc)


def _give_up(delivery: Delivery, reason: str, mailer: Mailer) -> None:
    delivery.failed(reason)
    mailer.deliveries.record(delivery)
    mailer.metrics.count(delivery.recipient_kind, "failed")
    mailer.publish(notification_failed(delivery, reason))
    raise Permanent(f"{delivery.recipient_kind} mail refused: {reason}")


def _failure_reason(exc: Exception, server_detail: bool) -> str:
    if isinstance(exc, PermanentMailError) and server_detail:
        return f"{exc}: {exc.detail}"
    return str(exc)
