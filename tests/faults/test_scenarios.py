"""Every 202 ends as exactly one unit email or a parked message, whatever fails on the way.

Each scenario streams complaints through the real services, breaks something mid-stream, restores it,
and lets the checker account for every tracking code. Results: var/log/faults-report.jsonl.
"""
import json
import os
import signal
import subprocess
import time
import uuid
from concurrent.futures import ThreadPoolExecutor

import pytest
import yaml
from kombu import Connection

from services.common.settings import CommonSettings
from services.reference.files import UNITS_FILE
from services.topology import all_queues
from tests.support.fault_pipeline import COMPLAINTS
from tests.support import servers
from tests.support.complaints import complaint

pytestmark = pytest.mark.timeout(600)


def unit_email(unit_id):
    units = yaml.safe_load(UNITS_FILE.read_text())["units"]
    return next(u["email"] for u in units if u["id"] == unit_id)


def until(predicate, timeout=60):
    deadline = time.monotonic() + timeout
    while not predicate() and time.monotonic() < deadline:
        time.sleep(0.2)
    return predicate()


def test_a_broker_killed_with_sigkill_mid_stream(pipeline_factory):
    pipeline = pipeline_factory()
    stream = pipeline.stream(per_second=5)
    until(lambda: len(pipeline.checker.accepted) >= COMPLAINTS // 3)
    servers.kill_rabbitmq()
    down_for = time.monotonic()
    time.sleep(5)
    servers.start_rabbitmq()
    restored = time.monotonic()
    stream.join()
    pipeline.settle_and_check("a broker SIGKILL", restored, broker_down_s=round(restored - down_for, 1),
                              services_died=pipeline.system.dead())
    assert pipeline.system.dead() == [], "workers reconnect by themselves"


def test_b_each_worker_killed_after_its_side_effect_before_its_ack(pipeline_factory):
    # One point per process: a restarted process runs without its fault.
    kills = "before_ack:evidence.archive:3,before_ack:routing.route:4,before_ack:notify.unit_mail:5," \
            "before_ack:intake.timeline:6"
    pipeline = pipeline_factory(NETRA_FAULT_KILL=kills)
    started = time.monotonic()
    pipeline.supervise()
    pipeline.stream(per_second=5)
    outcome = pipeline.settle_and_check("b SIGKILL before ack", started)
    assert pipeline.system.restarts == 4, "every worker was killed once and restarted"
    assert outcome.parked == 0


def test_c_minio_stopped_for_30_seconds_mid_stream(pipeline_factory):
    pipeline = pipeline_factory()
    minio = servers.MinioProcess()
    stream = pipeline.stream(per_second=2)
    until(lambda: len(pipeline.checker.accepted) >= COMPLAINTS // 3)
    minio.stop()
    try:
        time.sleep(30)
    finally:
        minio.start()
    restored = time.monotonic()
    stream.join()
    outcome = pipeline.settle_and_check("c MinIO down 30 s", restored)
    assert outcome.parked == 0
    assert pipeline.refused > 0, "intake refused uploads it could not store, instead of accepting them"


def test_d_smtp_down_then_temporary_then_permanent_failures(pipeline_factory):
    pipeline = pipeline_factory()
    pipeline.smtp.down()
    stream = pipeline.stream(count=COMPLAINTS, per_second=5)
    time.sleep(5)
    pipeline.smtp.answer("tempfail")
    time.sleep(5)
    pipeline.smtp.answer("accept")
    restored = time.monotonic()
    stream.join()
    recovered = pipeline.checker.settle(restored, 240)
    assert recovered.lost == [] and recovered.parked == 0, recovered.summary()
    delivered_before = set(pipeline.checker.accepted)

    pipeline.smtp.answer("permfail")
    for index in range(5):
        pipeline.submit_one(1000 + index)
    refused_codes = pipeline.checker.accepted - delivered_before
    pipeline.checker.settle(restored, 240)  # the five are parked
    pipeline.smtp.answer("accept")  # so that the sentinel can pass
    outcome = pipeline.settle_and_check("d SMTP down, 4xx, then 5xx", restored)
    assert outcome.parked == len(refused_codes) == 5


POISONED = ("complaint.submitted", "evidence.archived", "case.routed")


def test_e_poison_messages_and_an_always_failing_handler_are_parked_while_others_pass(pipeline_factory):
    pipeline = pipeline_factory()
    # Outside an election a named complaint about a Gunung Mas officer is worked by BKN's Kantor Regional VIII;
    # no other region the stream uses falls under it.
    failing_unit = unit_email("bkn-kanreg-8")
    pipeline.smtp.handler.always_tempfail.add(failing_unit)
    with Connection(pipeline.checker.amqp_url) as conn:
        producer = conn.Producer()
        for key in POISONED:
            producer.publish(b"\xff\xfe not json at all", exchange="netra.events", routing_key=key,
                             content_type="application/octet-stream", delivery_mode=2)
            producer.publish(json.dumps({"hello": "not an envelope"}), exchange="netra.events",
                             routing_key=key, content_type="application/json", delivery_mode=2)
    started = time.monotonic()
    pipeline.stream(per_second=5)
    outcome = pipeline.settle_and_check("e poison and always-failing", started)
    # Each bad message is parked by every queue that reads its event type (case.routed: notify, intake, desk).
    readers = sum(key in spec.event_types for spec in all_queues(CommonSettings()) for key in POISONED)
    seen = f"{outcome.summary()}, refused: {pipeline.refusals}"
    # The sentinel proves the mail path drained; the desk's and intake's queues are not on it, so their parking
    # is awaited (and a browse's returned messages may still be on their way back into a parking queue).
    deadline, poison = time.monotonic() + 60, outcome.poison_parked
    while poison < 2 * readers and time.monotonic() < deadline:
        time.sleep(0.5)
        poison = pipeline.checker.parked()[1]
    assert poison == 2 * readers, f"{poison} poison messages parked; {seen}; parking queues: " \
                                  f"{pipeline.checker.depths(pipeline.checker.parking_queues)}"
    gunung_mas = sum(region == "62.10" for region in pipeline.regions.values())
    assert (outcome.parked, outcome.mailed) == (gunung_mas, outcome.accepted - gunung_mas), seen


def test_f_relay_killed_between_commit_and_publish(pipeline_factory):
    pipeline = pipeline_factory(NETRA_FAULT_KILL="relay_after_publish:2")
    started = time.monotonic()
    pipeline.supervise()
    stream = pipeline.stream(per_second=5)
    until(lambda: pipeline.system.restarts >= 1, 30)  # killed after a confirmed publish, before marking
    until(lambda: len(pipeline.checker.accepted) >= COMPLAINTS // 2)
    pipeline.system.stop("intake-worker", sig=9)  # and once more while rows wait in the outbox
    time.sleep(3)
    pipeline.system.restart("intake-worker")
    stream.join()
    outcome = pipeline.settle_and_check("f relay killed", started)
    assert pipeline.system.restarts >= 1 and outcome.parked == 0


def test_g_client_retries_with_the_same_idempotency_key(pipeline_factory):
    pipeline = pipeline_factory()
    started = time.monotonic()
    answers = []
    with ThreadPoolExecutor(6) as pool:
        for index in range(COMPLAINTS // 2):
            document, key = complaint(), {"Idempotency-Key": str(uuid.uuid4())}
            tries = [pool.submit(pipeline.submit_one, index, key, document) for _ in range(3)]
            answers.append([t.result() for t in tries])
    for same in answers:
        assert None not in same and len({json.dumps(a, sort_keys=True) for a in same}) == 1
    outcome = pipeline.settle_and_check("g Idempotency-Key retries", started, requests=3 * len(answers))
    assert outcome.accepted == len(answers) + 1 == outcome.mailed  # and the sentinel


def test_h_cold_restart_of_everything_with_a_backlog(pipeline_factory):
    pipeline = pipeline_factory()
    system = pipeline.system
    for worker in ("evidence", "routing", "notify"):
        assert system.stop(worker) == 0, f"{worker} stops cleanly on SIGTERM"
    pipeline.stream(per_second=10)
    pipeline.wait_streams()
    time.sleep(2)  # the relay moves the outbox into the queues: the backlog
    for service in ("intake", "intake-worker"):
        assert system.stop(service) == 0
    servers.stop_rabbitmq()
    servers.start_rabbitmq()
    restarted = time.monotonic()
    for service in ("intake", "intake-worker", "evidence", "routing", "notify"):
        system.restart(service)
    system.wait_ready()
    outcome = pipeline.settle_and_check("h cold restart with backlog", restarted)
    assert outcome.parked == 0


def gunicorn_workers(master_pid: int) -> list[int]:
    children = subprocess.run(["pgrep", "-P", str(master_pid)], capture_output=True, text=True).stdout.split()
    return [int(pid) for pid in children]


def test_graceful_stops_and_killed_web_workers_lose_nothing(pipeline_factory):
    """SIGTERM finishes or returns in-flight work; a gunicorn worker killed mid-request loses nothing accepted."""
    pipeline = pipeline_factory()
    system = pipeline.system
    started = time.monotonic()
    stream = pipeline.stream(per_second=5)
    for worker in ("evidence", "routing", "notify", "intake-worker"):
        until(lambda: len(pipeline.checker.accepted) >= 3, 30)
        assert system.stop(worker) == 0, f"{worker} exits cleanly on SIGTERM"
        system.restart(worker)
    for pid in gunicorn_workers(system.processes["intake"].pid):
        os.kill(pid, signal.SIGKILL)  # the gunicorn master starts a new worker
        time.sleep(1)
    stream.join()
    outcome = pipeline.settle_and_check("SIGTERM rolling restart, gunicorn workers SIGKILL", started)
    assert outcome.parked == 0 and system.dead() == []
