"""Declares every queue of every service before any of them starts, so no published event is unroutable.

Run once per deployment (`python -m services.topology`); each worker declares its own queues again on start.
"""
from __future__ import annotations

import structlog

from services.common.naming import EVENTS, PARKING, RETRY, retry_name
from services.common.publishers import connect
from services.common.logs import configure_logging
from services.common.settings import CommonSettings, load_settings
from services.desk.queues import queues as desk_queues
from services.evidence.queues import queues as evidence_queues
from services.intake.queues import queues as intake_queues
from services.notify.queues import queues as notify_queues
from services.routing.queues import queues as routing_queues


# Queues no service reads any more, deleted with their delay queues where an older release declared them:
# left bound, they would fill up forever. Their parking lots stay for an operator to read and purge.
# routing.deliveries: notification.sent/failed went to routing too, to move a status nothing read.
RETIRED_QUEUES = ("routing.deliveries",)


def all_queues(settings: CommonSettings):
    for make in (intake_queues, evidence_queues, routing_queues, notify_queues, desk_queues):
        yield from make(settings)


def declare_topology(settings: CommonSettings) -> list[str]:
    with connect(settings.amqp_url) as connection:
        connection.ensure_connection(max_retries=30, interval_start=0.5, interval_max=2)
        channel = connection.channel()
        for exchange in (EVENTS, PARKING, RETRY):
            exchange.declare(channel=channel)
        specs = list(all_queues(settings))
        for spec in specs:
            spec.declare(channel)
        retire_queues(channel, settings)
    return [spec.name for spec in specs]


def retire_queues(channel, settings: CommonSettings) -> None:
    """Deleting a queue that does not exist is no error, so this is safe to run on every deployment."""
    for name in RETIRED_QUEUES:
        for level in range(len(settings.retry_delays_ms)):
            channel.queue_delete(retry_name(name, level))
        channel.queue_delete(name)


def main() -> None:
    settings = load_settings(CommonSettings)
    configure_logging("topology", settings.log_level, settings.log_format)
    structlog.get_logger("netra.topology").info("topology.declared", queues=declare_topology(settings))


if __name__ == "__main__":
    main()
