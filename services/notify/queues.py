"""The queues notify consumes from."""
from services.common.naming import QueueSpec

UNIT_MAIL = "notify.unit_mail"
REPORTER_MAIL = "notify.reporter_mail"
REPORTER_EVENTS = ("complaint.submitted", "evidence.rejected", "case.status_changed", "reporter.question_asked")
DELAY_BUCKETS = 5


def unit_mail_delays(max_ms: int) -> tuple[int, ...]:
    """The delay buckets of the unit mail, evenly up to max_ms; none when max_ms is 0."""
    return tuple(sorted({max(1, max_ms * n // DELAY_BUCKETS) for n in range(1, DELAY_BUCKETS + 1)})) \
        if max_ms > 0 else ()


def queues(settings) -> list[QueueSpec]:
    # The topology tool declares every service's queues with common settings only: no delay buckets
    # there; notify declares its own on start.
    delays = unit_mail_delays(getattr(settings, "unit_mail_delay_max_ms", 0))
    return [
        QueueSpec(UNIT_MAIL, ("case.routed",), settings.retry_delays_ms, defer_ms=delays),
        QueueSpec(REPORTER_MAIL, REPORTER_EVENTS, settings.retry_delays_ms),
    ]
