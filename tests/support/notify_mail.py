"""notify's mailer and reporters on a real database and the loopback SMTP mailbox, for the integration tests."""
import os
import uuid
from datetime import datetime, timedelta, timezone
from email.message import EmailMessage

from services.common.sealing import Opener
from services.common.settings import DEV_CONTACT_PRIVATE_KEY
from services.notify import smtp
from services.notify.handlers import Mailer, Reporters, mail_reporter_status
from services.notify.repository import SqlContacts, SqlDeliveries
from tests.support import notify_events

MAILBOX_SMTP = smtp.SmtpConfig(os.environ.get("NETRA_SMTP_HOST", "127.0.0.1"),
                               int(os.environ.get("NETRA_SMTP_PORT", "1025")), timeout=10)


def mailer(engine, publish, config=MAILBOX_SMTP) -> Mailer:
    return Mailer(SqlDeliveries(engine), lambda message: smtp.send(message, config), publish,
                  "Netra <netra@localhost>")


def reporters(engine) -> Reporters:
    return Reporters(SqlContacts(engine), Opener.from_texts([DEV_CONTACT_PRIVATE_KEY]), "http://127.0.0.1:8080")


def plain_message() -> EmailMessage:
    message = EmailMessage()
    message["From"], message["To"], message["Subject"] = "netra@localhost", "unit@example.test", "uji"
    message.set_content("uji")
    return message


def sentinel_mail(mailbox) -> None:
    """A mail sent after everything under test: once it is in the mailbox, so is anything sent before it."""
    marker = f"sentinel-{uuid.uuid4().hex}"
    message = plain_message()
    message.replace_header("Subject", marker)
    smtp.send(message, MAILBOX_SMTP)
    mailbox.wait_for(marker)


NOW = datetime.now(timezone.utc)


def status(complaint_id: str, sequence: int, state: str, days_ago: int) -> dict:
    event = notify_events.status_changed(complaint_id, f"case-{complaint_id}", sequence=sequence, status=state)
    event["payload"]["changed_at"] = (NOW - timedelta(days=days_ago)).isoformat()
    return event


def reporter(engine, history: list[tuple[int, str, int]]) -> tuple[str, str]:
    """A reporter with an email whose case went through history [(sequence, status, days ago)]."""
    complaint_id, address = str(uuid.uuid4()), f"pelapor-{uuid.uuid4().hex[:8]}@example.test"
    reporters(engine).contacts.keep(complaint_id, notify_events.seal_contact(address))
    for sequence, state, days_ago in history:
        mail_reporter_status(status(complaint_id, sequence, state, days_ago), mailer(engine, lambda e: None),
                             reporters(engine))
    return complaint_id, address
