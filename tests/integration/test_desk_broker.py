"""The desk's worker on the real RabbitMQ and PostgreSQL: case.routed in, reporter.answered in, and the
outbox relay publishing case.status_changed and reporter.question_asked."""
import copy
import json
import os
import subprocess
import sys
import time

import pytest
from kombu import Connection, Queue, binding

from services.common.db import make_engine
from services.common.naming import EVENTS
from services.common.publishers import Publisher, connect
from services.desk.cases import casework
from services.desk.cases.access import Staff
from services.desk.cases.changes import Refused
from services.desk.cases.lifecycle import Move
from services.desk.cases.repository import CaseRepository
from tests.support.contracts import assert_matches_example, example
from tests.support.migrated import migrated_database
from tests.support.system import ROOT, free_port

OFFICER = Staff(1, "budi", "bkpsdm-14.03", "petugas")


database_url = migrated_database("desk")  # services never create their tables


@pytest.fixture
def worker(vhost_url, database_url, tmp_path):
    env = {**os.environ, "NETRA_AMQP_URL": vhost_url, "NETRA_DATABASE_URL": database_url,
           "NETRA_HEALTH_BIND": f"127.0.0.1:{free_port()}", "NETRA_RETRY_DELAYS_MS": "200,500"}
    subprocess.run([sys.executable, "-m", "services.topology"], env=env, cwd=ROOT, check=True, capture_output=True)
    log = open(tmp_path / "desk-worker.log", "wb")
    process = subprocess.Popen([sys.executable, "-m", "services.desk.worker"], env=env, cwd=ROOT, stdout=log,
                               stderr=subprocess.STDOUT)
    engine = make_engine(database_url)
    yield CaseRepository(engine)
    process.terminate()
    process.wait(30)
    engine.dispose()


def wait_for(check, timeout=30):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if (found := check()):
            return found
        time.sleep(0.1)
    raise AssertionError("not within the timeout")


def listen(vhost_url, *event_types):
    connection = Connection(vhost_url)
    queue = Queue("test.desk-events", bindings=[binding(EVENTS, routing_key=t) for t in event_types],
                  durable=False, auto_delete=False)
    queue(connection.channel()).declare()
    return connection.SimpleQueue(queue)


def test_a_routed_case_arrives_and_a_move_reaches_the_broker(worker, vhost_url):
    published = listen(vhost_url, "case.status_changed", "reporter.question_asked")
    publisher = Publisher(connect(vhost_url))
    routed = example("case.routed")
    publisher.publish(routed)
    publisher.publish(routed)  # a redelivery
    case_id = routed["payload"]["case_id"]
    case = wait_for(lambda: worker.get(case_id))
    assert case["status"] == "diterima" and case["files"][0]["key"].endswith(
        routed["payload"]["files"][0]["sanitised"]["key"].rsplit("/", 1)[1])
    casework.move_case(worker, case_id, OFFICER, Move("diverifikasi", "budi", "petugas", "internal", "Diverifikasi."))
    asked = casework.ask_reporter(worker, case_id, OFFICER, "Kapan unggahan itu dibuat?")
    events = [json.loads(published.get(timeout=30).body) for _ in range(2)]
    by_type = {e["event_type"]: e for e in events}
    assert_matches_example(by_type["case.status_changed"], "case.status_changed")
    assert_matches_example(by_type["reporter.question_asked"], "reporter.question_asked")
    assert by_type["case.status_changed"]["payload"]["public_note"] == "Diverifikasi."
    answer = copy.deepcopy(example("reporter.answered"))
    answer["payload"]["question_id"] = asked["question_id"]
    publisher.publish(answer)
    answered = wait_for(lambda: worker.questions(case_id)[0]["answers"])
    assert answered[0]["answer"] == answer["payload"]["answer"]
    history = worker.history(case_id)  # arrival once, despite the redelivery; the move; the reporter's answer
    assert len(history) == 3 and [h["status"] for h in history].count("diterima") == 1
    publisher.close()
    published.close()


def test_an_approved_transfer_goes_out_and_the_rerouted_case_comes_back_for_the_new_unit(worker, vhost_url):
    published = listen(vhost_url, "case.transfer_approved")
    publisher = Publisher(connect(vhost_url))
    routed = copy.deepcopy(example("case.routed"))
    publisher.publish(routed)
    case_id = routed["payload"]["case_id"]
    wait_for(lambda: worker.get(case_id))
    head = Staff(2, "ani", "bkpsdm-14.03", "kepala")
    casework.request_transfer(worker, {"bkd-14": "BKD Provinsi Riau"}, case_id, OFFICER, "bkd-14",
                              "Terlapor pegawai provinsi.")
    transfer = casework.approve_transfer(worker, case_id, head)
    approved = json.loads(published.get(timeout=30).body)
    assert_matches_example(approved, "case.transfer_approved")
    assert approved["payload"]["transfer_id"] == transfer["transfer_id"]
    rerouted = copy.deepcopy(example("case.routed.transfer"))
    rerouted["payload"]["transfer"]["transfer_id"] = transfer["transfer_id"]
    publisher.publish(rerouted)
    moved = wait_for(lambda: (case := worker.get(case_id)) and case["unit_id"] == "bkd-14" and case)
    assert moved["status"] == "diterima"
    assert worker.accesses(case_id)["bkpsdm-14.03"] == "former"
    assert [t["state"] for t in worker.transfers(case_id)] == ["selesai"]
    with pytest.raises(Refused, match="hanya dapat membaca"):
        casework.move_case(worker, case_id, OFFICER, Move("diverifikasi", "budi", "petugas", "x"))
    publisher.close()
    published.close()
