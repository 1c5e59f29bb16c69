"""The random delay before a unit's mail: delay buckets on notify's unit-mail queue, and the worker parking
a first delivery in one of them instead of handling it (without waiting itself)."""
import json

from services.common.envelope import new_event
from services.common.naming import RETRY, QueueSpec
from services.common.worker import EventWorker, Route
from services.notify.queues import UNIT_MAIL, queues, unit_mail_delays
from services.notify.settings import NotifySettings
from tests.unit.test_worker_handle import FakeMessage, FakePublisher

EVENT = new_event("case.routed", {"n": 1}, correlation_id="complaint-1", producer="test")
SPEC = QueueSpec("test.q", ("case.routed",), (100,), defer_ms=(400, 800))


def handle(headers):
    timeline, seen = [], []
    worker = EventWorker(None, [Route(SPEC, seen.append)], FakePublisher(timeline), 3, prefetch=1)
    worker.handle(worker.routes[0], FakeMessage(json.dumps(EVENT).encode(), headers, timeline))
    return timeline, seen


def test_a_first_delivery_waits_in_a_random_bucket_and_is_acked_unhandled():
    buckets = set()
    for _ in range(40):
        (send, ack), seen = handle(None)
        _, exchange, queue, headers, body, _ = send
        assert exchange == RETRY.name and ack == ("ack",) and seen == [] and body == json.dumps(EVENT).encode()
        assert queue == f"test.q.defer.{headers['x-netra-deferred']}"
        buckets.add(headers["x-netra-deferred"])
    assert buckets == {400, 800}


def test_a_message_back_from_its_bucket_is_handled():
    timeline, seen = handle({"x-netra-deferred": 400})
    assert timeline == [("ack",)] and seen == [EVENT]


def test_each_bucket_is_a_delay_queue_that_returns_to_the_main_queue():
    [early, late] = SPEC.deferrals()
    assert early.name == "test.q.defer.400" and early.queue_arguments == {
        "x-message-ttl": 400, "x-dead-letter-exchange": "", "x-dead-letter-routing-key": "test.q"}
    assert late.queue_arguments["x-message-ttl"] == 800


def test_the_delay_setting_makes_the_buckets_and_zero_turns_them_off():
    assert unit_mail_delays(5000) == (1000, 2000, 3000, 4000, 5000)
    assert unit_mail_delays(0) == ()
    by_name = {spec.name: spec for spec in queues(NotifySettings(unit_mail_delay_max_ms=0))}
    assert by_name[UNIT_MAIL].defer_ms == ()
    by_name = {spec.name: spec for spec in queues(NotifySettings())}
    assert by_name[UNIT_MAIL].defer_ms == (1000, 2000, 3000, 4000, 5000)
    assert all(not spec.defer_ms for spec in by_name.values() if spec.name != UNIT_MAIL)
