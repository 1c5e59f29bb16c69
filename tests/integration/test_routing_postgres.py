"""Routing against the real PostgreSQL and RabbitMQ: the worker as main() wires it, in a thread."""

import pytest
from kombu import Queue
from sqlalchemy import select

from services.common.envelope import derived_event_id, new_event
from services.common.naming import EVENTS, QueueSpec
from services.common.publishers import connect, Publisher
from services.routing.queues import ROUTE, TRANSFERS
from services.routing.repository import case_status_history, cases
from tests.support.migrated import migrated_database

COMPLAINT = "7c9e6679-7425-40de-944b-e07fc1f90ae7"
ROUTED = Queue("test.case_routed", exchange=EVENTS, routing_key="case.routed", durable=False)
PARKED = QueueSpec(ROUTE, ("evidence.archived",), ()).parking()
PARKED_TRANSFERS = QueueSpec(TRANSFERS, (), ()).parking()
TRANSFER = "a1b2c3d4-e5f6-4a7b-8c9d-0e1f2a3b4c5d"


database_url = migrated_database("routing")  # services never create their tables


@pytest.fixture
def bus(vhost_url):
    """A publisher for the test and queues that catch what routing publishes and parks."""
    connection = connect(vhost_url)
    channel = connection.channel()
    ROUTED.bind(channel).declare()
    publisher = Publisher(connect(vhost_url))
    yield publisher, connection
    publisher.close()
    connection.release()





def next_message(connection, queue: Queue, timeout=20):
    with connection.SimpleQueue(queue, no_ack=True) as queue:
        message = queue.get(block=True, timeout=timeout)
        return message.payload, message.headers


def evidence_archived(region="14.03"):
    payload = {
        "complaint_id": COMPLAINT, "tracking_code": "NTR-AB12-CD34",
        "subject": {"name": "Siti", "nip": None, "position": "Staf", "agency": "BPKAD",
                    "employer_level": "kabupaten_kota", "region_code": region},
        "violation": {"category": "tanggapi_unggahan", "platform": "instagram", "post_urls": [],
                      "occurred_on": "2026-11-03", "location": None, "description": "Menyukai unggahan paslon"},
        "files": [{"index": 0, "key": f"complaints/{COMPLAINT}/cd.jpg", "sha256": "cd", "size": 99,
                   "media_type": "image/jpeg"}],
        "manifest_key": f"complaints/{COMPLAINT}/manifest.json", "rejected": [],
    }
    return new_event("evidence.archived", payload, correlation_id=COMPLAINT, producer="evidence",
                     event_id=derived_event_id("evidence.archived", COMPLAINT))


def all_cases(engine):
    with engine.connect() as conn:
        return conn.execute(select(cases)).all()


def test_one_archived_complaint_makes_one_case_even_when_delivered_twice(routing_worker, bus, engine):
    publisher, connection = bus
    event = evidence_archived()
    publisher.publish(event)
    first, _ = next_message(connection, ROUTED)
    [case] = all_cases(engine)
    assert first["event_id"] == derived_event_id("case.routed", COMPLAINT)
    assert first["payload"]["case_id"] == case.case_id
    assert first["payload"]["units"]["primary"]["name"] == "Kantor Regional XII BKN Pekanbaru"
    assert first["payload"]["contexts"] == ["di_luar_pemilihan"] and first["payload"]["deadlines"] == []
    assert case.primary_unit_id == "bkn-kanreg-12" and first["payload"]["matched_rule"] == "kabupaten_kota-bkn"

    publisher.publish(event)
    second, _ = next_message(connection, ROUTED)
    assert second == first
    assert [c.case_id for c in all_cases(engine)] == [case.case_id]


def statuses(engine):
    with engine.connect() as conn:
        return [r.status for r in conn.execute(select(case_status_history).order_by(case_status_history.c.id))]


def test_an_approved_transfer_reroutes_the_case_once(routing_worker, bus, engine):
    publisher, connection = bus
    publisher.publish(evidence_archived())
    routed, _ = next_message(connection, ROUTED)
    approved = new_event("case.transfer_approved", {
        "transfer_id": TRANSFER, "case_id": routed["payload"]["case_id"], "complaint_id": COMPLAINT,
        "tracking_code": "NTR-AB12-CD34", "from_unit_id": "bkn-kanreg-12", "to_unit_id": "bkd-14",
        "reason": "Guru SMA negeri: pegawai provinsi.", "approved_at": "2026-11-10T04:00:00+00:00"},
        correlation_id=COMPLAINT, producer="desk")
    publisher.publish(approved)
    first, _ = next_message(connection, ROUTED)
    publisher.publish(approved)
    second, _ = next_message(connection, ROUTED)
    assert first == second and first["event_id"] == derived_event_id("case.routed", TRANSFER)
    assert first["payload"]["units"]["primary"]["unit_id"] == "bkd-14"
    assert first["payload"]["transfer"] == {"transfer_id": TRANSFER, "from_unit_id": "bkn-kanreg-12"}
    [case] = all_cases(engine)
    assert case.primary_unit_id == "bkd-14" and statuses(engine) == ["routed", "transferred"]


def test_a_transfer_from_a_unit_that_does_not_hold_the_case_is_parked(routing_worker, bus, engine):
    publisher, connection = bus
    publisher.publish(evidence_archived())
    routed, _ = next_message(connection, ROUTED)
    publisher.publish(new_event("case.transfer_approved", {
        "transfer_id": TRANSFER, "case_id": routed["payload"]["case_id"], "complaint_id": COMPLAINT,
        "from_unit_id": "bawaslu-14.03", "to_unit_id": "bkd-14"}, correlation_id=COMPLAINT, producer="desk"))
    _, headers = next_message(connection, PARKED_TRANSFERS)
    assert "case is with bkn-kanreg-12" in headers["x-netra-reason"]
    assert all_cases(engine)[0].primary_unit_id == "bkn-kanreg-12"


def test_an_unknown_region_is_parked_without_a_case(routing_worker, bus, engine):
    publisher, connection = bus
    publisher.publish(evidence_archived(region="99.99"))
    parked, headers = next_message(connection, PARKED)
    assert parked["payload"]["complaint_id"] == COMPLAINT
    assert "unknown region code" in headers["x-netra-reason"]
    assert all_cases(engine) == []
