"""The queues intake consumes from: the downstream events that make the public status timeline, and the
units' questions to the reporter shown on /lacak."""
from services.common.naming import QueueSpec

TIMELINE = "intake.timeline"
TIMELINE_EVENTS = ("evidence.archived", "evidence.rejected", "case.routed", "notification.sent",
                   "notification.failed", "case.status_changed", "case.step_opened")

QUESTIONS = "intake.questions"
DISCLOSURES = "intake.disclosures"


def queues(settings) -> list[QueueSpec]:
    return [QueueSpec(TIMELINE, TIMELINE_EVENTS, settings.retry_delays_ms),
            QueueSpec(QUESTIONS, ("reporter.question_asked",), settings.retry_delays_ms),
            QueueSpec(DISCLOSURES, ("identity.disclosure_approved",), settings.retry_delays_ms)]
