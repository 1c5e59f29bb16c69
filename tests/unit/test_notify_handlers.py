from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import select, update

from services.common.envelope import derived_event_id
from services.common.db import make_engine
from services.common.settings import DEV_CONTACT_KEY
from services.common.worker import Permanent
from services.notify import deliveries
from services.notify.handlers import TryLater, mail_reporter_ack, mail_reporter_rejected, mail_unit
from services.notify.smtp import PermanentMailError, TransientMailError
from services.notify.worker import dispatch_by_type
from tests.support import notify_events

REPORTER_EMAIL = "siti.pelapor@example.com"


class FakeSender:
    def __init__(self, fail_with: Exception | None = None):
        self.sent = []
        self.fail_with = fail_with

    def __call__(self, message):
        if self.fail_with:
            raise self.fail_with
        self.sent.append(message)


class FakeStore:
    def presigned_get_object(self, bucket, key, expires):
        return f"https://store.test/{bucket}/{key}?expires={int(expires.total_seconds())}"


@pytest.fixture
def engine(tmp_path):
    engine = make_engine(f"sqlite:///{tmp_path}/notify.db")
    deliveries.metadata.create_all(engine)
    return engine


@pytest.fixture
def published():
    return []


def unit_mail(event, engine, sender, published):
    mail_unit(event, engine, FakeStore(), sender, published.append, mail_from="Netra <netra@localhost>",
              presign_seconds=3600)


def reporter_kwargs(engine, sender, published):
    return dict(engine=engine, sender=sender, publish=published.append, mail_from="Netra <netra@localhost>",
                contact_key=DEV_CONTACT_KEY, public_url="http://127.0.0.1:8080")


def statuses(engine, complaint_id):
    return {(row.recipient_kind, row.purpose): row.status for row in deliveries.delivery_rows(engine, complaint_id)}


def test_one_mail_to_the_unit_and_one_to_the_copies_even_if_the_event_comes_twice(engine, published):
    sender, event = FakeSender(), notify_events.case_routed()
    unit_mail(event, engine, sender, published)
    unit_mail(event, engine, sender, published)
    payload = event["payload"]
    primary, copies = sender.sent
    assert primary["To"].addresses[0].addr_spec == payload["units"]["primary"]["email"] and not primary["Cc"]
    assert {a.addr_spec for a in copies["To"].addresses} == {u["email"] for u in payload["units"]["copies"]}
    assert primary["Message-ID"] == f"<case-{payload['case_id']}@netra>" != copies["Message-ID"]
    assert f"https://store.test/netra-evidence/{payload['files'][0]['key']}?expires=3600" in text_of(primary)
    assert [e["event_type"] for e in published] == ["notification.sent"] * 4
    assert {e["event_id"] for e in published} == {
        derived_event_id("notification.sent", f"{payload['complaint_id']}:unit"),
        derived_event_id("notification.sent", f"{payload['complaint_id']}:unit:case_copies")}
    assert published[0]["payload"] == {
        "complaint_id": payload["complaint_id"], "case_id": payload["case_id"], "recipient_kind": "unit",
        "unit_id": "bkpsdm-14.03", "purpose": "case", "message_id": f"<case-{payload['case_id']}@netra>"}
    assert statuses(engine, payload["complaint_id"]) == {("unit", "case"): "sent", ("unit", "case_copies"): "sent"}


def test_permanent_refusal_fails_the_delivery_and_parks(engine, published):
    sender, event = FakeSender(PermanentMailError(550, "5.1.1 mailbox unknown")), notify_events.case_routed()
    with pytest.raises(Permanent):
        unit_mail(event, engine, sender, published)
    assert [e["event_type"] for e in published] == ["notification.failed"]
    assert published[0]["payload"]["reason"] == "smtp 550: 5.1.1 mailbox unknown"
    assert statuses(engine, event["payload"]["complaint_id"]) == {("unit", "case"): "failed"}


def test_transient_failure_raises_for_a_retry_which_then_sends(engine, published):
    event = notify_events.case_routed()
    with pytest.raises(TransientMailError):
        unit_mail(event, engine, FakeSender(TransientMailError("smtp temporary refusal: [451]")), published)
    assert published == []
    assert statuses(engine, event["payload"]["complaint_id"]) == {("unit", "case"): "sending"}
    sender = FakeSender()
    unit_mail(event, engine, sender, published)
    assert len(sender.sent) == 2 and [e["event_type"] for e in published] == ["notification.sent"] * 2


def test_a_mail_another_worker_is_sending_is_retried_later(engine, published):
    event = notify_events.case_routed()
    payload = event["payload"]
    claim = deliveries.Delivery(payload["complaint_id"], "unit", "case", "<x@netra>")
    assert deliveries.claim(engine, claim) == deliveries.CLAIMED
    sender = FakeSender()
    with pytest.raises(TryLater):
        unit_mail(event, engine, sender, published)
    assert sender.sent == []


def test_a_claim_left_by_a_dead_worker_is_taken_over(engine, published):
    event = notify_events.case_routed()
    complaint_id = event["payload"]["complaint_id"]
    deliveries.claim(engine, deliveries.Delivery(complaint_id, "unit", "case", "<x@netra>"))
    with engine.begin() as conn:
        conn.execute(update(deliveries.deliveries).values(
            attempted_at=datetime.now(timezone.utc) - timedelta(minutes=10)))
    sender = FakeSender()
    unit_mail(event, engine, sender, published)
    assert len(sender.sent) == 2
    assert statuses(engine, complaint_id) == {("unit", "case"): "sent", ("unit", "case_copies"): "sent"}


def test_unreadable_case_is_parked(engine, published):
    event = notify_events.case_routed()
    del event["payload"]["units"]
    with pytest.raises(Permanent):
        unit_mail(event, engine, FakeSender(), published)


def test_reporter_ack_goes_once_to_the_unsealed_address(engine, published):
    sender, sealed = FakeSender(), notify_events.seal_contact(REPORTER_EMAIL)
    event = notify_events.complaint_submitted(reporter_contact=sealed)
    mail_reporter_ack(event, **reporter_kwargs(engine, sender, published))
    mail_reporter_ack(event, **reporter_kwargs(engine, sender, published))
    complaint_id = event["payload"]["complaint_id"]
    assert [m["To"] for m in sender.sent] == [REPORTER_EMAIL]
    assert {e["event_id"] for e in published} == {derived_event_id("notification.sent", f"{complaint_id}:reporter")}
    assert published[0]["payload"]["recipient_kind"] == "reporter" and published[0]["payload"]["case_id"] is None
    assert deliveries.sealed_contact(engine, complaint_id) == (True, sealed)
    assert REPORTER_EMAIL not in database_dump(engine)


def test_no_contact_means_no_mail(engine, published):
    sender, event = FakeSender(), notify_events.complaint_submitted(reporter_contact=None)
    mail_reporter_ack(event, **reporter_kwargs(engine, sender, published))
    assert sender.sent == [] and published == []
    assert deliveries.sealed_contact(engine, event["payload"]["complaint_id"]) == (True, None)
    mail_reporter_rejected(notify_events.evidence_rejected(event["payload"]["complaint_id"]),
                           **reporter_kwargs(engine, sender, published))
    assert sender.sent == [] and published == []


def test_rejected_evidence_is_told_to_the_reporter_once(engine, published):
    sender = FakeSender()
    submitted = notify_events.complaint_submitted(reporter_contact=notify_events.seal_contact(REPORTER_EMAIL))
    complaint_id = submitted["payload"]["complaint_id"]
    mail_reporter_ack(submitted, **reporter_kwargs(engine, sender, published))
    rejected = notify_events.evidence_rejected(complaint_id)
    mail_reporter_rejected(rejected, **reporter_kwargs(engine, sender, published))
    mail_reporter_rejected(rejected, **reporter_kwargs(engine, sender, published))
    assert len(sender.sent) == 2 and "Berkas ke-2: jenis berkas tidak diizinkan" in text_of(sender.sent[1])
    assert len({e["event_id"] for e in published}) == 2
    assert statuses(engine, complaint_id) == {("reporter", "ack"): "sent", ("reporter", "evidence_rejected"): "sent"}


def test_rejected_evidence_before_the_submission_was_read_waits(engine, published):
    with pytest.raises(TryLater):
        mail_reporter_rejected(notify_events.evidence_rejected("unknown-complaint"),
                               **reporter_kwargs(engine, FakeSender(), published))


def test_contact_sealed_under_another_key_is_parked_without_a_mail(engine, published):
    from cryptography.fernet import Fernet
    sealed = notify_events.seal_contact(REPORTER_EMAIL, Fernet.generate_key().decode())
    sender = FakeSender()
    with pytest.raises(Permanent):
        mail_reporter_ack(notify_events.complaint_submitted(reporter_contact=sealed),
                          **reporter_kwargs(engine, sender, published))
    assert sender.sent == [] and published == []


def test_reporter_refusal_reason_keeps_the_address_out(engine, published):
    sender = FakeSender(PermanentMailError(550, f"<{REPORTER_EMAIL}>: Recipient address rejected"))
    event = notify_events.complaint_submitted(reporter_contact=notify_events.seal_contact(REPORTER_EMAIL))
    with pytest.raises(Permanent) as raised:
        mail_reporter_ack(event, **reporter_kwargs(engine, sender, published))
    assert published[0]["event_type"] == "notification.failed" and published[0]["payload"]["reason"] == "smtp 550"
    assert REPORTER_EMAIL not in str(raised.value) and REPORTER_EMAIL not in database_dump(engine)


def test_reporter_queue_dispatches_by_event_type():
    seen = []
    handlers = {"complaint.submitted": lambda e: seen.append("ack"), "evidence.rejected": lambda e: seen.append("rej")}
    for event_type in ("evidence.rejected", "complaint.submitted", "case.status_changed"):
        dispatch_by_type(handlers, {"event_type": event_type})
    assert seen == ["rej", "ack"]


def text_of(message) -> str:
    return message.get_body(("plain",)).get_content()


def database_dump(engine) -> str:
    with engine.connect() as conn:
        return " ".join(str(tuple(row)) for table in deliveries.metadata.sorted_tables
                        for row in conn.execute(select(table)))
