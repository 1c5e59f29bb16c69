"""evidence's subscriptions, the one place to read its wiring: each submitted complaint and each addition from
/lacak. The bindings and the worker's routes are derived from this table (services/common/subscriptions.py)."""
from services.common.subscriptions import Subscription, Subscriptions, queue_specs

from .additions import add_evidence
from .archive import archive_evidence
from .events import ComplaintSubmittedSchema, EvidenceAddedSchema

ARCHIVE = "evidence.archive"
ADDITIONS = "evidence.additions"

SUBSCRIPTIONS = (
    Subscriptions(ARCHIVE, (Subscription("complaint.submitted", archive_evidence, ComplaintSubmittedSchema),)),
    Subscriptions(ADDITIONS, (Subscription("complaint.evidence_added", add_evidence, EvidenceAddedSchema),)),
)


def queues(settings):
    return queue_specs(SUBSCRIPTIONS, settings)
