"""The broker SIGKILLed while complaints wait in each kind of queue, with the delivery settings that ship.

Each scenario holds the stream's unit mails in one kind of queue (a consumer's main queue, its retry
queues, its parking lot), checks that the broker holds them there, kills the broker's VM with SIGKILL,
starts it again and lets the pipeline finish: every 202 still ends as exactly one unit mail. The last one
also drops the machine's page cache before the restart, so the queues are read back from disk.
"""
import os
import subprocess
import time

import pytest

from services.common.settings import CommonSettings
from services.notify.queues import UNIT_MAIL
from services.routing.queues import ROUTE
from services.topology import all_queues
from tests.support import servers
from tests.support.system import ROOT, VENV_BIN

pytestmark = pytest.mark.timeout(900)

SPEC = next(spec for spec in all_queues(CommonSettings()) if spec.name == UNIT_MAIL)
RETRIES = [queue.name for queue in SPEC.retries()]
PARKING = SPEC.parking().name
DEAD_LETTER_RESEND_S = 180  # RabbitMQ's dead_letter_worker_publisher_confirm_timeout, as the broker ships it


def until(predicate, timeout=120):
    deadline = time.monotonic() + timeout
    while not predicate() and time.monotonic() < deadline:
        time.sleep(0.2)
    return predicate()


def waiting(pipeline, queues) -> int:
    return sum(pipeline.checker.depths(queues).values())


def crash_broker(cold: bool = False) -> float:
    servers.kill_rabbitmq()
    if cold:
        drop_page_cache()
    servers.start_rabbitmq()
    return time.monotonic()


def drop_page_cache() -> None:
    """What the node finds after a machine restart: nothing of its queue files in memory."""
    os.sync()
    with open("/proc/sys/vm/drop_caches", "w") as caches:
        caches.write("3\n")


def stream_all(pipeline) -> int:
    pipeline.stream(per_second=10)
    pipeline.wait_streams()
    return len(pipeline.checker.accepted)


def test_broker_killed_while_unit_mails_wait_in_the_main_queue(pipeline_factory):
    pipeline = pipeline_factory()
    assert pipeline.system.stop("notify") == 0
    accepted = stream_all(pipeline)
    assert until(lambda: waiting(pipeline, [UNIT_MAIL]) >= accepted), pipeline.checker.depths([UNIT_MAIL])
    held = waiting(pipeline, [UNIT_MAIL])
    restored = crash_broker()
    assert until(lambda: waiting(pipeline, [UNIT_MAIL]) == held, 30), "the main queue came back whole"
    pipeline.system.restart("notify")
    pipeline.settle_and_check("broker SIGKILL, unit mails waiting in the main queue", restored, held=held)


def test_broker_killed_while_unit_mails_wait_in_the_retry_queues(pipeline_factory):
    pipeline = pipeline_factory()
    pipeline.smtp.down()  # every unit mail fails and waits for its next attempt
    accepted = stream_all(pipeline)
    assert until(lambda: waiting(pipeline, RETRIES) >= accepted // 2), pipeline.checker.depths(RETRIES)
    # notify stops, so that no mail is in its hands while the broker's count is read: each is in the main
    # queue or waiting in a retry queue (one whose wait ran out goes back to the main queue: the sum holds).
    assert pipeline.system.stop("notify") == 0
    everywhere = [UNIT_MAIL, *RETRIES, PARKING]
    assert until(lambda: waiting(pipeline, everywhere) == accepted), pipeline.checker.depths(everywhere)
    held = pipeline.checker.depths(RETRIES)
    restored = crash_broker()
    # A mail whose wait ran out while the broker restarted sits in its retry queue's dead-letter store, counted in
    # no queue, until the broker forwards it to the main queue; a forward the recovering main queue did not
    # confirm is sent again after the broker's dead_letter_worker_publisher_confirm_timeout (180 s, its default).
    assert until(lambda: waiting(pipeline, everywhere) == accepted, DEAD_LETTER_RESEND_S + 30), \
        "every unit mail came back"
    pipeline.smtp.up()
    pipeline.system.restart("notify")
    pipeline.settle_and_check("broker SIGKILL, unit mails waiting in the retry queues", restored,
                              held={name.rsplit(".", 1)[1]: n for name, n in held.items() if n})


def test_broker_killed_while_unit_mails_wait_in_the_parking_lot_then_replayed(pipeline_factory):
    pipeline = pipeline_factory()
    pipeline.smtp.answer("permfail")  # the relay refuses every recipient: each unit mail is parked at once
    accepted = stream_all(pipeline)
    assert until(lambda: waiting(pipeline, [PARKING]) >= accepted), pipeline.checker.depths([PARKING])
    held = waiting(pipeline, [PARKING])
    restored = crash_broker()
    assert until(lambda: waiting(pipeline, [PARKING]) == held, 30), "the parking lot came back whole"
    pipeline.smtp.answer("accept")
    assert pipeline.system.env["NETRA_AMQP_URL"] == pipeline.checker.amqp_url
    replay = subprocess.run([str(VENV_BIN / "python"), "-m", "services.parking.cli", "replay", UNIT_MAIL, "--all"],
                            cwd=ROOT, env=pipeline.system.env, capture_output=True, text=True, timeout=120)
    assert replay.returncode == 0, replay.stderr
    outcome = pipeline.settle_and_check("broker SIGKILL, unit mails parked, then replayed", restored, held=held)
    assert outcome.parked == 0 and outcome.mailed == outcome.accepted


def test_broker_restarted_with_a_cold_cache_recovers_every_queue_from_disk(pipeline_factory):
    pipeline = pipeline_factory()
    for worker in ("routing", "notify"):
        assert pipeline.system.stop(worker) == 0
    accepted = stream_all(pipeline)
    assert until(lambda: waiting(pipeline, [ROUTE]) >= accepted)
    held = waiting(pipeline, [ROUTE])
    restored = crash_broker(cold=True)
    assert until(lambda: waiting(pipeline, [ROUTE]) == held, 30), "read back from disk"
    for worker in ("routing", "notify"):
        pipeline.system.restart(worker)
    pipeline.settle_and_check("broker SIGKILL and a cold page cache, backlog in routing", restored, held=held)
