"""evidence's subscriptions, the one place to read its wiring: each submitted complaint, each addition from
/lacak, and the documents a unit files with its step's outcome. The bindings and the worker's routes are derived from this table (services/common/subscriptions.py)."""
from services.common.subscriptions import Subscription, Subscriptions, queue_specs

from .additions import add_evidence
from .archive import archive_evidence
from .documents import file_documents
from .events import ComplaintSubmittedSchema, EvidenceAddedSchema, StepCompletedSchema

ARCHIVE = "evidence.archive"
ADDITIONS = "evidence.additions"
DOCUMENTS = "evidence.documents"

SUBSCRIPTIONS = (
    Subscriptions(ARCHIVE, (Subscription("complaint.submitted", archive_evidence, ComplaintSubmittedSchema),)),
    Subscriptions(ADDITIONS, (Subscription("complaint.evidence_added", add_evidence, EvidenceAddedSchema),)),
    Subscriptions(DOCUMENTS, (Subscription("case.step_completed", file_documents, StepCompletedSchema),)),
)


def queues(settings):
    return queue_specs(SUBSCRIPTIONS, settings)
