"""A case's chain of steps on the real PostgreSQL and RabbitMQ: the worker as main() wires it, in a thread.
The desk's case.step_completed moves the case to the next step's unit once, announced by case.step_opened."""
from kombu import Queue
from sqlalchemy import select

from services.common.envelope import derived_event_id, new_event
from services.common.naming import EVENTS, QueueSpec
from services.routing.queues import STEPS

import pytest

from services.common.publishers import Publisher, connect
from services.routing.repository import case_status_history, cases
from tests.support.migrated import migrated_database

COMPLAINT = "7c9e6679-7425-40de-944b-e07fc1f90ae7"
ROUTED = Queue("test.case_routed", exchange=EVENTS, routing_key="case.routed", durable=False)
OPENED = Queue("test.step_opened", exchange=EVENTS, routing_key="case.step_opened", durable=False)
PARKED_STEPS = QueueSpec(STEPS, (), ()).parking()

database_url = migrated_database("routing")


@pytest.fixture
def bus(vhost_url):
    connection = connect(vhost_url)
    ROUTED.bind(connection.channel()).declare()
    OPENED.bind(connection.channel()).declare()
    publisher = Publisher(connect(vhost_url))
    yield publisher, connection
    publisher.close()
    connection.release()




def evidence_archived():
    payload = {
        "complaint_id": COMPLAINT, "tracking_code": "NTR-AB12-CD34",
        "subject": {"name": "Siti", "nip": None, "position": "Staf", "agency": "BPKAD",
                    "employer_level": "kabupaten_kota", "region_code": "14.03"},
        "violation": {"category": "tanggapi_unggahan", "platform": "instagram", "post_urls": [],
                      "occurred_on": "2026-11-03", "location": None, "description": "Menyukai unggahan paslon"},
        "files": [], "manifest_key": f"complaints/{COMPLAINT}/manifest.json", "rejected": [],
    }
    return new_event("evidence.archived", payload, correlation_id=COMPLAINT, producer="evidence",
                     event_id=derived_event_id("evidence.archived", COMPLAINT))


def next_message(connection, queue: Queue, timeout=20):
    with connection.SimpleQueue(queue, no_ack=True) as queue:
        message = queue.get(block=True, timeout=timeout)
        return message.payload, message.headers


def all_cases(engine):
    with engine.connect() as conn:
        return conn.execute(select(cases)).all()


def statuses(engine):
    with engine.connect() as conn:
        return [r.status for r in conn.execute(select(case_status_history).order_by(case_status_history.c.id))]


def step_completed(case_id, step, unit_id, outcome):
    return new_event("case.step_completed", {
        "case_id": case_id, "complaint_id": COMPLAINT, "tracking_code": "NTR-AB12-CD34", "step": step,
        "unit_id": unit_id, "outcome": outcome}, correlation_id=COMPLAINT, producer="desk")


def test_the_kanreg_hands_on_to_the_ppk_and_the_ppk_back_to_the_kanreg(routing_worker, bus, engine):
    publisher, connection = bus
    publisher.publish(evidence_archived())
    routed, _ = next_message(connection, ROUTED)
    case_id = routed["payload"]["case_id"]
    assert [s["unit_id"] for s in routed["payload"]["chain"]["steps"]] == ["bkn-kanreg-12", "bkpsdm-14.03",
                                                                           "bkn-kanreg-12"]
    recommended = step_completed(case_id, 1, "bkn-kanreg-12", {"kind": "rekomendasi", "summary": "Disiplin sedang."})
    publisher.publish(recommended)
    first, _ = next_message(connection, OPENED)
    publisher.publish(recommended)  # redelivered: the same announcement, no second hand-off
    again, _ = next_message(connection, OPENED)
    assert first == again and first["event_id"] == derived_event_id("case.step_opened", f"step:{case_id}:2")
    assert first["payload"]["step"]["unit_id"] == "bkpsdm-14.03" and first["payload"]["step"]["deadline"]["days"] == 10
    assert all_cases(engine)[0].primary_unit_id == "bkpsdm-14.03"

    publisher.publish(step_completed(case_id, 2, "bkpsdm-14.03", {"kind": "keputusan", "decree_number": "800/1"}))
    back, _ = next_message(connection, OPENED)
    assert back["payload"]["step"]["number"] == 3 and back["payload"]["step"]["unit_id"] == "bkn-kanreg-12"
    assert back["payload"]["previous"]["outcome"]["decree_number"] == "800/1"
    assert statuses(engine) == ["routed", "step_opened", "step_opened"]


def test_a_hand_off_by_a_unit_that_does_not_own_the_step_is_parked(routing_worker, bus, engine):
    publisher, connection = bus
    publisher.publish(evidence_archived())
    routed, _ = next_message(connection, ROUTED)
    publisher.publish(step_completed(routed["payload"]["case_id"], 1, "bkpsdm-14.03", {"kind": "keputusan"}))
    _, headers = next_message(connection, PARKED_STEPS)
    assert "is not with bkpsdm-14.03" in headers["x-netra-reason"]
    assert all_cases(engine)[0].primary_unit_id == "bkn-kanreg-12"
