"""The queues the desk consumes: cases arriving (or transferred in) and the reporters' answers."""
from services.common.naming import QueueSpec

CASES = "desk.cases"
ANSWERS = "desk.answers"


def queues(settings) -> list[QueueSpec]:
    return [QueueSpec(CASES, ("case.routed",), settings.retry_delays_ms),
            QueueSpec(ANSWERS, ("reporter.answered",), settings.retry_delays_ms)]
