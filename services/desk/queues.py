"""The queues the desk consumes: cases arriving (or transferred in), the reporters' answers and added evidence,
and the next step of a case's chain opening."""
from services.common.naming import QueueSpec

CASES = "desk.cases"
ANSWERS = "desk.answers"
ADDITIONS = "desk.evidence_added"
DISCLOSURES = "desk.disclosures"
STEPS = "desk.steps"


def queues(settings) -> list[QueueSpec]:
    return [QueueSpec(CASES, ("case.routed",), settings.retry_delays_ms),
            QueueSpec(ANSWERS, ("reporter.answered",), settings.retry_delays_ms),
            QueueSpec(ADDITIONS, ("evidence.added",), settings.retry_delays_ms),
            QueueSpec(DISCLOSURES, ("identity.disclosed",), settings.retry_delays_ms),
            QueueSpec(STEPS, ("case.step_opened",), settings.retry_delays_ms)]
