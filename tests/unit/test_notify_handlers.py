from datetime import datetime, timedelta, timezone

import pytest

from services.common.envelope import derived_event_id
from services.common.sealing import Opener, new_key_pair
from services.common.settings import DEV_CONTACT_PRIVATE_KEY
from services.common.worker import Permanent
from services.notify.delivery import CLAIMED, Delivery
from services.notify.handlers import (Mailer, Reporters, TryLater, mail_reporter_ack, mail_reporter_question,
                                      mail_reporter_rejected, mail_reporter_status, mail_unit)
from services.notify.smtp import PermanentMailError, TransientMailError
from services.common.subscriptions import dispatch_by_type
from tests.support import notify_events
from tests.support.notify_fakes import FakeContacts, FakeDeliveries, FakeSender

REPORTER_EMAIL = "siti.pelapor@example.com"
DESK = "https://desk.netra.test"


@pytest.fixture
def deliveries():
    return FakeDeliveries()


@pytest.fixture
def contacts():
    return FakeContacts()


@pytest.fixture
def published():
    return []


def mailer(deliveries, sender, published):
    return Mailer(deliveries, sender, published.append, "Netra <netra@localhost>")


def unit_mail(event, deliveries, sender, published):
    mail_unit(event, mailer(deliveries, sender, published), desk_url=DESK)


def reporters(contacts, keys=(DEV_CONTACT_PRIVATE_KEY,)):
    return Reporters(contacts, Opener.from_texts(list(keys)), "http://127.0.0.1:8080")


def to_reporter(handler, event, deliveries, contacts, sender, published, **kwargs):
    handler(event, mailer(deliveries, sender, published), reporters(contacts, **kwargs))


def test_one_mail_to_the_unit_with_the_copies_on_cc_even_if_the_event_comes_twice(deliveries, published):
    sender, event = FakeSender(), notify_events.case_routed()
    unit_mail(event, deliveries, sender, published)
    unit_mail(event, deliveries, sender, published)
    payload = event["payload"]
    [mail] = sender.sent
    assert mail["To"].addresses[0].addr_spec == payload["units"]["primary"]["email"]
    assert {a.addr_spec for a in mail["Cc"].addresses} == {u["email"] for u in payload["units"]["copies"]}
    assert mail["Message-ID"] == f"<case-{payload['case_id']}@netra>"
    assert f"{DESK}/desk/kasus/{payload['case_id']}" in text_of(mail)
    assert [e["event_type"] for e in published] == ["notification.sent"] * 2
    assert {e["event_id"] for e in published} == {
        derived_event_id("notification.sent", f"{payload['complaint_id']}:unit")}
    assert published[0]["payload"] == {
        "complaint_id": payload["complaint_id"], "case_id": payload["case_id"], "recipient_kind": "unit",
        "unit_id": "bkpsdm-14.03", "purpose": "case", "message_id": f"<case-{payload['case_id']}@netra>"}
    assert deliveries.statuses(payload["complaint_id"]) == {("unit", "case", ""): "sent"}


def test_each_routing_of_a_complaint_gets_its_own_case_mail_once(deliveries, published):
    sender, routed = FakeSender(), notify_events.case_routed()
    transfer = notify_events.transferred(routed, transfer_id="t-1")
    for event in (routed, transfer, transfer, routed):
        unit_mail(event, deliveries, sender, published)
    assert [m["To"].addresses[0].addr_spec for m in sender.sent] == [
        "bkpsdm-14.03@unit.netra.invalid", "bkd-14@unit.netra.invalid"]
    moved = sender.sent[1]
    case_id, complaint_id = routed["payload"]["case_id"], routed["payload"]["complaint_id"]
    assert moved["Message-ID"] == f"<case-{case_id}-t-1@netra>"
    assert "dialihkan" in text_of(moved) and f"{DESK}/desk/kasus/{case_id}" in text_of(moved)
    transfer_notices = [e for e in published if e["payload"]["unit_id"] == "bkd-14"]
    assert len(transfer_notices) == 2 and {e["event_id"] for e in transfer_notices} == {
        derived_event_id("notification.sent", f"{complaint_id}:unit:case:t-1")}


def test_permanent_refusal_fails_the_delivery_and_parks(deliveries, published):
    sender, event = FakeSender(PermanentMailError(550, "5.1.1 mailbox unknown")), notify_events.case_routed()
    with pytest.raises(Permanent):
        unit_mail(event, deliveries, sender, published)
    assert [e["event_type"] for e in published] == ["notification.failed"]
    assert published[0]["payload"]["reason"] == "smtp 550: 5.1.1 mailbox unknown"
    assert deliveries.statuses(event["payload"]["complaint_id"]) == {("unit", "case", ""): "failed"}


def test_transient_failure_raises_for_a_retry_which_then_sends(deliveries, published):
    event = notify_events.case_routed()
    with pytest.raises(TransientMailError):
        unit_mail(event, deliveries, FakeSender(TransientMailError("smtp temporary refusal: [451]")), published)
    assert published == []
    assert deliveries.statuses(event["payload"]["complaint_id"]) == {("unit", "case", ""): "sending"}
    sender = FakeSender()
    unit_mail(event, deliveries, sender, published)
    assert len(sender.sent) == 1 and [e["event_type"] for e in published] == ["notification.sent"]


def test_a_mail_another_worker_is_sending_is_retried_later(deliveries, published):
    event = notify_events.case_routed()
    claim = Delivery(event["payload"]["complaint_id"], "unit", "case", "<x@netra>")
    assert deliveries.claim(claim, datetime.now(timezone.utc)) == CLAIMED
    sender = FakeSender()
    with pytest.raises(TryLater):
        unit_mail(event, deliveries, sender, published)
    assert sender.sent == []


def test_a_claim_left_by_a_dead_worker_is_taken_over(deliveries, published):
    event = notify_events.case_routed()
    complaint_id = event["payload"]["complaint_id"]
    deliveries.claim(Delivery(complaint_id, "unit", "case", "<x@netra>"),
                     datetime.now(timezone.utc) - timedelta(minutes=10))
    sender = FakeSender()
    unit_mail(event, deliveries, sender, published)
    assert len(sender.sent) == 1
    assert set(deliveries.statuses(complaint_id).values()) == {"sent"}


def test_unreadable_case_is_parked(deliveries, published):
    event = notify_events.case_routed()
    del event["payload"]["units"]
    with pytest.raises(Permanent):
        unit_mail(event, deliveries, FakeSender(), published)


def test_reporter_ack_goes_once_to_the_unsealed_address(deliveries, contacts, published):
    sender, sealed = FakeSender(), notify_events.seal_contact(REPORTER_EMAIL)
    event = notify_events.complaint_submitted(reporter_contact=sealed)
    for _ in range(2):
        to_reporter(mail_reporter_ack, event, deliveries, contacts, sender, published)
    complaint_id = event["payload"]["complaint_id"]
    assert [m["To"] for m in sender.sent] == [REPORTER_EMAIL]
    assert str(sender.sent[0]["Subject"]) == "[Netra] Pengaduan Anda telah diterima"
    assert {e["event_id"] for e in published} == {derived_event_id("notification.sent", f"{complaint_id}:reporter")}
    assert published[0]["payload"]["recipient_kind"] == "reporter" and published[0]["payload"]["case_id"] is None
    assert contacts.sealed_for(complaint_id) == (True, sealed)


def test_a_contact_sealed_to_a_retired_key_still_opens(deliveries, contacts, published):
    public, private = new_key_pair()
    sender = FakeSender()
    event = notify_events.complaint_submitted(reporter_contact=notify_events.seal_contact(REPORTER_EMAIL, public))
    to_reporter(mail_reporter_ack, event, deliveries, contacts, sender, published,
                keys=(DEV_CONTACT_PRIVATE_KEY, private))
    assert [m["To"] for m in sender.sent] == [REPORTER_EMAIL]


def test_no_contact_means_no_mail(deliveries, contacts, published):
    sender, event = FakeSender(), notify_events.complaint_submitted(reporter_contact=None)
    complaint_id = event["payload"]["complaint_id"]
    to_reporter(mail_reporter_ack, event, deliveries, contacts, sender, published)
    for later in (notify_events.evidence_rejected(complaint_id), notify_events.status_changed(complaint_id, "c-1"),
                  notify_events.question_asked(complaint_id, "c-1")):
        handler = {"evidence.rejected": mail_reporter_rejected, "case.status_changed": mail_reporter_status,
                   "reporter.question_asked": mail_reporter_question}[later["event_type"]]
        to_reporter(handler, later, deliveries, contacts, sender, published)
    assert sender.sent == [] and published == [] and contacts.sealed_for(complaint_id) == (True, None)


def test_rejected_evidence_is_told_to_the_reporter_once_in_words(deliveries, contacts, published):
    sender = FakeSender()
    submitted = notify_events.complaint_submitted(reporter_contact=notify_events.seal_contact(REPORTER_EMAIL))
    complaint_id = submitted["payload"]["complaint_id"]
    to_reporter(mail_reporter_ack, submitted, deliveries, contacts, sender, published)
    rejected = notify_events.evidence_rejected(complaint_id, rejected=[
        {"index": 1, "reason": "unknown_type"}, {"index": 2, "reason": "too_large_someday"}])
    for _ in range(2):
        to_reporter(mail_reporter_rejected, rejected, deliveries, contacts, sender, published)
    assert len(sender.sent) == 2
    text = text_of(sender.sent[1])
    assert "Berkas ke-2: jenis berkas tidak dikenali dari isinya" in text
    assert "Berkas ke-3: too_large_someday" in text
    assert len({e["event_id"] for e in published}) == 2


def test_status_changes_and_questions_each_get_one_short_neutral_mail(deliveries, contacts, published):
    sender = FakeSender()
    submitted = notify_events.complaint_submitted(reporter_contact=notify_events.seal_contact(REPORTER_EMAIL))
    complaint_id = submitted["payload"]["complaint_id"]
    to_reporter(mail_reporter_ack, submitted, deliveries, contacts, sender, published)
    events = [notify_events.status_changed(complaint_id, "c-1", sequence=3),
              notify_events.status_changed(complaint_id, "c-1", sequence=4, status="selesai"),
              notify_events.question_asked(complaint_id, "c-1", question_id="q-1")]
    handlers = [mail_reporter_status, mail_reporter_status, mail_reporter_question]
    for _ in range(2):
        for handler, event in zip(handlers, events):
            to_reporter(handler, event, deliveries, contacts, sender, published)
    updates = sender.sent[1:]
    assert [m["Message-ID"] for m in updates] == ["<status-c-1-3@netra>", "<status-c-1-4@netra>",
                                                   "<question-q-1@netra>"]
    for mail in updates:
        assert str(mail["Subject"]) == "[Netra] Pemberitahuan tentang pengaduan Anda" and mail["To"] == REPORTER_EMAIL
        body = text_of(mail) + html_of(mail)
        assert "http://127.0.0.1:8080/lacak" in body
        assert "Kode pelacakan: NTR-7K4M-Q2XP" in text_of(mail)  # which complaint; never in the subject
        for secret in ("Petugas Rahasia", "tangkapan layar", "dalam_pemeriksaan", "bkpsdm"):
            assert secret not in body and secret not in mail.as_string()
    assert "pertanyaan" in text_of(updates[2]) and "status" in text_of(updates[0])
    assert {e["event_id"] for e in published[1:]} == {
        derived_event_id("notification.sent", f"{complaint_id}:reporter:status_changed:c-1:3"),
        derived_event_id("notification.sent", f"{complaint_id}:reporter:status_changed:c-1:4"),
        derived_event_id("notification.sent", f"{complaint_id}:reporter:question:q-1")}


@pytest.mark.parametrize("make", [
    lambda: notify_events.evidence_rejected("unknown-complaint"),
    lambda: notify_events.status_changed("unknown-complaint", "c-1"),
    lambda: notify_events.question_asked("unknown-complaint", "c-1"),
])
def test_a_reporter_event_before_the_submission_was_read_waits(deliveries, contacts, published, make):
    event = make()
    handler = {"evidence.rejected": mail_reporter_rejected, "case.status_changed": mail_reporter_status,
               "reporter.question_asked": mail_reporter_question}[event["event_type"]]
    with pytest.raises(TryLater):
        to_reporter(handler, event, deliveries, contacts, FakeSender(), published)


def test_contact_sealed_to_another_key_is_parked_without_a_mail(deliveries, contacts, published):
    sealed = notify_events.seal_contact(REPORTER_EMAIL, new_key_pair()[0])
    sender = FakeSender()
    with pytest.raises(Permanent) as raised:
        to_reporter(mail_reporter_ack, notify_events.complaint_submitted(reporter_contact=sealed),
                    deliveries, contacts, sender, published)
    assert sender.sent == [] and published == [] and REPORTER_EMAIL not in str(raised.value)


def test_reporter_refusal_reason_keeps_the_address_out(deliveries, contacts, published):
    sender = FakeSender(PermanentMailError(550, f"<{REPORTER_EMAIL}>: Recipient address rejected"))
    event = notify_events.complaint_submitted(reporter_contact=notify_events.seal_contact(REPORTER_EMAIL))
    with pytest.raises(Permanent) as raised:
        to_reporter(mail_reporter_ack, event, deliveries, contacts, sender, published)
    assert published[0]["event_type"] == "notification.failed" and published[0]["payload"]["reason"] == "smtp 550"
    assert REPORTER_EMAIL not in str(raised.value)
    assert all(REPORTER_EMAIL not in str(vars(d)) for d in deliveries.rows.values())


def test_reporter_queue_dispatches_by_event_type():
    seen = []
    handlers = {"complaint.submitted": lambda e: seen.append("ack"), "evidence.rejected": lambda e: seen.append("rej")}
    for event_type in ("evidence.rejected", "complaint.submitted", "case.assigned_someday"):
        dispatch_by_type(handlers, {"event_type": event_type})
    assert seen == ["rej", "ack"]


def text_of(message) -> str:
    return message.get_body(("plain",)).get_content()


def html_of(message) -> str:
    return message.get_body(("html",)).get_content()


def test_a_contact_deleted_after_its_case_closed_gets_no_further_mail(deliveries, contacts, published):
    from services.notify.retention import purge_contacts
    sender = FakeSender()
    submitted = notify_events.complaint_submitted(reporter_contact=notify_events.seal_contact(REPORTER_EMAIL))
    complaint_id = submitted["payload"]["complaint_id"]
    to_reporter(mail_reporter_ack, submitted, deliveries, contacts, sender, published)
    closing = notify_events.status_changed(complaint_id, "c-1", sequence=4, status="selesai")
    to_reporter(mail_reporter_status, closing, deliveries, contacts, sender, published)
    closed_on = datetime.fromisoformat(closing["payload"]["changed_at"])
    assert purge_contacts(contacts, 90, closed_on + timedelta(days=89)) == 0
    assert purge_contacts(contacts, 90, closed_on + timedelta(days=91)) == 1
    to_reporter(mail_reporter_status, notify_events.status_changed(complaint_id, "c-1", sequence=5),
                deliveries, contacts, sender, published)
    assert len(sender.sent) == 2 and contacts.sealed_for(complaint_id) == (True, None)
    assert contacts.purged(complaint_id)
