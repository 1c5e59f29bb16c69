"""Runs a service's consumers until SIGTERM, with its health port open beside them."""
from __future__ import annotations

import structlog

from .publishers import connect, Publisher
from .health import serve_health
from .readiness import Checks
from .settings import CommonSettings
from .worker import EventWorker, Route, stop_on_sigterm

log = structlog.get_logger("netra.runner")


def run_worker(settings: CommonSettings, routes: list[Route], publisher: Publisher, checks: Checks) -> None:
    worker = EventWorker(connect(settings.amqp_url), routes, publisher, settings.max_attempts, settings.prefetch)
    health = serve_health(settings.health_bind, {"broker": lambda: worker.connected, **checks})
    log.info("worker.started", health_port=health.server_address[1])
    stop_on_sigterm(worker)
    try:
        worker.run()
    finally:
        health.shutdown()
        publisher.close()
        log.info("worker.stopped")
