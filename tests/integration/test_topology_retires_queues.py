"""The topology step on a broker an older release declared: a queue no service reads any more is deleted
with its delay queues, so it does not fill up with events nobody takes."""
from amqp.exceptions import NotFound

from services.common.naming import QueueSpec, retry_name
from services.common.publishers import connect
from services.common.settings import CommonSettings
from services.topology import RETIRED_QUEUES, declare_topology



def exists(connection, name: str) -> bool:
    channel = connection.channel()
    try:
        channel.queue_declare(name, passive=True)
        return True
    except NotFound:
        return False
    finally:
        if channel.is_open:
            channel.close()


def test_a_retired_queue_and_its_delay_queues_are_deleted(vhost_url):
    settings = CommonSettings(amqp_url=vhost_url)
    retired = QueueSpec("routing.deliveries", ("notification.sent", "notification.failed"), settings.retry_delays_ms)
    names = [retired.name, *(retry_name(retired.name, n) for n in range(len(settings.retry_delays_ms)))]
    with connect(vhost_url) as connection:
        retired.declare(connection.channel())
        assert all(exists(connection, name) for name in names)
        declared = declare_topology(settings)
        declare_topology(settings)  # again, as every deployment does: deleting what is gone is no error
        assert "routing.deliveries" in RETIRED_QUEUES and "routing.deliveries" not in declared
        assert [name for name in names if exists(connection, name)] == []
        assert exists(connection, "routing.route")
