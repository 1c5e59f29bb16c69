"""notify against the event contract: it reads every example it consumes, and each notification it emits
has the shape of the example for its purpose."""
import copy

import pytest

from services.common.envelope import Permanent, read_payload
from services.common.sealing import Opener
from services.common.settings import DEV_CONTACT_PRIVATE_KEY
from services.notify.events import (CaseRouted, ComplaintSubmitted, EvidenceRejected, IdentityDisclosed,
                                    QuestionAsked, StatusChanged)
from services.notify.handlers import (Mailer, Reporters, mail_reporter_ack, mail_reporter_disclosed,
                                      mail_reporter_question, mail_reporter_rejected, mail_reporter_status,
                                      mail_unit)
from services.notify.smtp import PermanentMailError
from services.notify.step_mail import StepOpened, mail_step_unit
from services.reference import vocabulary
from tests.support import notify_events
from tests.support.contracts import assert_matches_example, example, example_names
from tests.support.notify_fakes import FakeContacts, FakeDeliveries, FakeSender


@pytest.mark.parametrize("name, schema", [
    ("complaint.submitted", ComplaintSubmitted), ("evidence.rejected", EvidenceRejected),
    ("case.routed", CaseRouted), ("case.routed.transfer", CaseRouted),
    ("case.status_changed", StatusChanged), ("reporter.question_asked", QuestionAsked),
    ("identity.disclosed", IdentityDisclosed),
    ("case.step_opened", StepOpened),
])
def test_notify_reads_every_example_it_consumes(name, schema):
    read = read_payload(schema, example(name))
    assert read["complaint_id"] == example(name)["payload"]["complaint_id"]


def test_a_transfer_is_read_as_one():
    assert read_payload(CaseRouted, example("case.routed.transfer"))["transfer"]["transfer_id"]
    assert read_payload(CaseRouted, example("case.routed"))["transfer"] is None


class Notify:
    """notify with fakes, fed the documented examples; every event it publishes is kept."""

    def __init__(self, sender=None):
        self.published = []
        self.mailer = Mailer(FakeDeliveries(), sender or FakeSender(), self.published.append, "n@localhost")
        self.reporters = Reporters(FakeContacts(), Opener.from_texts([DEV_CONTACT_PRIVATE_KEY]), "http://x")

    def reporter_event(self, handler, name):
        handler(example(name), self.mailer, self.reporters)

    def submitted(self):
        event = copy.deepcopy(example("complaint.submitted"))
        event["payload"]["reporter_contact"] = notify_events.seal_contact("siti@example.com")
        mail_reporter_ack(event, self.mailer, self.reporters)

    def routed(self, name="case.routed", with_copy=False):
        event = copy.deepcopy(example(name))
        if with_copy:
            event["payload"]["units"]["copies"] = [notify_events.unit("bawaslu-14.03", "Bawaslu Kabupaten Bengkalis")]
        mail_unit(event, self.mailer, desk_url="http://desk")


def emitted_for(purpose: str) -> list[dict]:
    notify = Notify()
    if purpose == "case":
        notify.routed(with_copy=True)
    elif purpose == "step":
        mail_step_unit(example("case.step_opened"), notify.mailer, desk_url="http://desk")
    else:
        notify.submitted()
        handler = {"evidence_rejected": mail_reporter_rejected, "status_changed": mail_reporter_status,
                   "question": mail_reporter_question, "identity_disclosed": mail_reporter_disclosed}.get(purpose)
        if handler:
            name = {"evidence_rejected": "evidence.rejected", "status_changed": "case.status_changed",
                    "question": "reporter.question_asked", "identity_disclosed": "identity.disclosed"}[purpose]
            notify.reporter_event(handler, name)
    return [e for e in notify.published if e["payload"]["purpose"] == purpose]


@pytest.mark.parametrize("name", example_names("notification.sent"))
def test_each_notification_sent_matches_its_example(name):
    purpose = example(name)["payload"]["purpose"]
    [emitted] = emitted_for(purpose)
    assert_matches_example(emitted, name)


def test_a_transfer_mail_is_reported_like_any_case_mail():
    notify = Notify()
    notify.routed("case.routed.transfer")
    [emitted] = notify.published
    assert_matches_example(emitted, "notification.sent.case")
    assert emitted["payload"]["unit_id"] == example("case.routed.transfer")["payload"]["units"]["primary"]["unit_id"]


@pytest.mark.parametrize("name", example_names("notification.failed"))
def test_each_notification_failed_matches_its_example(name):
    assert example(name)["payload"]["purpose"] == "case"
    notify = Notify(FakeSender(PermanentMailError(550, "5.1.1 mailbox unknown")))
    with pytest.raises(Permanent):
        notify.routed()
    [emitted] = notify.published
    assert_matches_example(emitted, name)


def test_every_purpose_notify_reports_is_in_the_vocabulary():
    purposes = {example(name)["payload"]["purpose"] for name in example_names("notification.sent")}
    assert purposes == {"case", "ack", "evidence_rejected", "status_changed", "question", "identity_disclosed",
                        "step"}
    assert purposes <= set(vocabulary.codes("notification_purposes"))
