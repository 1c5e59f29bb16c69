"""The metrics each part exports, counted on a fresh CollectorRegistry with fakes: worker outcomes, mails by
result, HTTP requests by route template, the outbox backlog, the readiness gauges and the health port."""
import json
from datetime import datetime, timedelta, timezone

import pytest
import requests
from flask import Flask
from prometheus_client import CollectorRegistry
from sqlalchemy import insert

from services.common.db import make_engine
from services.common.envelope import new_event
from services.common.health import serve_health
from services.common.metrics import HttpMetrics, MailMetrics, WorkerMetrics, exposition, register_web_metrics
from services.common.naming import QueueSpec
from services.common.outbox import OutboxCollector
from services.common.worker import EventWorker, Permanent, Route
from services.intake.tables import metadata, outbox
from services.notify.handlers import Mailer, mail_unit
from services.notify.smtp import PermanentMailError, TransientMailError
from tests.support import notify_events
from tests.support.notify_fakes import FakeDeliveries, FakeSender

SPEC = QueueSpec("test.q", ("test.happened",), (100, 200))
EVENT = new_event("test.happened", {"n": 1}, correlation_id="complaint-1", producer="test")


class FakeMessage:
    def __init__(self, body: bytes, headers: dict | None = None):
        self.body, self.headers, self.properties, self.acked = body, headers, {"message_id": "m-1"}, False

    def ack(self):
        self.acked = True


class FakePublisher:
    def send(self, body, exchange, routing_key, headers, message_id=None):
        pass


def value(registry: CollectorRegistry, name: str, **labels) -> float:
    return registry.get_sample_value(name, labels) or 0.0


def run_worker_once(handler, headers=None, body=json.dumps(EVENT).encode()) -> CollectorRegistry:
    registry = CollectorRegistry()
    worker = EventWorker(None, [Route(SPEC, handler)], FakePublisher(), max_attempts=3, prefetch=1,
                         metrics=WorkerMetrics(registry))
    worker.handle(worker.routes[0], FakeMessage(body, headers))
    return registry


def failing(exc):
    def handler(event):
        raise exc
    return handler


def test_a_handled_message_counts_as_handled_with_its_duration():
    registry = run_worker_once(lambda event: None)
    assert value(registry, "netra_messages_handled_total", queue="test.q") == 1
    assert value(registry, "netra_handler_duration_seconds_count", queue="test.q") == 1
    assert value(registry, "netra_messages_retried_total", queue="test.q") == 0


def test_a_failing_message_counts_as_retried_not_handled():
    registry = run_worker_once(failing(ConnectionError("db")))
    assert value(registry, "netra_messages_retried_total", queue="test.q") == 1
    assert value(registry, "netra_messages_handled_total", queue="test.q") == 0
    assert value(registry, "netra_handler_duration_seconds_count", queue="test.q") == 1


@pytest.mark.parametrize("handler, headers, body", [
    (failing(Permanent("unit unknown")), None, json.dumps(EVENT).encode()),
    (None, None, b"\xff poison"),
    (failing(ConnectionError("db")), {"x-netra-attempt": 2}, json.dumps(EVENT).encode()),
])
def test_a_poison_or_worn_out_message_counts_as_parked(handler, headers, body):
    registry = run_worker_once(handler, headers, body)
    assert value(registry, "netra_messages_parked_total", queue="test.q") == 1
    assert value(registry, "netra_messages_retried_total", queue="test.q") == 0


def mails_after(sender, event_twice=False) -> CollectorRegistry:
    registry = CollectorRegistry()
    mailer = Mailer(FakeDeliveries(), sender, lambda event: None, "n@localhost", MailMetrics(registry))
    event = notify_events.case_routed()
    for _ in range(2 if event_twice else 1):
        try:
            mail_unit(event, mailer, desk_url="https://desk.test")
        except Exception:  # noqa: BLE001 - the worker would retry or park it; here only the count matters
            pass
    return registry


def test_mails_are_counted_by_recipient_and_result():
    sent = mails_after(FakeSender())
    assert value(sent, "netra_mails_total", recipient="unit", result="sent") == 1  # the units in copy are on its Cc
    repeated = mails_after(FakeSender(), event_twice=True)
    assert value(repeated, "netra_mails_total", recipient="unit", result="suppressed") == 1
    assert value(mails_after(FakeSender(TransientMailError("421 busy"))), "netra_mails_total",
                 recipient="unit", result="retried") == 1
    assert value(mails_after(FakeSender(PermanentMailError("550 no such user", "detail"))), "netra_mails_total",
                 recipient="unit", result="failed") == 1


@pytest.fixture
def web():
    registry, app = CollectorRegistry(), Flask(__name__)

    @app.get("/status/<code>")
    def status(code):
        return {"code": code}, 200

    @app.post("/complaints")
    def submit():
        return {}, 202

    register_web_metrics(app, {"database": lambda: True}, HttpMetrics(registry), registry)
    return app.test_client(), registry


def test_requests_are_counted_by_route_template_never_the_path(web):
    client, registry = web
    client.get("/status/NTR-7Q2K-9XWD")
    client.post("/complaints")
    client.get("/no/such/NTR-AAAA-BBBB")
    client.get("/readyz")

    text = client.get("/metrics").get_data(as_text=True)
    assert value(registry, "netra_http_requests_total", method="GET", route="/status/<code>", status="200") == 1
    assert value(registry, "netra_http_requests_total", method="POST", route="/complaints", status="202") == 1
    assert value(registry, "netra_http_requests_total", method="GET", route="unmatched", status="404") == 1
    assert value(registry, "netra_http_request_duration_seconds_count", method="POST", route="/complaints") == 1
    assert "NTR-" not in text and "/metrics" not in text and "/readyz" not in text
    assert "netra_ready 1.0" in text and 'netra_check_up{check="database"} 1.0' in text


def test_readiness_gauges_say_which_check_is_down():
    text = exposition({"database": lambda: True, "store": lambda: 1 / 0}, CollectorRegistry()).decode()
    assert "netra_ready 0.0" in text
    assert 'netra_check_up{check="store"} 0.0' in text and 'netra_check_up{check="database"} 1.0' in text


def test_the_outbox_collector_reports_backlog_and_age_of_the_oldest_row(tmp_path):
    engine = make_engine(f"sqlite:///{tmp_path}/outbox.db")
    metadata.create_all(engine)
    registry = CollectorRegistry()
    registry.register(OutboxCollector(engine, outbox))
    assert value(registry, "netra_outbox_pending") == 0 and value(registry, "netra_outbox_oldest_age_seconds") == 0

    now = datetime.now(timezone.utc)
    with engine.begin() as conn:
        for i, (age, published) in enumerate([(300, None), (120, None), (900, now)]):
            conn.execute(insert(outbox).values(event_id=f"e-{i}", event_type="t", body="{}",
                                               created_at=now - timedelta(seconds=age), published_at=published))
    assert value(registry, "netra_outbox_pending") == 2
    assert 300 <= value(registry, "netra_outbox_oldest_age_seconds") < 330


def test_the_outbox_collector_answers_without_a_database(tmp_path):
    engine = make_engine(f"sqlite:///{tmp_path}/missing/nowhere.db")
    registry = CollectorRegistry()
    registry.register(OutboxCollector(engine, outbox))
    assert value(registry, "netra_outbox_pending") == 0  # left out, and the scrape still answers


def test_the_health_port_serves_metrics():
    server = serve_health("127.0.0.1:0", {"broker": lambda: True})
    try:
        answer = requests.get(f"http://127.0.0.1:{server.server_address[1]}/metrics", timeout=5)
    finally:
        server.shutdown()
    assert answer.status_code == 200 and answer.headers["Content-Type"].startswith("text/plain")
    assert "netra_ready 1.0" in answer.text and "# TYPE netra_messages_handled_total counter" in answer.text
