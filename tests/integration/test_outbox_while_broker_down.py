"""With the broker out of reach intake still answers 202, and the outbox relay catches up once it is back.

The shared RabbitMQ keeps running: the relay reaches it through a proxy of this test's own, which is cut.
"""
import json
import threading
import time
from urllib.parse import urlsplit

import pytest
from kombu import Queue
from sqlalchemy import func, select

from services.common.naming import EVENTS
from services.common.publishers import BatchPublisher, connect
from services.intake.settings import IntakeSettings
from services.intake.app import create_app
from services.common.outbox import run_relay
from services.intake.tables import outbox
from tests.support.complaints import complaint
from tests.support.migrated import migrated_database
from tests.support.tcp_proxy import TcpProxy
from tests.support.waiting import wait_until


database_url = migrated_database("intake")  # services never create their tables


@pytest.fixture
def app(database_url):
    return create_app(IntakeSettings(database_url=database_url))


@pytest.fixture
def engine(app):
    return app.extensions["netra.intake"].repository.engine


@pytest.fixture
def proxy(vhost_url):
    broker = urlsplit(vhost_url)
    with TcpProxy((broker.hostname, broker.port)) as proxy:
        yield proxy


@pytest.fixture
def relay(engine, proxy, vhost_url):
    """The relay in its own thread, as intake's worker runs it, publishing through the proxy."""
    publisher = BatchPublisher(proxy.via(vhost_url), confirm_timeout=5)
    attempts = []

    def publish(events):
        attempts.append(len(events))
        publisher.publish(events)
    stop = threading.Event()
    thread = threading.Thread(target=run_relay, args=(engine, outbox, publish, stop), name="outbox-relay")
    thread.start()
    yield attempts
    stop.set()
    thread.join(timeout=15)
    publisher.close()


def submit(app) -> int:
    return app.test_client().post("/api/v1/complaints", data={"complaint": json.dumps(complaint())},
                                  content_type="multipart/form-data").status_code


def pending(engine) -> int:
    with engine.connect() as conn:
        return conn.execute(select(func.count()).where(outbox.c.published_at.is_(None))).scalar()


def outbox_event_ids(engine) -> set[str]:
    with engine.connect() as conn:
        return set(conn.execute(select(outbox.c.event_id)).scalars())



def arrived_ids(vhost_url: str, name: str, expected: int, timeout: float = 10) -> set[str]:
    ids: set[str] = set()
    deadline = time.monotonic() + timeout
    with connect(vhost_url) as conn:
        queue = Queue(name, channel=conn.channel())
        while len(ids) < expected and time.monotonic() < deadline:
            message = queue.get(no_ack=True)
            if message is None:
                time.sleep(0.05)
            else:
                ids.add(message.properties["message_id"])
    return ids


def test_intake_answers_202_while_the_broker_is_unreachable_and_the_relay_catches_up(app, engine, proxy,
                                                                                       relay, vhost_url):
    with connect(vhost_url) as conn:
        Queue("evidence-probe", exchange=EVENTS, routing_key="complaint.submitted", channel=conn.channel(),
              queue_arguments={"x-queue-type": "quorum"}).declare()
    assert submit(app) == 202
    wait_until(lambda: pending(engine) == 0)

    proxy.cut()
    tries_before = len(relay)
    assert [submit(app) for _ in range(5)] == [202] * 5
    wait_until(lambda: len(relay) >= tries_before + 2)  # the relay kept trying, and failing
    assert pending(engine) == 5

    proxy.restore()
    wait_until(lambda: pending(engine) == 0)
    expected = outbox_event_ids(engine)
    assert arrived_ids(vhost_url, "evidence-probe", len(expected)) == expected
