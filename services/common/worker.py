"""A consumer loop that acks only after the handler's side effect, retries with backoff, and parks.

Handlers are plain functions `handler(event) -> None`. They raise `Permanent` for a message that can
never succeed (it goes straight to the parking lot); any other exception is taken as transient and the
message is retried through the delay queues until `max_attempts`, then parked. Other messages keep
flowing meanwhile because a failed message leaves the main queue at once.
"""
from __future__ import annotations

import signal
from time import perf_counter
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Callable, Protocol

import structlog
from kombu import Connection, Exchange
from kombu.mixins import ConsumerMixin

from .envelope import Permanent, decode_envelope
from .faults import fault_point
from .logs import bind_event, summarised
from .metrics import WORKER, WorkerMetrics
from .naming import ATTEMPT_HEADER, PARKED_AT_HEADER, PARKING, QUEUE_HEADER, REASON_HEADER, RETRY, QueueSpec
from .scrub import scrub_text

log = structlog.get_logger("netra.worker")
__all__ = ["EventWorker", "Permanent", "Route", "attempt_of", "stop_on_sigterm"]


class Resends(Protocol):
    """What the worker needs of a publisher (publishers.Publisher): a message sent on to a retry queue or the
    parking lot, returning once the broker confirmed it."""

    def send(self, body: bytes, exchange: Exchange, routing_key: str, headers: dict,
             message_id: str | None = None) -> None: ...


@dataclass(frozen=True)
class Route:
    spec: QueueSpec
    handler: Callable[[dict], None]


def attempt_of(message) -> int:
    """This delivery's attempt number; a header nobody can read counts as a first attempt."""
    try:
        return int((message.headers or {}).get(ATTEMPT_HEADER, 0)) + 1
    except (TypeError, ValueError):
        return 1


class EventWorker(ConsumerMixin):
    def __init__(self, connection: Connection, routes: list[Route], publisher: Resends,
                 max_attempts: int, prefetch: int, metrics: WorkerMetrics = WORKER):
        self.connection = connection
        self.metrics = metrics
        self.routes = routes
        self.publisher = publisher
        self.max_attempts = max_attempts
        self.prefetch = prefetch
        self.connected = False

    def get_consumers(self, Consumer, channel):
        for route in self.routes:
            route.spec.declare(channel)
        return [
            Consumer(queues=[route.spec.main()], on_message=self._on_message_for(route),
                     prefetch_count=self.prefetch, auto_declare=False)
            for route in self.routes
        ]

    def on_consume_ready(self, connection, channel, consumers, **kwargs):
        self.connected = True
        log.info("worker.consuming", queues=[r.spec.name for r in self.routes])

    def on_connection_error(self, exc, interval):
        self.connected = False
        log.warning("worker.broker_unreachable", error=str(exc), retry_in=interval)

    def _on_message_for(self, route: Route):
        return lambda message: self.handle(route, message)

    def handle(self, route: Route, message) -> None:
        attempt, started = attempt_of(message), perf_counter()
        try:
            event = decode_envelope(message.body)
            bind_event(event)
            route.handler(event)
        except Permanent as exc:
            self._park(route, message, str(exc), attempt)
        except Exception as exc:  # noqa: BLE001 - any other failure is treated as transient
            log.warning("event.failed", queue=route.spec.name, attempt=attempt, error=repr(exc))
            if attempt >= self.max_attempts or not route.spec.retry_delays_ms:
                self._park(route, message, f"failed {attempt} times, last: {exc!r}", attempt)
            else:
                self._retry(route, message, attempt)
        else:
            (log.debug if summarised() else log.info)("event.handled", queue=route.spec.name, attempt=attempt)
            self.metrics.handled.labels(route.spec.name).inc()
            fault_point(f"before_ack:{route.spec.name}")
        finally:
            self.metrics.duration.labels(route.spec.name).observe(perf_counter() - started)
        message.ack()
        structlog.contextvars.clear_contextvars()

    def _retry(self, route: Route, message, attempt: int) -> None:
        headers = {**(message.headers or {}), ATTEMPT_HEADER: attempt}
        self.publisher.send(message.body, RETRY, route.spec.retry_key(attempt), headers,
                            message.properties.get("message_id"))
        self.metrics.retried.labels(route.spec.name).inc()

    def _park(self, route: Route, message, reason: str, attempt: int) -> None:
        headers = {**(message.headers or {}), ATTEMPT_HEADER: attempt, REASON_HEADER: scrub_text(reason)[:1000],
                   QUEUE_HEADER: route.spec.name, PARKED_AT_HEADER: datetime.now(timezone.utc).isoformat()}
        self.publisher.send(message.body, PARKING, route.spec.name, headers,
                            message.properties.get("message_id"))
        log.error("event.parked", queue=route.spec.name, reason=reason, attempt=attempt)
        self.metrics.parked.labels(route.spec.name).inc()


def stop_on_sigterm(worker: EventWorker) -> None:
    """SIGTERM lets the message in hand finish and be acked; unacked prefetched ones return to the queue."""
    def stop(signum, _frame):
        log.info("worker.stopping", signal=signum)
        worker.should_stop = True
    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
