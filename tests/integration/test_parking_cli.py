"""netra-parking against the real RabbitMQ: messages parked as the worker parks them, in a fresh vhost."""
import io
import json
import subprocess
import sys

import pika
import pytest

from services.common.envelope import new_event
from services.common.naming import PARKING, QueueSpec
from services.common.publishers import connect, Publisher
from services.parking.cli import main
from services.common.settings import CommonSettings
from services.topology import all_queues, declare_topology
from tests.support.waiting import wait_until

SPEC = QueueSpec("test.consumer", ("test.happened",), (100,))
PARKED = SPEC.name + ".parking"
SECRET_TOKEN = "gAAAAAB-sealed-contact-token"


def event(n: int) -> dict:
    return new_event("test.happened", {"n": n, "reporter_contact": SECRET_TOKEN},
                     correlation_id=f"complaint-{n}", producer="test")


def park(publisher: Publisher, body: bytes, reason: str, message_id: str | None, queue: str = SPEC.name):
    """What EventWorker._park sends."""
    headers = {"x-netra-attempt": 3, "x-netra-reason": reason, "x-netra-queue": queue}
    publisher.send(body, PARKING, queue, headers, message_id)


@pytest.fixture
def broker(vhost_url, monkeypatch):
    monkeypatch.setenv("NETRA_AMQP_URL", vhost_url)
    with connect(vhost_url) as connection:
        SPEC.declare(connection.channel())
    connection = pika.BlockingConnection(pika.URLParameters(vhost_url))
    yield connection
    connection.close()


@pytest.fixture
def parked(vhost_url, broker):
    """Three parked messages: two events (transient, permanent) and one unreadable body."""
    events = [event(1), event(2)]
    publisher = Publisher(connect(vhost_url))
    park(publisher, json.dumps(events[0]).encode(), "failed 3 times, last: TimeoutError('db')",
         events[0]["event_id"])
    park(publisher, json.dumps(events[1]).encode(), "unit unknown: 99.99", events[1]["event_id"])
    park(publisher, b"\xff\x00not json", "unreadable message: invalid start byte", None)
    publisher.close()
    return events


def cli(capsys, *argv) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def drain(connection, queue: str) -> list[tuple[pika.BasicProperties, bytes]]:
    channel = connection.channel()
    taken = []
    while (got := channel.basic_get(queue, auto_ack=True))[0] is not None:
        taken.append(got[1:])
    channel.close()
    return taken


def waiting(connection, queue: str) -> int:
    channel = connection.channel()
    count = channel.queue_declare(queue, passive=True).method.message_count
    channel.close()
    return count



def test_list_shows_every_parked_message_with_its_reason(parked, capsys):
    code, out, _ = cli(capsys, "list", SPEC.name)

    lines = out.splitlines()
    assert code == 0
    assert lines[0] == f"{PARKED}: 3 parked"
    assert f"id={parked[0]['event_id']}" in lines[1] and "type=test.happened" in lines[1]
    assert "complaint=complaint-1" in lines[1] and "attempts=3" in lines[1]
    assert "reason=failed 3 times, last: TimeoutError('db')" in lines[1]
    assert lines[2].split()[0] == "2" and "reason=unit unknown: 99.99" in lines[2]
    assert lines[3].split()[0] == "3" and "reason=unreadable message" in lines[3]


def test_browsing_loses_nothing_and_keeps_the_order(parked, broker, capsys):
    first = cli(capsys, "list", PARKED)[1]
    second = cli(capsys, "list", PARKED)[1]

    assert first == second
    assert waiting(broker, PARKED) == 3


def test_list_without_queue_covers_every_consumer_queue(vhost_url, capsys, monkeypatch):
    monkeypatch.setenv("NETRA_AMQP_URL", vhost_url)
    settings = CommonSettings(amqp_url=vhost_url)
    names = declare_topology(settings)
    publisher = Publisher(connect(vhost_url))
    park(publisher, json.dumps(event(7)).encode(), "case already closed", None, queue=names[0])
    publisher.close()

    code, out, _ = cli(capsys, "list")

    assert code == 0
    assert f"{names[0]}.parking: 1 parked" in out and "reason=case already closed" in out
    assert all(f"{spec.name}.parking:" in out for spec in all_queues(settings))
    assert sum(": 0 parked" in line for line in out.splitlines()) == len(names) - 1


def test_list_reports_a_crash_loop_the_broker_dead_lettered(broker, capsys):
    channel = broker.channel()
    channel.basic_publish("", SPEC.name, json.dumps(event(5)).encode(), pika.BasicProperties(delivery_mode=2))

    def fail_one_delivery():  # as a worker killed on every delivery does; requeues land a moment later
        method = channel.basic_get(SPEC.name, auto_ack=False)[0]
        if method is not None:
            channel.basic_nack(method.delivery_tag, requeue=True)
        return waiting(broker, PARKED) == 1

    wait_until(fail_one_delivery)

    code, out, _ = cli(capsys, "list", SPEC.name)

    assert code == 0
    assert f"{PARKED}: 1 parked" in out
    assert "reason=delivery_limit (dead-lettered by test.consumer)" in out and "parked=-" not in out


def test_show_prints_headers_and_body_with_the_contact_sealed(parked, capsys):
    code, out, _ = cli(capsys, "show", SPEC.name, parked[1]["event_id"])

    assert code == 0
    assert 'x-netra-reason: "unit unknown: 99.99"' in out and "x-netra-attempt: 3" in out
    body = json.loads(out.split("body:\n", 1)[1])
    assert body["payload"] == {"n": 2, "reporter_contact": "[sealed]"}
    assert SECRET_TOKEN not in out


def test_show_gives_an_escaped_preview_of_an_unreadable_body(parked, capsys):
    code, out, _ = cli(capsys, "show", PARKED, "3")

    assert code == 0
    assert "not JSON, 10 bytes" in out and r"b'\xff\x00not json'" in out


def test_unknown_message_or_queue_is_not_found_and_bad_usage_is_2(parked, capsys):
    assert cli(capsys, "show", SPEC.name, "no-such-id")[0] == 1
    assert cli(capsys, "replay", SPEC.name, "no-such-id")[0] == 1
    assert cli(capsys, "list", "no.such.queue")[0] == 1
    assert cli(capsys, "purge", "no.such.queue", "--yes")[0] == 1
    assert cli(capsys, "replay", SPEC.name)[0] == 2
    assert cli(capsys, "frobnicate")[0] == 2


def test_replay_one_moves_exactly_that_one_with_fresh_attempts(parked, broker, capsys):
    code, out, _ = cli(capsys, "replay", SPEC.name, parked[0]["event_id"])

    assert code == 0 and "1 replayed, 2 still parked" in out
    [(properties, body)] = drain(broker, SPEC.name)
    assert json.loads(body) == parked[0]
    assert properties.message_id == parked[0]["event_id"] and properties.delivery_mode == 2
    assert not {"x-netra-attempt", "x-netra-reason", "x-death"} & set(properties.headers or {})
    remaining = drain(broker, PARKED)
    assert [p.headers["x-netra-reason"] for p, _ in remaining] == [
        "unit unknown: 99.99", "unreadable message: invalid start byte"]


def test_replay_all_moves_every_message_in_order(parked, broker, capsys):
    code, out, _ = cli(capsys, "replay", PARKED, "--all")

    assert code == 0 and "3 replayed, 0 still parked" in out
    bodies = [body for _, body in drain(broker, SPEC.name)]
    assert bodies == [json.dumps(parked[0]).encode(), json.dumps(parked[1]).encode(), b"\xff\x00not json"]
    assert waiting(broker, PARKED) == 0


def test_replay_into_a_missing_queue_keeps_the_parked_copy(parked, broker, capsys):
    broker.channel().queue_delete(SPEC.name)

    code, _, err = cli(capsys, "replay", SPEC.name, "--all")

    assert code == 1 and "did not take" in err
    assert waiting(broker, PARKED) == 3


def test_purge_asks_first_and_reports_the_count(parked, broker, capsys, monkeypatch):
    monkeypatch.setattr(sys, "stdin", io.StringIO("n\n"))
    assert cli(capsys, "purge", SPEC.name)[0] == 1
    assert waiting(broker, PARKED) == 3

    monkeypatch.setattr(sys, "stdin", io.StringIO("y\n"))
    code, out, _ = cli(capsys, "purge", SPEC.name)

    assert code == 0 and f"removed 3 message(s) from {PARKED}" in out
    assert waiting(broker, PARKED) == 0


def test_purge_yes_needs_no_answer_and_the_console_script_runs(parked, broker, vhost_url):
    env = {"NETRA_AMQP_URL": vhost_url, "PATH": "/usr/bin:/bin"}
    script = [sys.executable, "-m", "services.parking.cli"]

    listed = subprocess.run([*script, "list", SPEC.name], env=env, capture_output=True, text=True, timeout=60)
    purged = subprocess.run([*script, "purge", SPEC.name, "--yes"], env=env, stdin=subprocess.DEVNULL,
                            capture_output=True, text=True, timeout=60)

    assert listed.returncode == 0 and f"{PARKED}: 3 parked" in listed.stdout
    assert purged.returncode == 0 and "removed 3 message(s)" in purged.stdout
    assert waiting(broker, PARKED) == 0
