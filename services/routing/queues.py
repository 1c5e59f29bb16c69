"""The queues routing consumes from."""
from services.common.naming import QueueSpec

ROUTE = "routing.route"
DELIVERIES = "routing.deliveries"


def queues(settings) -> list[QueueSpec]:
    return [
        QueueSpec(ROUTE, ("evidence.archived",), settings.retry_delays_ms),
        QueueSpec(DELIVERIES, ("notification.sent", "notification.failed"), settings.retry_delays_ms),
    ]
