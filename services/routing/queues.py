"""The queues routing consumes from."""
from services.common.bus import QueueSpec

ROUTE = "routing.route"


def queues(settings) -> list[QueueSpec]:
    return [QueueSpec(ROUTE, ("evidence.archived",), settings.retry_delays_ms)]
