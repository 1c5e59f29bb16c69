"""The queues notify consumes from."""
from services.common.naming import QueueSpec

UNIT_MAIL = "notify.unit_mail"
REPORTER_MAIL = "notify.reporter_mail"


def queues(settings) -> list[QueueSpec]:
    return [
        QueueSpec(UNIT_MAIL, ("case.routed",), settings.retry_delays_ms),
        QueueSpec(REPORTER_MAIL, ("complaint.submitted", "evidence.rejected"), settings.retry_delays_ms),
    ]
