"""The queues notify consumes from."""
from services.common.naming import QueueSpec

UNIT_MAIL = "notify.unit_mail"
STEP_MAIL = "notify.step_mail"
REPORTER_MAIL = "notify.reporter_mail"
REPORTER_EVENTS = ("complaint.submitted", "evidence.rejected", "case.status_changed", "reporter.question_asked",
                   "identity.disclosed")


def queues(settings) -> list[QueueSpec]:
    return [
        QueueSpec(UNIT_MAIL, ("case.routed",), settings.retry_delays_ms),
        QueueSpec(STEP_MAIL, ("case.step_opened",), settings.retry_delays_ms),
        QueueSpec(REPORTER_MAIL, REPORTER_EVENTS, settings.retry_delays_ms),
    ]
