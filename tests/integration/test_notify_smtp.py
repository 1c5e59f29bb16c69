"""notify against the real SMTP server, PostgreSQL, MinIO and RabbitMQ."""
import hashlib
import io
import json
import os
import re
import secrets
import socket
import time
import uuid
from email.message import EmailMessage

import pytest
import requests
from aiosmtpd.controller import Controller
from kombu import Queue

from services.common.naming import EVENTS
from services.common.publishers import connect, Publisher
from services.common.db import make_engine
from services.common.settings import DEV_CONTACT_KEY
from services.common.worker import Permanent
from services.notify import deliveries, smtp
from services.notify.handlers import mail_reporter_ack, mail_unit
from tests.support import notify_events

pytestmark = pytest.mark.integration

BUCKET = "netra-test-notify"
MAILBOX_SMTP = smtp.SmtpConfig(os.environ.get("NETRA_SMTP_HOST", "127.0.0.1"),
                               int(os.environ.get("NETRA_SMTP_PORT", "1025")), timeout=10)


@pytest.fixture
def engine(database_url):
    engine = make_engine(database_url)
    deliveries.metadata.create_all(engine)
    yield engine
    engine.dispose()


@pytest.fixture
def bus(vhost_url):
    """A real publisher, and a way to read back every notification.* event it published."""
    with connect(vhost_url) as connection:
        captured = Queue("test.notifications", exchange=EVENTS, routing_key="notification.*")
        captured(connection.channel()).declare()
        publisher = Publisher(connect(vhost_url))
        yield publisher, lambda: drain(connection, captured)
        publisher.close()


def drain(connection, queue) -> list[dict]:
    bound, events = queue(connection.channel()), []
    while (message := bound.get(no_ack=True)) is not None:
        events.append(json.loads(message.body))
    return events


@pytest.fixture
def evidence(s3):
    """One real object in a test bucket, as the evidence service would have archived it."""
    if not s3.bucket_exists(BUCKET):
        s3.make_bucket(BUCKET)
    data, complaint_id = secrets.token_bytes(2048), str(uuid.uuid4())
    sha = hashlib.sha256(data).hexdigest()
    key = f"complaints/{complaint_id}/{sha}.png"
    s3.put_object(BUCKET, key, io.BytesIO(data), len(data), content_type="image/png")
    yield complaint_id, data, {"index": 0, "key": key, "sha256": sha, "size": len(data), "media_type": "image/png"}
    s3.remove_object(BUCKET, key)


def tracking_code() -> str:
    return f"NTR-{secrets.token_hex(2).upper()}-{secrets.token_hex(2).upper()}"


def send_unit_mail(event, engine, s3, publish, config=MAILBOX_SMTP):
    mail_unit(event, engine, s3, lambda message: smtp.send(message, config), publish,
              mail_from="Netra <netra@localhost>", presign_seconds=600, bucket=BUCKET)


def test_unit_gets_one_mail_with_both_parts_and_a_working_evidence_link(engine, s3, mailbox, bus, evidence):
    publisher, published = bus
    complaint_id, data, file = evidence
    code = tracking_code()
    event = notify_events.case_routed(complaint_id, code, files=[file])
    send_unit_mail(event, engine, s3, publisher.publish)
    send_unit_mail(event, engine, s3, publisher.publish)

    mails = mailbox.wait_for(code, count=2)
    time.sleep(0.5)
    assert len(mailbox.matching(code)) == 2
    mail, copies = sorted(mails, key=lambda m: not m["Message-ID"].startswith("<case-"))
    assert mail["X-Netra-Rcpt-To"] == "bkpsdm-14.03@unit.netra.invalid"
    assert copies["X-Netra-Rcpt-To"] == "bawaslu-14.03@unit.netra.invalid"
    assert mail["Message-ID"] == f"<case-{event['payload']['case_id']}@netra>"
    text, html = (part(mail, "text/plain"), part(mail, "text/html"))
    assert code in text and code in html and file["sha256"] in html
    link = re.search(r"Unduh\s+:\s+(\S+)", text).group(1)
    assert requests.get(link, timeout=10).content == data

    events = published()
    assert [e["event_type"] for e in events] == ["notification.sent"] * 4
    assert events[0]["event_id"] == events[2]["event_id"] != events[1]["event_id"] == events[3]["event_id"]
    assert events[0]["payload"]["message_id"] == mail["Message-ID"]
    assert [row.status for row in deliveries.delivery_rows(engine, complaint_id)] == ["sent", "sent"]


def test_reporter_ack_arrives_once_and_the_address_stays_sealed(engine, mailbox, bus):
    publisher, published = bus
    address, code = f"pelapor-{uuid.uuid4().hex[:8]}@example.test", tracking_code()
    event = notify_events.complaint_submitted(tracking_code=code,
                                              reporter_contact=notify_events.seal_contact(address))
    for _ in range(2):
        mail_reporter_ack(event, engine, lambda message: smtp.send(message, MAILBOX_SMTP), publisher.publish,
                          mail_from="Netra <netra@localhost>", contact_key=DEV_CONTACT_KEY,
                          public_url="http://127.0.0.1:8080")

    [mail] = mailbox.wait_for(code)
    assert len(mailbox.matching(code)) == 1 and mail["X-Netra-Rcpt-To"] == address
    assert f"http://127.0.0.1:8080/api/v1/complaints/{code}" in part(mail, "text/plain")
    assert [e["payload"]["recipient_kind"] for e in published()] == ["reporter", "reporter"]
    assert deliveries.sealed_contact(engine, event["payload"]["complaint_id"]) == (
        True, event["payload"]["reporter_contact"])


class Refuser:
    """An SMTP server that answers every recipient with one fixed reply."""

    def __init__(self, reply: str):
        self.reply = reply

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        return self.reply


@pytest.fixture
def refusing_server():
    controllers = []

    def start(reply: str) -> smtp.SmtpConfig:
        controller = Controller(Refuser(reply), hostname="127.0.0.1", port=free_port())
        controller.start()
        controllers.append(controller)
        return smtp.SmtpConfig("127.0.0.1", controller.port, timeout=10)
    yield start
    for controller in controllers:
        controller.stop()


def test_a_5xx_fails_the_unit_delivery_for_good(engine, s3, bus, evidence, refusing_server):
    publisher, published = bus
    complaint_id, _, file = evidence
    config = refusing_server("550 5.1.1 mailbox unknown")
    with pytest.raises(Permanent):
        send_unit_mail(notify_events.case_routed(complaint_id, tracking_code(), files=[file]), engine, s3,
                       publisher.publish, config)
    [failed] = published()
    assert failed["event_type"] == "notification.failed" and failed["payload"]["reason"].startswith("smtp 550")
    assert [row.status for row in deliveries.delivery_rows(engine, complaint_id)] == ["failed"]


def test_a_4xx_or_no_server_is_worth_another_try(refusing_server):
    message = plain_message()
    with pytest.raises(smtp.TransientMailError):
        smtp.send(message, refusing_server("451 4.3.0 try again later"))
    with pytest.raises(smtp.TransientMailError):
        smtp.send(message, smtp.SmtpConfig("127.0.0.1", free_port(), timeout=5))


def test_the_readiness_check_talks_to_the_server():
    assert smtp.answers(MAILBOX_SMTP)


def plain_message() -> EmailMessage:
    message = EmailMessage()
    message["From"], message["To"], message["Subject"] = "netra@localhost", "unit@example.test", "uji"
    message.set_content("uji")
    return message


def part(mail, content_type: str) -> str:
    [found] = [p for p in mail.walk() if p.get_content_type() == content_type]
    return found.get_payload(decode=True).decode(found.get_content_charset() or "utf-8")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]
