"""A worker's publisher waits out a broker that cannot be reached for a while instead of failing at once."""
from kombu.exceptions import OperationalError

from services.common.naming import EVENTS
from services.common.publishers import Publisher


class Unreachable:
    """Refuses `failures` publishes the way kombu does when it cannot reopen the connection, then takes them."""

    def __init__(self, failures: int):
        self.failures, self.sent = failures, []

    def __call__(self, body, **properties):
        if self.failures:
            self.failures -= 1
            raise OperationalError("[Errno 111] Connection refused")
        self.sent.append(body)


def publisher_over(publish, patience: float) -> Publisher:
    publisher = Publisher.__new__(Publisher)
    publisher._publish, publisher._patience = publish, patience
    return publisher


def test_a_publish_is_retried_until_the_broker_answers_again():
    publish = Unreachable(failures=3)
    publisher_over(publish, patience=10).send(b"{}", EVENTS, "case.routed", {}, "id-1")
    assert publish.sent == [b"{}"]


def test_past_its_patience_the_publisher_gives_up_and_says_why():
    publish = Unreachable(failures=100)
    try:
        publisher_over(publish, patience=0.5).send(b"{}", EVENTS, "case.routed", {}, "id-1")
    except OperationalError as exc:
        assert "Connection refused" in str(exc)
    else:
        raise AssertionError("an unreachable broker must fail the publish in the end")
    assert publish.sent == []
