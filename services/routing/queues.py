"""routing's subscriptions, the one place to read its wiring: archived complaints to route, approved transfers
to carry out. The bindings and the worker's routes are derived from this table
(services/common/subscriptions.py)."""
from services.common.subscriptions import Subscription, Subscriptions, queue_specs

from .events import EvidenceArchived, TransferApproved
from .handlers import route_case, transfer_case

ROUTE = "routing.route"
TRANSFERS = "routing.transfers"

SUBSCRIPTIONS = (
    Subscriptions(ROUTE, (Subscription("evidence.archived", route_case, EvidenceArchived),)),
    Subscriptions(TRANSFERS, (Subscription("case.transfer_approved", transfer_case, TransferApproved),)),
)


def queues(settings):
    return queue_specs(SUBSCRIPTIONS, settings)
