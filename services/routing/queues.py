"""The queues routing consumes from."""
from services.common.naming import QueueSpec

ROUTE = "routing.route"
TRANSFERS = "routing.transfers"
STEPS = "routing.steps"


def queues(settings) -> list[QueueSpec]:
    return [
        QueueSpec(ROUTE, ("evidence.archived",), settings.retry_delays_ms),
        QueueSpec(TRANSFERS, ("case.transfer_approved",), settings.retry_delays_ms),
        QueueSpec(STEPS, ("case.step_completed",), settings.retry_delays_ms),
    ]
