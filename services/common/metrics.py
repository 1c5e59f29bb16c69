"""Netra's Prometheus metrics: every name the services export is defined in this module.

Label values are codes only (queue names, route templates, results, check names), never a tracking code,
a path as typed or anything about a reporter. Each group takes its registry so unit tests can count on a
fresh `CollectorRegistry`; the services use the module-level ones on the default registry.

Under gunicorn the web apps run in prometheus-client's multiprocess mode: the gunicorn configs set
PROMETHEUS_MULTIPROC_DIR before anything imports prometheus_client, and `/metrics` then adds up what every
worker process wrote there.
"""
from __future__ import annotations

import os
from pathlib import Path
from time import perf_counter
from typing import Callable

from prometheus_client import (CONTENT_TYPE_LATEST, REGISTRY, CollectorRegistry, Counter, Gauge, Histogram,
                               generate_latest)
from prometheus_client.core import GaugeMetricFamily

from .readiness import run_checks

__all__ = ["CONTENT_TYPE_LATEST", "HttpMetrics", "MailMetrics", "ReadinessCollector", "ScheduleMetrics",
           "WorkerMetrics", "exposition", "register_web_metrics"]

MULTIPROC_ENV = "PROMETHEUS_MULTIPROC_DIR"
UNMATCHED = "unmatched"  # the route label of a request no rule matched: never the path itself
NOT_COUNTED = frozenset({"/metrics", "/healthz", "/readyz"})  # probes and scrapes would drown the traffic


class WorkerMetrics:
    """What an EventWorker did with each message, per queue, and how long its handler took."""

    def __init__(self, registry: CollectorRegistry = REGISTRY):
        self.handled = Counter("netra_messages_handled", "Messages whose handler succeeded", ["queue"],
                               registry=registry)
        self.retried = Counter("netra_messages_retried", "Messages sent to a delay queue for another attempt",
                               ["queue"], registry=registry)
        self.parked = Counter("netra_messages_parked", "Messages moved to the parking lot", ["queue"],
                              registry=registry)
        self.duration = Histogram("netra_handler_duration_seconds", "Time a handler took, whatever its outcome",
                                  ["queue"], registry=registry)


class MailMetrics:
    """Mails notify tried, by recipient kind (unit | reporter) and result (sent | retried | failed | suppressed:
    a repeated event found its mail sent already)."""

    def __init__(self, registry: CollectorRegistry = REGISTRY):
        self.mails = Counter("netra_mails", "Mails by recipient kind and result", ["recipient", "result"],
                             registry=registry)

    def count(self, recipient: str, result: str) -> None:
        self.mails.labels(recipient=recipient, result=result).inc()


class ScheduleMetrics:
    """The scheduler's runs per job and outcome (ok | failed | skipped: another process held the job's lock),
    the time of each job's last success, the days of holiday data left, and whether this replica leads."""

    def __init__(self, registry: CollectorRegistry = REGISTRY):
        self.runs = Counter("netra_scheduled_runs", "Scheduled job runs by outcome", ["job", "outcome"],
                            registry=registry)
        self.last_success = Gauge("netra_scheduled_last_success_timestamp_seconds",
                                  "Unix time a scheduled job last succeeded", ["job"], registry=registry)
        self.holiday_days_left = Gauge("netra_holiday_data_days_left",
                                       "Days until the published holiday data runs out", registry=registry)
        self.leader = Gauge("netra_scheduler_leader", "1 while this scheduler replica leads, 0 on standby",
                            registry=registry)


class HttpMetrics:
    """HTTP requests of a Flask app by method, route template and status, with their latency."""

    def __init__(self, registry: CollectorRegistry = REGISTRY):
        self.requests = Counter("netra_http_requests", "HTTP requests by route template and status",
                                ["method", "route", "status"], registry=registry)
        self.latency = Histogram("netra_http_request_duration_seconds", "Time to answer an HTTP request",
                                 ["method", "route"], registry=registry)


class ReadinessCollector:
    """netra_ready and netra_check_up{check}, computed at scrape time from the same checks as /readyz."""

    def __init__(self, checks: dict[str, Callable[[], bool]]):
        self.checks = checks

    def collect(self):
        ready, results = run_checks(self.checks)
        per_check = GaugeMetricFamily("netra_check_up", "1 while this readiness check answers", labels=["check"])
        for name, state in results.items():
            per_check.add_metric([name], 1.0 if state == "ok" else 0.0)
        yield GaugeMetricFamily("netra_ready", "1 while every readiness check answers", value=1.0 if ready else 0.0)
        yield per_check


class _Forward:
    """Hands a scrape the default registry's metrics (the custom collectors registered there included)."""

    def __init__(self, registry: CollectorRegistry):
        self.registry = registry

    def collect(self):
        return self.registry.collect()


def exposition(checks: dict[str, Callable[[], bool]], registry: CollectorRegistry = REGISTRY) -> bytes:
    """One scrape: this process's metrics (or, under gunicorn, every worker's) and the readiness gauges."""
    scrape = CollectorRegistry()
    scrape.register(ReadinessCollector(checks))
    if os.environ.get(MULTIPROC_ENV) and registry is REGISTRY:
        from prometheus_client import multiprocess
        multiprocess.MultiProcessCollector(scrape)
    else:
        scrape.register(_Forward(registry))
    return generate_latest(scrape)


WORKER = WorkerMetrics()
MAILS = MailMetrics()
HTTP = HttpMetrics()


def register_web_metrics(app, checks: dict[str, Callable[[], bool]], http: HttpMetrics = HTTP,
                         registry: CollectorRegistry = REGISTRY) -> None:
    """Counts a Flask app's requests by route template and serves `/metrics`."""
    from flask import Response, g, request

    def started():
        g.netra_started = perf_counter()
    # First of all, so a request another hook answers early (429, 414) is timed and counted too.
    app.before_request_funcs.setdefault(None, []).insert(0, started)

    @app.after_request
    def counted(response):
        if request.path not in NOT_COUNTED and hasattr(g, "netra_started"):
            route = request.url_rule.rule if request.url_rule else UNMATCHED
            http.requests.labels(request.method, route, str(response.status_code)).inc()
            http.latency.labels(request.method, route).observe(perf_counter() - g.netra_started)
        return response

    @app.get("/metrics")
    def metrics():
        return Response(exposition(checks, registry), mimetype=CONTENT_TYPE_LATEST)


def fresh_multiprocess_dir(path: str) -> None:
    """gunicorn's master at start: an empty directory, so a restart does not add up its predecessor's files."""
    directory = Path(path)
    directory.mkdir(parents=True, exist_ok=True)
    for stale in directory.glob("*.db"):
        stale.unlink()


def worker_exited(pid: int) -> None:
    """gunicorn's child_exit hook: a dead worker's live gauges are dropped (its counters stay counted)."""
    from prometheus_client import multiprocess
    multiprocess.mark_process_dead(pid)
