"""With a list of broker addresses, publishers, the relay and consumers reach the node that answers."""
from kombu import Connection, Exchange, Queue

from services.common.envelope import new_event
from services.common.naming import EVENTS
from services.common.publishers import BatchPublisher, Publisher, connect



def dead_node(url: str) -> str:
    """The same vhost on a port where nothing listens: connection refused."""
    return "amqp://guest:guest@127.0.0.1:1/" + url.rsplit("/", 1)[1]


def _queue(url: str) -> Queue:
    queue = Queue("list-probe", Exchange(EVENTS.name, "topic", durable=True), routing_key="probe.#",
                  durable=True)
    with Connection(url) as conn:
        EVENTS.declare(channel=conn.channel())
        queue.declare(channel=conn.default_channel)
    return queue


def _received(url: str, queue: Queue) -> list[str]:
    ids = []
    with Connection(url) as conn:
        while (message := queue(conn.default_channel).get(no_ack=True)) is not None:
            ids.append(message.properties["message_id"])
    return ids


def test_publisher_and_relay_skip_a_dead_first_node(vhost_url):
    queue = _queue(vhost_url)
    listed = f"{dead_node(vhost_url)},{vhost_url}"
    one, two, three = (new_event("probe.sent", {"n": n}, correlation_id="c", producer="test") for n in range(3))
    publisher = Publisher(connect(listed))
    publisher.publish(one)
    publisher.close()
    relay = BatchPublisher(listed)
    relay.publish([two, three])
    relay.close()
    assert _received(vhost_url, queue) == [one["event_id"], two["event_id"], three["event_id"]]


def test_a_consumer_connection_fails_over_to_the_live_node(vhost_url):
    connection = connect(f"{dead_node(vhost_url)},{vhost_url}")
    connection.ensure_connection(max_retries=3, interval_start=0, interval_step=0.1)
    assert connection.connected and "127.0.0.1:5672" in connection.as_uri()
    connection.release()


def test_quorum_delay_queues_hand_a_message_back_after_their_delay(vhost_url):
    """A retried message waits in a quorum delay queue, then returns to its queue."""
    import time
    from services.common.naming import RETRY, QueueSpec
    spec = QueueSpec("probe.q", ("probe.sent",), (300,))
    with Connection(vhost_url) as conn:
        for exchange in (EVENTS, RETRY):
            exchange.declare(channel=conn.default_channel)
        spec.declare(conn.default_channel)
    publisher = Publisher(connect(vhost_url))
    publisher.send(b"{}", RETRY, spec.retry_key(1), {}, "retried-1")
    publisher.close()
    deadline, seen = time.monotonic() + 20, []
    with Connection(vhost_url) as conn:
        while not seen and time.monotonic() < deadline:
            if (message := spec.main()(conn.default_channel).get(no_ack=True)) is not None:
                seen.append(message.properties["message_id"])
            time.sleep(0.1)
    assert seen == ["retried-1"]
