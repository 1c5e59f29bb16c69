"""intake against real PostgreSQL, MinIO and RabbitMQ: what a 202 leaves behind, and what a 4xx does not."""
import hashlib
import json
import os
import uuid

import pytest
from kombu import Queue
from sqlalchemy import func, select

from services.common.naming import EVENTS
from services.common.publishers import BatchPublisher, connect
from services.intake.settings import IntakeSettings
from services.common.storage import EVIDENCE_BUCKET, create_bucket_once
from services.intake.app import create_app
from services.common.outbox import relay_once
from services.common.sealing import Opener
from services.common.settings import DEV_IDENTITY_PRIVATE_KEY
from services.intake.tables import complaints, idempotency_answers, outbox, sealed_identities
from tests.support.complaints import complaint, files, png_bytes
from tests.support.migrated import migrated_database


database_url = migrated_database("intake")  # services never create their tables


@pytest.fixture
def app(database_url, s3):
    """intake signed in as its own object-store user, as deployed: it may only put under complaints/."""
    create_bucket_once(s3, EVIDENCE_BUCKET, object_lock=True)  # the evidence service makes it at its start
    settings = IntakeSettings(database_url=database_url, max_body_bytes=2 * 1024 * 1024,
                              s3_access_key=os.environ.get("NETRA_S3_INTAKE_ACCESS_KEY", "netra-intake"),
                              s3_secret_key=os.environ.get("NETRA_S3_INTAKE_SECRET_KEY", "netra-intake-secret"))
    return create_app(settings)


@pytest.fixture
def intake(app):
    return app.extensions["netra.intake"]


def engine_of(intake):
    return intake.repository.engine


def count(intake, table):
    with engine_of(intake).connect() as conn:
        return conn.execute(select(func.count()).select_from(table)).scalar()


def post(app, document, evidence=(), headers=None):
    data = {"complaint": json.dumps(document)}
    if evidence:
        data["evidence"] = [(stream, name) for _, (name, stream, _type) in evidence]
    return app.test_client().post("/api/v1/complaints", data=data, headers=headers or {},
                                  content_type="multipart/form-data")


def stored_keys(s3, complaint_id):
    return [o.object_name for o in s3.list_objects(EVIDENCE_BUCKET, prefix=f"complaints/{complaint_id}/",
                                                   recursive=True)]


def complaint_folders(s3) -> set[str]:
    return {o.object_name for o in s3.list_objects(EVIDENCE_BUCKET, prefix="complaints/")}


def test_accepted_complaint_is_stored_with_its_original_locked_and_queued_without_reporter_data(app, intake, s3,
                                                                                               vhost_url):
    shot = png_bytes(7)
    answer = post(app, complaint(), files(shot))
    assert answer.status_code == 202, answer.json
    assert answer.json["status"] == "received" and answer.json["tracking_code"].startswith("NTR-")
    with engine_of(intake).connect() as conn:
        row = conn.execute(select(complaints)).one()
        identity = conn.execute(select(sealed_identities.c.token)).scalar()
        body = conn.execute(select(outbox.c.body)).scalar()
    assert answer.json["receipt"] not in json.dumps(row._asdict(), default=str)
    assert "siti.pelapor" not in identity
    assert Opener.from_texts([DEV_IDENTITY_PRIVATE_KEY]).open(identity)["email"] == "siti.pelapor@example.org"
    sha256 = hashlib.sha256(shot).hexdigest()
    key = f"complaints/{row.complaint_id}/{sha256}.png"
    assert stored_keys(s3, row.complaint_id) == [key]
    assert s3.get_object(EVIDENCE_BUCKET, key).read() == shot
    retention = s3.get_object_retention(EVIDENCE_BUCKET, key)
    assert retention.mode == "COMPLIANCE" and retention.retain_until_date.year >= row.submitted_at.year + 4
    for secret in ("Siti", "siti.pelapor", "7777"):
        assert secret not in body

    with connect(vhost_url) as conn:
        queue = Queue("probe", exchange=EVENTS, routing_key="complaint.submitted", channel=conn.channel())
        queue.declare()
        assert relay_once(engine_of(intake), outbox, BatchPublisher(vhost_url).publish) == 1
        message = queue.get(no_ack=True)
    event = json.loads(message.body)
    assert event["event_type"] == "complaint.submitted" and event["correlation_id"] == row.complaint_id
    assert event["payload"]["evidence"] == [{"index": 0, "key": key, "sha256": sha256, "size": len(shot)}]
    assert relay_once(engine_of(intake), outbox, BatchPublisher(vhost_url).publish) == 0


def test_status_needs_the_receipt(app):
    answer = post(app, complaint()).json
    client = app.test_client()
    ok = client.get(f"/api/v1/complaints/{answer['tracking_code']}", headers={"X-Receipt": answer["receipt"]})
    assert ok.status_code == 200 and [e["status"] for e in ok.json["timeline"]] == ["received"]
    wrong = client.get(f"/api/v1/complaints/{answer['tracking_code']}", headers={"X-Receipt": "nope"})
    unknown = client.get("/api/v1/complaints/NTR-0000-0000", headers={"X-Receipt": answer["receipt"]})
    odd = client.get("/api/v1/complaints/NTR-%00%ff-\u202e", headers={"X-Receipt": answer["receipt"]})
    assert wrong.status_code == unknown.status_code == odd.status_code == 404
    assert wrong.json["detail"] == unknown.json["detail"] == odd.json["detail"]


def test_idempotency_key_returns_the_first_answer(app, intake):
    first = post(app, complaint(), files(png_bytes(1)), {"Idempotency-Key": "k-1"})
    again = post(app, complaint(), files(png_bytes(1)), {"Idempotency-Key": "k-1"})
    assert first.status_code == again.status_code == 202
    assert first.json == again.json
    assert count(intake, complaints) == 1 and count(intake, outbox) == 1
    other = post(app, complaint(location="Duri"), files(png_bytes(1)), {"Idempotency-Key": "k-1"})
    assert other.status_code == 422 and "Idempotency-Key" in other.json["errors"]
    with engine_of(intake).connect() as conn:
        (stored,) = conn.execute(select(idempotency_answers)).all()
    assert "k-1" not in repr(stored) and first.json["receipt"].encode() not in stored.answer


BAD = {
    "missing fields": (lambda d: d["subject"].pop("name") and d["violation"].pop("category"), (),
                       422, ["subject.name", "violation.category"]),
    "short nip": (lambda d: d["subject"].update(nip="1987031220100110"), (), 422, ["subject.nip"]),
    "unknown region": (lambda d: d["subject"].update(region_code="99.99"), (), 422, ["subject.region_code"]),
    "future date": (lambda d: d["violation"].update(occurred_on="2999-01-01"), (), 422, ["violation.occurred_on"]),
    "no evidence, no url": (lambda d: d["violation"].update(post_urls=[]), (), 422, ["evidence"]),
    "text named png": (lambda d: None, files(b"just some text, not an image"), 415, ["evidence.0"]),
}


@pytest.mark.parametrize("case", BAD, ids=list(BAD))
def test_bad_input_names_the_field_and_leaves_nothing(case, app, intake, s3):
    change, evidence, status, fields = BAD[case]
    document = complaint()
    change(document)
    before = complaint_folders(s3)
    answer = post(app, document, evidence)
    assert answer.status_code == status and answer.mimetype == "application/problem+json"
    assert set(fields) <= set(answer.json["errors"])
    assert count(intake, complaints) == count(intake, outbox) == count(intake, sealed_identities) == 0
    assert complaint_folders(s3) - before == set()


def test_body_over_the_limit_is_413(app, intake):
    answer = post(app, complaint(), files(png_bytes(0) + b"\0" * (3 * 1024 * 1024)))
    assert answer.status_code == 413 and answer.mimetype == "application/problem+json"
    assert count(intake, complaints) == 0


def test_the_same_idempotency_key_sent_twice_at_once_makes_one_complaint(app, intake):
    from concurrent.futures import ThreadPoolExecutor
    with ThreadPoolExecutor(4) as pool:
        answers = list(pool.map(lambda _: post(app, complaint(), files(png_bytes(9)), {"Idempotency-Key": "race-1"}),
                                range(4)))
    assert {a.status_code for a in answers} == {202}
    assert len({a.json["receipt"] for a in answers}) == 1
    assert count(intake, complaints) == count(intake, outbox) == 1


def test_a_repeated_event_adds_one_timeline_entry_and_a_new_one_moves_the_status(app, intake):
    from services.intake.tracking.status import record_timeline
    from tests.support.contracts import example
    answer = post(app, complaint()).json
    with engine_of(intake).connect() as conn:
        complaint_id = conn.execute(select(complaints.c.complaint_id)
                                    .where(complaints.c.tracking_code == answer["tracking_code"])).scalar_one()
    archived, routed = example("evidence.archived"), example("case.routed")
    for event in (archived, routed):
        event["payload"]["complaint_id"] = complaint_id
    for event in (archived, archived, routed, archived):  # a redelivery, then one arriving after a later event
        record_timeline(event, intake.repository)
    status = app.test_client().get(f"/api/v1/complaints/{answer['tracking_code']}",
                                   headers={"X-Receipt": answer["receipt"]}).json
    # (the examples' events carry their own, earlier, times: the timeline is ordered by them)
    assert sorted(e["status"] for e in status["timeline"]) == ["evidence_archived", "received", "routed"]
    assert status["status"] == "routed"


def test_the_daily_evidence_quota_is_reserved_up_to_its_limit_and_no_further(intake):
    from datetime import date, timedelta
    repository, day = intake.repository, date(2031, 1, 1) + timedelta(days=uuid.uuid4().int % 3000)
    assert repository.reserve_quota(day, 600, 1000) and repository.reserve_quota(day, 400, 1000)
    assert not repository.reserve_quota(day, 1, 1000)  # the day is full
    assert repository.reserve_quota(day + timedelta(days=1), 1000, 1000)  # the next day has its own
    repository.release_quota(day, 400)
    assert repository.reserve_quota(day, 400, 1000) and not repository.reserve_quota(day, 1, 1000)


def test_the_daily_evidence_quota_holds_when_requests_reserve_at_once(intake):
    """Each reservation is one statement in its own transaction: 160 of 10 bytes racing on 8 threads against
    a 1000-byte day get exactly 100 yeses, and the day holds exactly 1000."""
    from concurrent.futures import ThreadPoolExecutor
    from datetime import date, timedelta
    repository, day = intake.repository, date(2041, 1, 1) + timedelta(days=uuid.uuid4().int % 3000)
    with ThreadPoolExecutor(8) as pool:
        answers = list(pool.map(lambda _: repository.reserve_quota(day, 10, 1000), range(160)))
    assert answers.count(True) == 100
    assert not repository.reserve_quota(day, 1, 1000)
    repository.release_quota(day, 10)
    assert repository.reserve_quota(day, 10, 1000) and not repository.reserve_quota(day, 1, 1000)
