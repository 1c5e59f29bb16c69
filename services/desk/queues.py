"""The desk's subscriptions, the one place to read its wiring: cases arriving (or transferred in), the
reporters' answers and added evidence, intake's answers to approved disclosures, and the next step of a case's
chain opening, and the sanitised copies of the documents a step filed. The bindings and the worker's routes are derived from this table
(services/common/subscriptions.py)."""
from services.common.subscriptions import Subscription, Subscriptions, queue_specs

from .cases.additions import evidence_added
from .cases.arrivals import case_arrived, reporter_answered
from .chain.document_copies import document_archived
from .chain.steps import step_opened
from .disclosure.arrivals import identity_disclosed
from .events import (
    CaseRoutedSchema,
    DocumentArchivedSchema,
    EvidenceAddedSchema,
    IdentityDisclosedSchema,
    ReporterAnsweredSchema,
    StepOpenedSchema,
)

CASES = "desk.cases"
ANSWERS = "desk.answers"
ADDITIONS = "desk.evidence_added"
DISCLOSURES = "desk.disclosures"
STEPS = "desk.steps"
DOCUMENTS = "desk.documents"

SUBSCRIPTIONS = (
    Subscriptions(CASES, (Subscription("case.routed", case_arrived, CaseRoutedSchema),)),
    Subscriptions(ANSWERS, (Subscription("reporter.answered", reporter_answered, ReporterAnsweredSchema),)),
    Subscriptions(ADDITIONS, (Subscription("evidence.added", evidence_added, EvidenceAddedSchema),)),
    Subscriptions(DISCLOSURES, (Subscription("identity.disclosed", identity_disclosed, IdentityDisclosedSchema),)),
    Subscriptions(STEPS, (Subscription("case.step_opened", step_opened, StepOpenedSchema),)),
    Subscriptions(DOCUMENTS, (Subscription("document.archived", document_archived, DocumentArchivedSchema),)),
)


def queues(settings):
    return queue_specs(SUBSCRIPTIONS, settings)
