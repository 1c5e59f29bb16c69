"""NETRA_AMQP_URL: one broker, or the nodes of a cluster separated by commas; nonsense is refused."""
import pytest

from services.common.brokers import broker_urls
from services.common.publishers import connect
from services.common.settings import CommonSettings, SettingsError, load_settings

CLUSTER = "amqp://u:p@127.0.0.1:5681/netra, amqp://u:p@127.0.0.1:5682/netra,amqp://u:p@10.0.0.3/netra"


def test_one_url_is_a_list_of_one():
    assert broker_urls("amqp://guest:guest@127.0.0.1:5672/") == ["amqp://guest:guest@127.0.0.1:5672/"]


def test_a_cluster_is_split_on_commas_and_trimmed():
    assert broker_urls(CLUSTER) == ["amqp://u:p@127.0.0.1:5681/netra", "amqp://u:p@127.0.0.1:5682/netra",
                                    "amqp://u:p@10.0.0.3/netra"]


@pytest.mark.parametrize("value, words", [
    ("", "expected amqp://"),
    ("amqp://a:5672/,", "empty address"),
    ("amqp://a:5672/,,amqp://b:5672/", "empty address"),
    ("http://a:5672/", "expected amqp://"),
    ("amqp://a:5672/,rabbit-b:5672", "expected amqp://"),
    ("amqp://a:notaport/", "port is not a number"),
    ("amqp://a:5672/,amqp://a/", "appears twice"),
    ("amqp://a/netra,amqp://b/other", "same virtual host"),
])
def test_nonsense_is_refused_with_a_reason(value, words):
    with pytest.raises(ValueError, match=words):
        broker_urls(value)


def test_a_refused_url_does_not_repeat_its_password():
    with pytest.raises(ValueError) as error:
        broker_urls("amqp://netra:s3cret@a:x/")
    assert "s3cret" not in str(error.value)


def test_settings_accept_a_cluster_and_name_the_variable_when_wrong(monkeypatch):
    monkeypatch.setenv("NETRA_AMQP_URL", CLUSTER)
    assert CommonSettings().amqp_url == CLUSTER
    monkeypatch.setenv("NETRA_AMQP_URL", "amqp://a/,amqp://b/other")
    with pytest.raises(SettingsError) as error:
        load_settings(CommonSettings)
    assert any("NETRA_AMQP_URL" in problem and "virtual host" in problem for problem in error.value.problems)


def test_production_refuses_guest_on_any_node():
    settings = CommonSettings(amqp_url="amqp://netra:x@a/,amqp://guest:guest@b/")
    assert any("guest" in problem for problem in settings.production_problems())
    assert CommonSettings(amqp_url="amqp://netra:x@a/,amqp://netra:x@b/").production_problems() == []


def test_connections_fail_over_to_the_next_node_in_the_list():
    connection = connect(CLUSTER)
    assert connection.alt == broker_urls(CLUSTER)
    assert connection.as_uri().startswith("amqp://u:**@127.0.0.1:5681/")
    connection.maybe_switch_next()  # what kombu does when the connection is lost
    assert "127.0.0.1:5682" in connection.as_uri()



def test_every_queue_is_quorum_and_every_dead_lettering_queue_moves_messages_at_least_once():
    """As shipped, with no setting: a message is never held only by an at-most-once path."""
    from services.common.naming import QueueSpec
    spec = QueueSpec("test.q", ("x.y",), (500, 1000))
    queues = [spec.main(), spec.parking(), *spec.retries()]
    assert all(q.queue_arguments["x-queue-type"] == "quorum" for q in queues)
    for queue in (spec.main(), *spec.retries()):
        assert queue.queue_arguments["x-dead-letter-strategy"] == "at-least-once"
        assert queue.queue_arguments["x-overflow"] == "reject-publish"  # the broker's condition for at-least-once
    assert [q.queue_arguments["x-message-ttl"] for q in spec.retries()] == [500, 1000]
    assert {q.queue_arguments["x-dead-letter-routing-key"] for q in spec.retries()} == {"test.q"}
