"""intake's subscriptions, the one place to read its wiring: the downstream events that make the public status
timeline, the units' questions to the reporter shown on /lacak, and the disclosures the identity custodian
approved. The bindings and the worker's routes are derived from this table (services/common/subscriptions.py)."""
from services.common.subscriptions import Subscription, Subscriptions, queue_specs

from . import events
from .identity.disclosure import release_identity
from .tracking.questions import record_question
from .tracking.status import record_timeline

TIMELINE = "intake.timeline"
QUESTIONS = "intake.questions"
DISCLOSURES = "intake.disclosures"

SUBSCRIPTIONS = (
    Subscriptions(TIMELINE, (
        Subscription("evidence.archived", record_timeline, events.EvidenceArchived),
        Subscription("evidence.rejected", record_timeline, events.EvidenceRejected),
        Subscription("case.routed", record_timeline, events.CaseRouted),
        Subscription("notification.sent", record_timeline, events.Notification),
        Subscription("notification.failed", record_timeline, events.Notification),
        Subscription("case.status_changed", record_timeline, events.CaseStatusChanged),
        Subscription("case.step_opened", record_timeline, events.StepOpened),
    )),
    Subscriptions(QUESTIONS, (
        Subscription("reporter.question_asked", record_question, events.QuestionAsked),
    )),
    Subscriptions(DISCLOSURES, (
        Subscription("identity.disclosure_approved", release_identity, events.DisclosureApproved),
    )),
)


def queues(settings):
    return queue_specs(SUBSCRIPTIONS, settings)
