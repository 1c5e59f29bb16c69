"""notify's subscriptions, the one place to read its wiring: the case mail to units, the mail to the unit that
owns a case's next step, and the reporter's mails. The bindings and the worker's routes are derived from this
table (services/common/subscriptions.py)."""
from services.common.subscriptions import Subscription, Subscriptions, queue_specs

from . import events
from .handlers import (mail_reporter_ack, mail_reporter_disclosed, mail_reporter_question, mail_reporter_rejected,
                       mail_reporter_status, mail_unit)
from .step_mail import mail_step_unit

UNIT_MAIL = "notify.unit_mail"
STEP_MAIL = "notify.step_mail"
REPORTER_MAIL = "notify.reporter_mail"

SUBSCRIPTIONS = (
    Subscriptions(UNIT_MAIL, (Subscription("case.routed", mail_unit, events.CaseRouted),)),
    Subscriptions(STEP_MAIL, (Subscription("case.step_opened", mail_step_unit, events.StepOpened),)),
    Subscriptions(REPORTER_MAIL, (
        Subscription("complaint.submitted", mail_reporter_ack, events.ComplaintSubmitted),
        Subscription("evidence.rejected", mail_reporter_rejected, events.EvidenceRejected),
        Subscription("case.status_changed", mail_reporter_status, events.StatusChanged),
        Subscription("reporter.question_asked", mail_reporter_question, events.QuestionAsked),
        Subscription("identity.disclosed", mail_reporter_disclosed, events.IdentityDisclosed),
    )),
)


def queues(settings):
    return queue_specs(SUBSCRIPTIONS, settings)
