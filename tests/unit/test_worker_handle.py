"""EventWorker.handle's decisions with fakes: handled, retried at the right delay, parked; acked after the send."""
import json

import pytest

from services.common.envelope import new_event
from services.common.naming import PARKING, QueueSpec, RETRY
from services.common.worker import EventWorker, Permanent, Route

SPEC = QueueSpec("test.q", ("test.happened",), (100, 200))
EVENT = new_event("test.happened", {"n": 1}, correlation_id="complaint-1", producer="test")


class FakeMessage:
    def __init__(self, body: bytes, headers: dict | None, timeline: list):
        self.body, self.headers, self.timeline = body, headers, timeline
        self.properties = {"message_id": "message-1"}

    def ack(self):
        self.timeline.append(("ack",))


class FakePublisher:
    def __init__(self, timeline: list):
        self.timeline = timeline

    def send(self, body, exchange, routing_key, headers, message_id=None):
        self.timeline.append(("send", exchange.name, routing_key, headers, body, message_id))


def handle(handler, body=json.dumps(EVENT).encode(), headers=None, max_attempts=3) -> list:
    """Runs one message through a worker; returns what happened, in order."""
    timeline = []
    worker = EventWorker(None, [Route(SPEC, handler)], FakePublisher(timeline), max_attempts, prefetch=1)
    worker.handle(worker.routes[0], FakeMessage(body, headers, timeline))
    return timeline


def failing(exc):
    def handler(event):
        raise exc
    return handler


def test_a_handled_message_is_acked_and_nothing_is_sent():
    seen = []
    assert handle(seen.append) == [("ack",)]
    assert seen == [EVENT]


@pytest.mark.parametrize("previous, delay_queue", [
    (None, "test.q.retry.0"),
    ({"x-netra-attempt": 1}, "test.q.retry.1"),
])
def test_a_transient_failure_goes_to_the_next_delay_queue_then_is_acked(previous, delay_queue):
    send, ack = handle(failing(ConnectionError("db")), headers=previous)

    attempt = (previous or {}).get("x-netra-attempt", 0) + 1
    assert send == ("send", RETRY.name, delay_queue, {"x-netra-attempt": attempt}, json.dumps(EVENT).encode(),
                    "message-1")
    assert ack == ("ack",)


def test_the_last_attempt_parks_with_the_reason():
    (_, exchange, key, headers, _, _), ack = handle(failing(ConnectionError("db")),
                                                    headers={"x-netra-attempt": 2, "x-trace": "kept"})

    assert (exchange, key, ack) == (PARKING.name, "test.q", ("ack",))
    parked_at = headers.pop("x-netra-parked-at")
    assert headers == {"x-netra-attempt": 3, "x-trace": "kept", "x-netra-queue": "test.q",
                       "x-netra-reason": "failed 3 times, last: ConnectionError('db')"}
    assert parked_at.startswith("20")


@pytest.mark.parametrize("body, handler, reason", [
    (json.dumps(EVENT).encode(), failing(Permanent("unit unknown")), "unit unknown"),
    (b"\xff not json", None, "unreadable message:"),
    (b'["an", "array"]', None, "not an event envelope:"),
    (b'{"event_id": "e-1", "event_type": "test.happened"}', None, "not an event envelope:"),
])
def test_permanent_and_unreadable_messages_are_parked_at_once(body, handler, reason):
    (_, exchange, key, headers, sent_body, _), ack = handle(handler, body=body)

    assert (exchange, key, ack, sent_body) == (PARKING.name, "test.q", ("ack",), body)
    assert headers["x-netra-attempt"] == 1 and headers["x-netra-reason"].startswith(reason)


def test_a_failed_send_leaves_the_message_unacked():
    class BrokerGone(FakePublisher):
        def send(self, *args, **kwargs):
            raise OSError("broker gone")

    timeline = []
    worker = EventWorker(None, [Route(SPEC, failing(ConnectionError("db")))], BrokerGone(timeline), 3, 1)
    with pytest.raises(OSError):
        worker.handle(worker.routes[0], FakeMessage(json.dumps(EVENT).encode(), None, timeline))
    assert timeline == []


def test_with_no_retry_delays_a_transient_failure_parks_instead_of_vanishing():
    timeline = []
    route = Route(QueueSpec("test.q", ("test.happened",), ()), failing(ConnectionError("db")))
    worker = EventWorker(None, [route], FakePublisher(timeline), max_attempts=5, prefetch=1)
    worker.handle(route, FakeMessage(json.dumps(EVENT).encode(), {}, timeline))
    (_, exchange, _key, headers, _, _), ack = timeline
    assert exchange == PARKING.name and headers["x-netra-reason"].startswith("failed 1 times")


def test_an_unreadable_attempt_header_counts_as_a_first_attempt():
    (_, exchange, key, headers, _, _), ack = handle(failing(ConnectionError("db")),
                                                    headers={"x-netra-attempt": "many"})
    assert (exchange, key, headers["x-netra-attempt"]) == (RETRY.name, "test.q.retry.0", 1)


class Lines:
    """A logger that keeps (level, event) of each line."""
    def __init__(self):
        self.lines = []

    def __getattr__(self, level):
        return lambda event, **fields: self.lines.append((level, event))


def test_a_handler_that_writes_its_summary_leaves_the_workers_handled_line_to_debug(monkeypatch):
    from services.common import worker as worker_module
    from services.common.logs import summary
    worker_lines, handler_lines = Lines(), Lines()
    monkeypatch.setattr(worker_module, "log", worker_lines)
    assert handle(lambda event: summary(handler_lines, "test.done", n=event["payload"]["n"])) == [("ack",)]
    assert handle(lambda event: None) == [("ack",)]  # the next message's handler writes none: info again
    assert handler_lines.lines == [("info", "test.done")]
    assert worker_lines.lines == [("debug", "event.handled"), ("info", "event.handled")]
