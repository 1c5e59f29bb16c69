"""The desk's subscriptions, the one place to read its wiring: cases arriving (or transferred in), the
reporters' answers and added evidence. The bindings and the worker's routes are derived from this table
(services/common/subscriptions.py)."""
from services.common.subscriptions import Subscription, Subscriptions, queue_specs

from .additions import evidence_added
from .arrivals import case_arrived, reporter_answered
from .events import CaseRoutedSchema, EvidenceAddedSchema, ReporterAnsweredSchema

CASES = "desk.cases"
ANSWERS = "desk.answers"
ADDITIONS = "desk.evidence_added"

SUBSCRIPTIONS = (
    Subscriptions(CASES, (Subscription("case.routed", case_arrived, CaseRoutedSchema),)),
    Subscriptions(ANSWERS, (Subscription("reporter.answered", reporter_answered, ReporterAnsweredSchema),)),
    Subscriptions(ADDITIONS, (Subscription("evidence.added", evidence_added, EvidenceAddedSchema),)),
)


def queues(settings):
    return queue_specs(SUBSCRIPTIONS, settings)
