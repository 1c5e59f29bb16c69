"""routing's subscriptions, the one place to read its wiring: archived complaints to route, approved transfers
to carry out, completed steps to hand on to the next step's unit. The bindings and the worker's routes are
derived from this table (services/common/subscriptions.py)."""
from services.common.subscriptions import Subscription, Subscriptions, queue_specs

from .events import EvidenceArchived, StepCompleted, TransferApproved
from .handlers import route_case, transfer_case
from .steps import hand_on

ROUTE = "routing.route"
TRANSFERS = "routing.transfers"
STEPS = "routing.steps"

SUBSCRIPTIONS = (
    Subscriptions(ROUTE, (Subscription("evidence.archived", route_case, EvidenceArchived),)),
    Subscriptions(TRANSFERS, (Subscription("case.transfer_approved", transfer_case, TransferApproved),)),
    Subscriptions(STEPS, (Subscription("case.step_completed", hand_on, StepCompleted),)),
)


def queues(settings):
    return queue_specs(SUBSCRIPTIONS, settings)
