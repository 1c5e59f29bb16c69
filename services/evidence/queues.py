"""The queues evidence consumes from."""
from services.common.naming import QueueSpec

ARCHIVE = "evidence.archive"
ADDITIONS = "evidence.additions"


def queues(settings) -> list[QueueSpec]:
    return [QueueSpec(ARCHIVE, ("complaint.submitted",), settings.retry_delays_ms),
            QueueSpec(ADDITIONS, ("complaint.evidence_added",), settings.retry_delays_ms)]
