"""BatchPublisher against the real RabbitMQ: a batch is confirmed whole, or the call raises."""
import json
import threading
import time
import uuid
from urllib.parse import urlsplit

import pytest
from kombu import Queue

from services.common.naming import EVENTS
from services.common.publishers import BatchPublisher, connect, PublishFailed
from tests.support.tcp_proxy import TcpProxy


def events(n: int, event_type: str = "test.happened") -> list[dict]:
    return [{"event_id": str(uuid.uuid4()), "event_type": event_type, "correlation_id": f"c-{i}",
             "payload": {"n": i, "teks": "pelanggaran netralitas ASN"}} for i in range(n)]


def declare(vhost_url: str, name: str, routing_key: str = "test.happened", **arguments) -> None:
    with connect(vhost_url) as conn:
        Queue(name, exchange=EVENTS, routing_key=routing_key, channel=conn.channel(),
              queue_arguments=arguments).declare()


def drain(vhost_url: str, name: str, expected: list[dict]) -> list:
    """Messages from the queue, acked, until every expected event has arrived (or 30 s have passed).

    A quorum queue's message count may lag behind what it holds, so the expected ids, not the count,
    tell when to stop."""
    wanted, messages = {e["event_id"] for e in expected}, []
    with connect(vhost_url) as conn:
        queue = Queue(name, channel=conn.channel())
        deadline = time.monotonic() + 30
        while not wanted <= {m.properties["message_id"] for m in messages} and time.monotonic() < deadline:
            message = queue.get(no_ack=True)
            if message is None:
                time.sleep(0.05)
                continue
            messages.append(message)
    return messages


@pytest.fixture
def publisher(vhost_url):
    publisher = BatchPublisher(vhost_url, confirm_timeout=10)
    yield publisher
    publisher.close()


def test_a_thousand_events_are_confirmed_and_arrive_as_publisher_sends_them(vhost_url, publisher):
    declare(vhost_url, "sink", **{"x-queue-type": "quorum"})
    batch = events(1000)
    publisher.publish(batch)
    arrived = drain(vhost_url, "sink", batch)
    assert [m.properties["message_id"] for m in arrived] == [e["event_id"] for e in batch]
    first = arrived[0]
    assert json.loads(first.body) == batch[0]
    assert (first.content_type, first.content_encoding) == ("application/json", "utf-8")
    assert first.properties["delivery_mode"] == 2
    assert (first.delivery_info["exchange"], first.delivery_info["routing_key"]) == ("netra.events", "test.happened")


def test_nacked_messages_raise_and_the_next_batch_goes_through(vhost_url, publisher):
    declare(vhost_url, "small", **{"x-max-length": 10, "x-overflow": "reject-publish"})
    declare(vhost_url, "sink", routing_key="test.other", **{"x-queue-type": "quorum"})
    with pytest.raises(PublishFailed, match="nacked"):
        publisher.publish(events(25))
    later = events(3, "test.other")
    publisher.publish(later)
    assert [m.properties["message_id"] for m in drain(vhost_url, "sink", later)] == [e["event_id"] for e in later]


def test_an_unroutable_event_raises(vhost_url, publisher):
    declare(vhost_url, "sink")
    with pytest.raises(PublishFailed, match="1 returned"):
        publisher.publish(events(5) + events(1, "nobody.listens"))


def test_a_connection_lost_mid_batch_raises_at_once_and_the_next_call_reconnects(vhost_url):
    declare(vhost_url, "sink", **{"x-queue-type": "quorum"})
    broker = urlsplit(vhost_url)
    with TcpProxy((broker.hostname, broker.port)) as proxy:
        publisher = BatchPublisher(proxy.via(vhost_url), confirm_timeout=30)
        publisher.publish(events(1))
        proxy.hold()  # no confirm can come back: the batch is surely still in flight when the link drops
        failures = []
        sending = threading.Thread(target=publish_catching, args=(publisher, events(200), failures))
        started = time.monotonic()
        sending.start()
        time.sleep(0.3)
        proxy.cut()
        sending.join(timeout=10)
        assert failures and time.monotonic() - started < 10
        proxy.restore()
        last = events(5)
        publisher.publish(last)
        publisher.close()
    arrived = {m.properties["message_id"] for m in drain(vhost_url, "sink", last)}
    assert {e["event_id"] for e in last} <= arrived


def test_no_confirm_in_time_raises(vhost_url):
    declare(vhost_url, "sink")
    broker = urlsplit(vhost_url)
    with TcpProxy((broker.hostname, broker.port)) as proxy:
        publisher = BatchPublisher(proxy.via(vhost_url), confirm_timeout=0.5)
        publisher.publish(events(1))
        proxy.hold()
        with pytest.raises(PublishFailed, match="unconfirmed"):
            publisher.publish(events(10))


def publish_catching(publisher: BatchPublisher, batch: list[dict], failures: list) -> None:
    try:
        publisher.publish(batch)
    except Exception as exc:  # noqa: BLE001 - the test inspects what was raised
        failures.append(exc)
