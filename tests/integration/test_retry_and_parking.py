"""EventWorker against the real RabbitMQ: backoff through the delay queues, the parking lot, nothing lost.

Each test runs a worker in a thread in its own vhost, with one queue whose handler does what the event's
payload says ("ok", "transient", "permanent", "flaky:<failures>") and records every call.
"""
import functools
import json
import threading
import time

import pika
import pytest

from services.common.envelope import new_event
from services.common.naming import EVENTS, QueueSpec
from services.common.publishers import connect, Publisher
from services.common.settings import CommonSettings
from services.common.worker import EventWorker, Permanent, Route
from tests.support.waiting import wait_until

QUEUE = "test.retrying"
EVENT_TYPE = "test.happened"


class Journal:
    """What the handler saw: every call with its time, and the events it handled."""

    def __init__(self):
        self.calls: list[tuple[str, float]] = []
        self.handled: list[tuple[str, float]] = []

    def call_times(self, event_id: str) -> list[float]:
        return [at for called, at in self.calls if called == event_id]

    def handled_ids(self) -> list[str]:
        return [event_id for event_id, _ in self.handled]


def scripted(event: dict, journal: Journal) -> None:
    event_id, behaviour = event["event_id"], event["payload"]["behaviour"]
    journal.calls.append((event_id, time.monotonic()))
    if behaviour == "transient":
        raise ConnectionError("database went away")
    if behaviour == "permanent":
        raise Permanent("unit unknown: 99.99")
    if behaviour.startswith("flaky:") and len(journal.call_times(event_id)) <= int(behaviour[6:]):
        raise TimeoutError("smtp timed out")
    journal.handled.append((event_id, time.monotonic()))


@pytest.fixture
def settings(vhost_url, monkeypatch):
    monkeypatch.setenv("NETRA_RETRY_DELAYS_MS", "100,200,400")
    monkeypatch.setenv("NETRA_MAX_ATTEMPTS", "3")
    return CommonSettings(amqp_url=vhost_url)


@pytest.fixture
def journal(settings):
    """A worker consuming QUEUE in a thread, as run_worker runs it; yields what its handler saw."""
    journal = Journal()
    spec = QueueSpec(QUEUE, (EVENT_TYPE,), settings.retry_delays_ms)
    publisher = Publisher(connect(settings.amqp_url))
    route = Route(spec, functools.partial(scripted, journal=journal))
    worker = EventWorker(connect(settings.amqp_url), [route], publisher, settings.max_attempts, settings.prefetch)
    thread = threading.Thread(target=worker.run, daemon=True)
    thread.start()
    wait_until(lambda: worker.connected)
    yield journal
    worker.should_stop = True
    thread.join(timeout=10)
    publisher.close()


@pytest.fixture
def bus(settings):
    publisher = Publisher(connect(settings.amqp_url))
    yield publisher
    publisher.close()


@pytest.fixture
def broker(settings):
    connection = pika.BlockingConnection(pika.URLParameters(settings.amqp_url))
    yield connection
    connection.close()



def publish(bus: Publisher, behaviour: str) -> dict:
    event = new_event(EVENT_TYPE, {"behaviour": behaviour}, correlation_id="complaint-1", producer="test")
    bus.publish(event)
    return event


def publish_raw(bus: Publisher, body: bytes, message_id: str) -> None:
    bus.send(body, EVENTS, EVENT_TYPE, {}, message_id)


def waiting(broker, queue: str) -> int:
    channel = broker.channel()
    count = channel.queue_declare(queue, passive=True).method.message_count
    channel.close()
    return count


def parked(broker, count: int) -> list[tuple[dict, bytes]]:
    """Waits for `count` parked messages and takes them: (headers with message_id, body) each."""
    wait_until(lambda: waiting(broker, f"{QUEUE}.parking") >= count)
    channel = broker.channel()
    taken = []
    while (got := channel.basic_get(f"{QUEUE}.parking", auto_ack=True))[0] is not None:
        taken.append(({**got[1].headers, "message_id": got[1].message_id}, got[2]))
    channel.close()
    return taken


def settle_with_sentinel(bus: Publisher, journal: Journal) -> list[str]:
    """Sends a sentinel that fails twice and is handled on its third attempt, so it travels through the same
    delay queues any repeat would, after it; once the sentinel is handled, a repeat would have been too.
    Returns the handled event ids without the sentinel's."""
    sentinel = publish(bus, "flaky:2")["event_id"]
    wait_until(lambda: sentinel in journal.handled_ids())
    return [event_id for event_id in journal.handled_ids() if event_id != sentinel]


def test_a_transient_failure_backs_off_through_the_delay_queues_then_parks(journal, bus, broker):
    event = publish(bus, "transient")

    [(headers, body)] = parked(broker, 1)

    assert json.loads(body) == event and headers["message_id"] == event["event_id"]
    assert headers["x-netra-attempt"] == 3 and headers["x-netra-queue"] == QUEUE
    assert headers["x-netra-reason"] == "failed 3 times, last: ConnectionError('database went away')"
    delays = {(death["queue"], death["reason"]) for death in headers["x-death"]}
    assert delays == {(f"{QUEUE}.retry.0", "expired"), (f"{QUEUE}.retry.1", "expired")}
    first, second, third = journal.call_times(event["event_id"])
    assert 0.1 <= second - first < third - second and third - second >= 0.2
    assert journal.handled == []


def test_unreadable_and_non_envelope_messages_are_parked_at_once(journal, bus, broker):
    publish_raw(bus, b"\xff\xfe not json", "raw-1")
    publish_raw(bus, json.dumps({"hello": "world"}).encode(), "raw-2")

    reasons = {headers["message_id"]: headers for headers, _ in parked(broker, 2)}

    assert reasons["raw-1"]["x-netra-reason"].startswith("unreadable message:")
    assert reasons["raw-2"]["x-netra-reason"].startswith("not an event envelope:")
    assert all(h["x-netra-attempt"] == 1 and "x-death" not in h for h in reasons.values())
    assert journal.calls == []


def test_a_permanent_failure_is_parked_at_once(journal, bus, broker):
    event = publish(bus, "permanent")

    [(headers, _)] = parked(broker, 1)

    assert headers["x-netra-reason"] == "unit unknown: 99.99" and headers["x-netra-attempt"] == 1
    assert "x-death" not in headers
    assert len(journal.call_times(event["event_id"])) == 1


def test_other_messages_keep_flowing_while_one_fails(journal, bus, broker):
    failing = publish(bus, "transient")
    good = [publish(bus, "ok") for _ in range(20)]

    parked(broker, 1)

    assert sorted(journal.handled_ids()) == sorted(event["event_id"] for event in good)
    last_attempt = journal.call_times(failing["event_id"])[-1]
    assert max(at for _, at in journal.handled) < last_attempt


def test_a_handler_that_fails_twice_then_succeeds_is_handled_exactly_once(journal, bus, broker):
    event = publish(bus, "flaky:2")

    wait_until(lambda: journal.handled)

    assert settle_with_sentinel(bus, journal) == [event["event_id"]]
    assert len(journal.call_times(event["event_id"])) == 3
    queues = [QUEUE, f"{QUEUE}.parking", *(f"{QUEUE}.retry.{n}" for n in range(3))]
    assert [waiting(broker, queue) for queue in queues] == [0, 0, 0, 0, 0]


def test_nothing_is_lost_and_nothing_handled_twice(journal, bus, broker):
    behaviours = ["ok"] * 12 + ["transient"] * 3 + ["permanent"] * 3 + ["flaky:1"] * 3 + ["flaky:2"] * 3
    published = {publish(bus, behaviour)["event_id"] for behaviour in behaviours}
    for n in range(2):
        publish_raw(bus, b"<html>not an event</html>", f"raw-{n}")
    published |= {"raw-0", "raw-1"}

    parked_ids = [headers["message_id"] for headers, _ in parked(broker, 8)]
    wait_until(lambda: len(journal.handled) >= 18)

    handled_ids = settle_with_sentinel(bus, journal)
    assert len(handled_ids) == len(set(handled_ids)) == 18
    assert len(parked_ids) == len(set(parked_ids)) == 8
    assert set(handled_ids) | set(parked_ids) == published
    assert not set(handled_ids) & set(parked_ids)
    assert waiting(broker, f"{QUEUE}.parking") == 0
