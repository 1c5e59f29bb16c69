"""Bad complaints get a clear 4xx naming the field, and leave no row, no message and no object."""
import json
import time

import pytest
import requests
from kombu import Queue
from sqlalchemy import create_engine, text

from services.common.naming import EVENTS
from services.common.publishers import connect
from services.common.storage import EVIDENCE_BUCKET
from tests.support.complaints import complaint, png_bytes


def without(path):
    def change(document):
        group, field = path.split(".")
        document[group].pop(field)
    return change


def setting(path, value):
    def change(document):
        group, field = path.split(".")
        document[group][field] = value
    return change


BAD = {
    "missing fields": (without("subject.name"), [png_bytes()], 422, "subject.name"),
    "nip not 18 digits": (setting("subject.nip", "19870312201001100"), [png_bytes()], 422, "subject.nip"),
    "unknown region": (setting("subject.region_code", "14.99"), [png_bytes()], 422, "subject.region_code"),
    "future date": (setting("violation.occurred_on", "2999-12-31"), [png_bytes()], 422, "violation.occurred_on"),
    "no evidence and no url": (setting("violation.post_urls", []), [], 422, "evidence"),
    "text file named png": (lambda d: None, [b"Ini hanya teks biasa, bukan gambar."], 415, "evidence.0"),
    "body over the limit": (lambda d: None, [png_bytes() + b"\0" * (3 * 1024 * 1024)], 413, None),
}


@pytest.fixture
def watch(system, s3):
    """Counts what a request leaves behind: complaint rows, outbox rows, complaint folders in the evidence
    bucket (one per complaint that stored an original), published events."""
    engine = create_engine(system.database_urls["intake"])
    with connect(system.amqp_url) as conn:
        probe = Queue("e2e.probe.submitted", exchange=EVENTS, routing_key="complaint.submitted",
                      channel=conn.channel(), auto_delete=False)
        probe.declare()
        probe.purge()

        def snapshot():
            with engine.connect() as db:
                rows = db.execute(text("SELECT (SELECT count(*) FROM complaints), (SELECT count(*) FROM outbox)")).one()
            return tuple(rows), {o.object_name for o in s3.list_objects(EVIDENCE_BUCKET, prefix="complaints/")}
        yield snapshot, probe
        probe.delete()
    engine.dispose()


@pytest.mark.parametrize("case", BAD, ids=list(BAD))
def test_bad_input_answers_4xx_and_leaves_nothing(case, system, watch):
    snapshot, probe = watch
    change, blobs, status, field = BAD[case]
    document = complaint()
    change(document)
    before = snapshot()
    files = [("evidence", ("bukti.png", blob, "image/png")) for blob in blobs]
    answer = requests.post(f"{system.api}/complaints", data={"complaint": json.dumps(document)},
                           files=files or None, timeout=30)
    assert answer.status_code == status, answer.text
    assert answer.headers["Content-Type"].startswith("application/problem+json")
    problem = answer.json()
    assert problem["status"] == status and problem["title"] and problem["detail"]
    if field:
        assert field in problem["errors"], problem
    rows, stored = snapshot()  # the answer comes after any commit: nothing to wait for
    assert rows == before[0], "no complaint row, no outbox row"
    assert stored - before[1] == set(), "no original stored"
    sentinel = sentinel_complaint(system)
    assert first_published_after(system, probe) == sentinel, "no message for the bad request"


def sentinel_complaint(system) -> str:
    """A good complaint sent after the bad one: the relay publishes in order, so its event comes first
    unless the bad request published something."""
    answer = requests.post(f"{system.api}/complaints", json=complaint(), timeout=30)
    assert answer.status_code == 202, answer.text
    return answer.json()["tracking_code"]


def first_published_after(system, probe, timeout: float = 30) -> str | None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        message = probe.get(no_ack=True)
        if message is not None:
            return json.loads(message.body)["payload"]["tracking_code"]
        time.sleep(0.05)
    return None
