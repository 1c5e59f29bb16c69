"""Routing against the real PostgreSQL and RabbitMQ: the worker as main() wires it, in a thread."""
import threading
import time

import pytest
from kombu import Queue
from sqlalchemy import select

from services.common.envelope import derived_event_id, new_event
from services.common.naming import EVENTS, QueueSpec
from services.common.publishers import connect, Publisher
from services.common.db import make_engine
from services.routing.settings import DATA as ROUTING_DATA, RoutingSettings
from services.common.worker import EventWorker
from services.routing.cases import case_status_history, cases, metadata
from services.routing.directory import load_directory
from services.routing.queues import ROUTE
from services.routing.rules import load_rules
from services.routing.worker import build_routes

pytestmark = pytest.mark.integration
COMPLAINT = "7c9e6679-7425-40de-944b-e07fc1f90ae7"
ROUTED = Queue("test.case_routed", exchange=EVENTS, routing_key="case.routed", durable=False)
PARKED = QueueSpec(ROUTE, ("evidence.archived",), ()).parking()


@pytest.fixture
def engine(database_url):
    engine = make_engine(database_url)
    metadata.create_all(engine)
    yield engine
    engine.dispose()


@pytest.fixture
def bus(vhost_url):
    """A publisher for the test and queues that catch what routing publishes and parks."""
    connection = connect(vhost_url)
    channel = connection.channel()
    ROUTED.bind(channel).declare()
    publisher = Publisher(connect(vhost_url))
    yield publisher, connection
    publisher.close()
    connection.release()


@pytest.fixture
def worker(vhost_url, engine):
    settings = RoutingSettings(amqp_url=vhost_url, retry_delays_ms=(200,))
    directory = load_directory(ROUTING_DATA / "units.yaml")
    rules = load_rules(ROUTING_DATA / "rules.yaml", directory)
    publisher = Publisher(connect(vhost_url))
    worker = EventWorker(connect(vhost_url), build_routes(settings, directory, rules, engine, publisher),
                         publisher, max_attempts=2, prefetch=10)
    thread = threading.Thread(target=worker.run, daemon=True)
    thread.start()
    wait_until(lambda: worker.connected)
    yield worker
    worker.should_stop = True
    thread.join(timeout=10)
    publisher.close()


def wait_until(condition, timeout=20):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.1)
    raise AssertionError("condition not met in time")


def next_message(connection, queue: Queue, timeout=20):
    with connection.SimpleQueue(queue, no_ack=True) as queue:
        message = queue.get(block=True, timeout=timeout)
        return message.payload, message.headers


def evidence_archived(region="14.03"):
    payload = {
        "complaint_id": COMPLAINT, "tracking_code": "NTR-AB12-CD34",
        "subject": {"name": "Siti", "nip": None, "position": "Staf", "agency": "BPKAD",
                    "employer_level": "kabupaten_kota", "region_code": region},
        "violation": {"category": "tanggapi_unggahan", "platform": "instagram", "post_urls": [],
                      "occurred_on": "2026-11-03", "location": None, "description": "Menyukai unggahan paslon"},
        "files": [{"index": 0, "key": f"complaints/{COMPLAINT}/cd.jpg", "sha256": "cd", "size": 99,
                   "media_type": "image/jpeg"}],
        "manifest_key": f"complaints/{COMPLAINT}/manifest.json", "rejected": [],
    }
    return new_event("evidence.archived", payload, correlation_id=COMPLAINT, producer="evidence",
                     event_id=derived_event_id("evidence.archived", COMPLAINT))


def all_cases(engine):
    with engine.connect() as conn:
        return conn.execute(select(cases)).all()


def test_one_archived_complaint_makes_one_case_even_when_delivered_twice(worker, bus, engine):
    publisher, connection = bus
    event = evidence_archived()
    publisher.publish(event)
    first, _ = next_message(connection, ROUTED)
    [case] = all_cases(engine)
    assert first["event_id"] == derived_event_id("case.routed", COMPLAINT)
    assert first["payload"]["case_id"] == case.case_id
    assert first["payload"]["units"]["primary"]["name"] == "BKPSDM Kabupaten Bengkalis"
    assert case.primary_unit_id == "bkpsdm-14.03" and case.matched_rule == "kabupaten_kota-default"

    publisher.publish(event)
    second, _ = next_message(connection, ROUTED)
    assert second == first
    assert [c.case_id for c in all_cases(engine)] == [case.case_id]


def test_unit_notification_is_recorded_on_the_case(worker, bus, engine):
    publisher, connection = bus
    publisher.publish(evidence_archived())
    next_message(connection, ROUTED)
    sent = new_event("notification.sent", {"complaint_id": COMPLAINT, "case_id": None, "recipient_kind": "unit",
                                           "unit_id": "bkpsdm-14.03", "message_id": "<m1@netra>"},
                     correlation_id=COMPLAINT, producer="notify",
                     event_id=derived_event_id("notification.sent", f"{COMPLAINT}:unit"))
    publisher.publish(sent)
    publisher.publish(sent)
    wait_until(lambda: all_cases(engine)[0].status == "unit_notified")
    time.sleep(0.5)  # give the repeat time to arrive: it must not add a second history line
    with engine.connect() as conn:
        statuses = [r.status for r in conn.execute(select(case_status_history).order_by(case_status_history.c.id))]
    assert statuses == ["routed", "unit_notified"]


def test_an_unknown_region_is_parked_without_a_case(worker, bus, engine):
    publisher, connection = bus
    publisher.publish(evidence_archived(region="99.99"))
    parked, headers = next_message(connection, PARKED)
    assert parked["payload"]["complaint_id"] == COMPLAINT
    assert "unknown region code" in headers["x-netra-reason"]
    assert all_cases(engine) == []
