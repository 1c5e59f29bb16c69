"""The queues evidence consumes from."""
from services.common.naming import QueueSpec

ARCHIVE = "evidence.archive"


def queues(settings) -> list[QueueSpec]:
    return [QueueSpec(ARCHIVE, ("complaint.submitted",), settings.retry_delays_ms)]
