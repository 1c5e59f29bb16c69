"""notify against the real SMTP server, PostgreSQL and RabbitMQ."""
import json
import re
import secrets
import threading
import time
import uuid

import pytest
from aiosmtpd.controller import Controller
from kombu import Queue

from services.common.naming import EVENTS
from services.common.publishers import Publisher, connect
from services.common.worker import EventWorker, Permanent
from services.notify import smtp
from services.notify.handlers import mail_reporter_ack, mail_unit
from services.notify.settings import NotifySettings
from services.notify.worker import build_routes
from tests.support import notify_events
from tests.support.migrated import migrated_database
from tests.support.notify_mail import MAILBOX_SMTP, mailer, plain_message, reporters, sentinel_mail
from tests.support.system import free_port
from tests.support.waiting import wait_until


DESK = "http://127.0.0.1:8090"


database_url = migrated_database("notify")  # services never create their tables


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


def tracking_code() -> str:
    return f"NTR-{secrets.token_hex(2).upper()}-{secrets.token_hex(2).upper()}"


def test_unit_gets_one_mail_with_both_parts_a_desk_link_and_no_store_link(engine, mailbox, bus):
    publisher, published = bus
    code = tracking_code()
    event = notify_events.case_routed(str(uuid.uuid4()), code)
    for _ in range(2):
        mail_unit(event, mailer(engine, publisher.publish), desk_url=DESK)
    sentinel_mail(mailbox)

    [mail] = mailbox.matching(code)
    assert mail["X-Netra-Rcpt-To"] == "bkpsdm-14.03@unit.netra.invalid, bawaslu-14.03@unit.netra.invalid"
    assert mail["Cc"] == "Bawaslu Kabupaten Bengkalis <bawaslu-14.03@unit.netra.invalid>"
    case_id = event["payload"]["case_id"]
    assert mail["Message-ID"] == f"<case-{case_id}@netra>"
    text, html = (part(mail, "text/plain"), part(mail, "text/html"))
    for body in (text, html):
        assert code in body and f"{DESK}/desk/kasus/{case_id}" in body and "ab" * 32 in body and "cd" * 32 in body
        assert "hxxps://www[.]facebook[.]com/andi.saputra/posts/123" in body and "X-Amz" not in body
    assert re.findall(r'href="([^"]+)"', html) == [f"{DESK}/desk/kasus/{case_id}"]

    events = published()
    assert [e["event_type"] for e in events] == ["notification.sent"] * 2
    assert events[0]["event_id"] == events[1]["event_id"]
    assert events[0]["payload"]["message_id"] == mail["Message-ID"]


def test_a_transfer_mails_the_new_unit_once(engine, mailbox, bus):
    publisher, published = bus
    code = tracking_code()
    routed = notify_events.case_routed(str(uuid.uuid4()), code)
    moved = notify_events.transferred(routed)
    for event in (routed, moved, moved):
        mail_unit(event, mailer(engine, publisher.publish), desk_url=DESK)
    sentinel_mail(mailbox)
    to_new_unit = [m for m in mailbox.matching(code) if m["X-Netra-Rcpt-To"] == "bkd-14@unit.netra.invalid"]
    assert len(mailbox.matching(code)) == 2 and len(to_new_unit) == 1
    assert "dialihkan" in part(to_new_unit[0], "text/plain")


def test_reporter_ack_arrives_once_under_a_neutral_subject(engine, mailbox, bus):
    publisher, published = bus
    address, code = f"pelapor-{uuid.uuid4().hex[:8]}@example.test", tracking_code()
    event = notify_events.complaint_submitted(tracking_code=code,
                                              reporter_contact=notify_events.seal_contact(address))
    for _ in range(2):
        mail_reporter_ack(event, mailer(engine, publisher.publish), reporters(engine))
    sentinel_mail(mailbox)
    [mail] = mailbox.matching(address)
    assert mail["X-Netra-Rcpt-To"] == address and code not in mail["Subject"]
    assert "http://127.0.0.1:8080/lacak" in part(mail, "text/plain") and "X-Receipt" not in part(mail, "text/plain")
    assert [e["payload"]["recipient_kind"] for e in published()] == ["reporter", "reporter"]


@pytest.fixture
def notify_worker(vhost_url, engine):
    """notify's consumers as main() wires them, on the real broker, in a thread."""
    started = []

    def start():
        settings = NotifySettings(amqp_url=vhost_url, retry_delays_ms=(200,), desk_url=DESK)
        publisher = Publisher(connect(vhost_url))
        worker = EventWorker(connect(vhost_url), build_routes(settings, mailer(engine, publisher.publish),
                                                              reporters(engine)), publisher, 3, 10)
        thread = threading.Thread(target=worker.run, daemon=True)
        thread.start()
        started.append((worker, thread, publisher))
        wait_until(lambda: worker.connected)
    yield start
    for worker, thread, publisher in started:
        worker.should_stop = True
        thread.join(timeout=10)
        publisher.close()


def test_status_changes_and_questions_reach_the_reporter_once_each(notify_worker, engine, mailbox, bus):
    publisher, _ = bus
    notify_worker()
    address = f"pelapor-{uuid.uuid4().hex[:8]}@example.test"
    submitted = notify_events.complaint_submitted(reporter_contact=notify_events.seal_contact(address))
    complaint_id, case_id = submitted["payload"]["complaint_id"], str(uuid.uuid4())
    changed = notify_events.status_changed(complaint_id, case_id, sequence=2)
    asked = notify_events.question_asked(complaint_id, case_id)
    for event in (submitted, changed, asked, changed, asked):
        publisher.publish(event)
    mailbox.wait_for(address, count=3)
    publisher.publish(notify_events.status_changed(complaint_id, case_id, sequence=3))  # the sentinel
    mails = mailbox.wait_for(address, count=4)
    ids = sorted(m["Message-ID"] for m in mails)
    assert ids == sorted([f"<ack-{complaint_id}@netra>", f"<status-{case_id}-2@netra>",
                          f"<status-{case_id}-3@netra>", f"<question-{asked['payload']['question_id']}@netra>"])
    for mail in mails:
        assert mail["Subject"] in ("[Netra] Pengaduan Anda telah diterima",
                                   "[Netra] Pemberitahuan tentang pengaduan Anda")


class Counting:
    """An SMTP server that takes every mail and remembers which connection brought it."""

    def __init__(self):
        self.sessions = []

    async def handle_DATA(self, server, session, envelope):
        self.sessions.append(session.peer)  # the client end: a new port for each connection
        return "250 OK"


def test_the_sender_keeps_one_connection_and_reopens_it_when_the_server_hung_up():
    server, port = Counting(), free_port()
    controller = Controller(server, hostname="127.0.0.1", port=port)
    controller.start()
    sender = smtp.SmtpSender(smtp.SmtpConfig("127.0.0.1", port, timeout=10), max_messages=3,
                             check_after_seconds=0.2)
    try:
        for _ in range(4):
            sender(plain_message())
        assert len(server.sessions) == 4 and len(set(server.sessions)) == 2, "three mails, then a new connection"
        controller.stop()  # the server goes away while our connection sits idle
        controller = Controller(server, hostname="127.0.0.1", port=port)
        controller.start()
        time.sleep(0.3)
        sender(plain_message())  # NOOP finds the connection dead: the mail goes on a new one, no error
        assert len(server.sessions) == 5 and len(set(server.sessions)) == 3
    finally:
        sender.close()
        controller.stop()


class Refuser:
    """An SMTP server that answers every recipient (or only those named) with one fixed reply, and keeps
    the mails it takes with the recipients each went to."""

    def __init__(self, reply: str, only: frozenset = frozenset()):
        self.reply, self.only, self.taken = reply, only, []

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if self.only and address not in self.only:
            envelope.rcpt_tos.append(address)
            return "250 OK"
        return self.reply

    async def handle_DATA(self, server, session, envelope):
        self.taken.append(list(envelope.rcpt_tos))
        return "250 OK"


class RefusingServers:
    """Starts Refusers on free ports; `taken(config)` is what the one at that address took."""

    def __init__(self):
        self.controllers = {}

    def __call__(self, reply: str, only: frozenset = frozenset()) -> smtp.SmtpConfig:
        controller = Controller(Refuser(reply, only), hostname="127.0.0.1", port=free_port())
        controller.start()
        self.controllers[controller.port] = controller
        return smtp.SmtpConfig("127.0.0.1", controller.port, timeout=10)

    def taken(self, config: smtp.SmtpConfig) -> list:
        return self.controllers[config.port].handler.taken


@pytest.fixture
def refusing_server():
    servers = RefusingServers()
    yield servers
    for controller in servers.controllers.values():
        controller.stop()


def test_a_5xx_fails_the_unit_delivery_for_good(engine, bus, refusing_server):
    publisher, published = bus
    config = refusing_server("550 5.1.1 mailbox unknown")
    event = notify_events.case_routed(str(uuid.uuid4()), tracking_code())
    with pytest.raises(Permanent):
        mail_unit(event, mailer(engine, publisher.publish, config), desk_url=DESK)
    [failed] = published()
    assert failed["event_type"] == "notification.failed" and failed["payload"]["reason"].startswith("smtp 550")


def test_a_refused_primary_unit_stops_the_mail_for_everyone_so_a_retry_mails_the_copies_once(engine, bus,
                                                                                              refusing_server):
    publisher, published = bus
    primary = "bkpsdm-14.03@unit.netra.invalid"
    config = refusing_server("451 4.3.0 try again later", only=frozenset({primary}))
    event = notify_events.case_routed(str(uuid.uuid4()), tracking_code())
    with pytest.raises(smtp.TransientMailError):
        mail_unit(event, mailer(engine, publisher.publish, config), desk_url=DESK)
    assert refusing_server.taken(config) == [] and published() == []  # the unit in copy got nothing either


def test_a_refused_unit_in_copy_does_not_hold_up_the_primary_units_mail(engine, bus, refusing_server):
    publisher, published = bus
    config = refusing_server("550 5.1.1 mailbox unknown", only=frozenset({"bawaslu-14.03@unit.netra.invalid"}))
    event = notify_events.case_routed(str(uuid.uuid4()), tracking_code())
    mail_unit(event, mailer(engine, publisher.publish, config), desk_url=DESK)
    assert refusing_server.taken(config) == [["bkpsdm-14.03@unit.netra.invalid"]]
    assert [e["event_type"] for e in published()] == ["notification.sent"]


def test_a_4xx_or_no_server_is_worth_another_try(refusing_server):
    message = plain_message()
    with pytest.raises(smtp.TransientMailError):
        smtp.send(message, refusing_server("451 4.3.0 try again later"))
    with pytest.raises(smtp.TransientMailError):
        smtp.send(message, smtp.SmtpConfig("127.0.0.1", free_port(), timeout=5))


def test_the_readiness_check_talks_to_the_server():
    assert smtp.answers(MAILBOX_SMTP)



def part(mail, content_type: str) -> str:
    [found] = [p for p in mail.walk() if p.get_content_type() == content_type]
    return found.get_payload(decode=True).decode(found.get_content_charset() or "utf-8")

