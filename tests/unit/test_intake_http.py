"""intake's HTTP edge with an in-memory repository and evidence store: what a client sees, without servers."""
import hashlib
import io
import json

import pytest

from services.common.sealing import Opener
from services.common.settings import DEV_CONTACT_PRIVATE_KEY, DEV_IDENTITY_PRIVATE_KEY
from services.intake.app import create_app
from services.intake.settings import IntakeSettings
from tests.support.complaints import complaint, png_bytes
from tests.support.contracts import assert_matches_example
from tests.support.intake_fakes import FakeRepository, FakeStore

PROBLEM = "application/problem+json"


@pytest.fixture
def repository():
    return FakeRepository()


@pytest.fixture
def store():
    return FakeStore()


def make_app(repository, store, **overrides):
    settings = IntakeSettings(database_url="sqlite://", rate_limits_enabled=False, log_format="json",
                              **overrides)
    return create_app(settings, repository=repository, store=store)


@pytest.fixture
def client(repository, store):
    return make_app(repository, store, max_body_bytes=64 * 1024).test_client()


def post(client, document, evidence=(), headers=None):
    data = {"complaint": json.dumps(document)}
    if evidence:
        data["evidence"] = [(io.BytesIO(blob), "bukti.png") for blob in evidence]
    return client.post("/api/v1/complaints", data=data, headers=headers or {}, content_type="multipart/form-data")


def test_accepted_complaint_answers_202_with_tracking_code_and_receipt(client, repository, store):
    answer = post(client, complaint(), [png_bytes(3)])
    assert answer.status_code == 202, answer.json
    assert answer.json["tracking_code"].startswith("NTR-") and len(answer.json["receipt"]) >= 32
    assert answer.headers["Cache-Control"] == "no-store"
    saved = repository.accepted[answer.json["tracking_code"]]
    sha256 = hashlib.sha256(png_bytes(3)).hexdigest()
    key = f"complaints/{saved.complaint_id}/{sha256}.png"
    assert store.objects == {key: png_bytes(3)} and store.writes == [key]  # once, under its content address
    assert saved.event["payload"]["evidence"] == [{"index": 0, "key": key, "sha256": sha256,
                                                   "size": len(png_bytes(3))}]
    assert answer.json["receipt"] not in repr(saved)
    assert_matches_example(saved.event, "complaint.submitted")


def test_identity_is_sealed_for_the_custodian_and_the_contact_for_notify_and_no_ip_is_kept(client, repository):
    answer = client.post("/api/v1/complaints", json=complaint(), environ_base={"REMOTE_ADDR": "203.0.113.77"})
    saved = repository.accepted[answer.json["tracking_code"]]
    assert "siti.pelapor" not in saved.identity_token and "203.0.113.77" not in repr(saved)
    assert Opener.from_texts([DEV_IDENTITY_PRIVATE_KEY]).open(saved.identity_token) == {
        "name": "Siti Rahmawati", "email": "siti.pelapor@example.org", "phone": "+62 812 7777 0001"}
    contact = saved.event["payload"]["reporter_contact"]
    assert Opener.from_texts([DEV_CONTACT_PRIVATE_KEY]).open(contact) == {"email": "siti.pelapor@example.org"}
    assert not [word for word in ("siti.pelapor", "Rahmawati", "7777") if word in json.dumps(saved.event)]


def test_the_reporter_s_address_is_sealed_with_the_identity_and_goes_nowhere_else(client, repository):
    document = complaint()
    document["reporter"]["address"] = "Jl. Sudirman No. 17, Pekanbaru"
    saved = repository.accepted[client.post("/api/v1/complaints", json=document).json["tracking_code"]]
    opened = Opener.from_texts([DEV_IDENTITY_PRIVATE_KEY]).open(saved.identity_token)
    assert opened["address"] == "Jl. Sudirman No. 17, Pekanbaru" and opened["name"] == "Siti Rahmawati"
    assert "Sudirman" not in json.dumps(saved.event) and "Sudirman" not in saved.identity_token


def test_an_address_longer_than_500_characters_is_a_field_error(client, repository):
    document = complaint()
    document["reporter"]["address"] = "x" * 501
    answer = client.post("/api/v1/complaints", json=document)
    assert answer.status_code == 422 and "reporter.address" in answer.json["errors"]
    assert not repository.accepted


def test_anonymous_reporter_leaves_no_identity_and_no_contact(client, repository):
    document = complaint()
    document["reporter"]["anonymous"] = True
    saved = repository.accepted[client.post("/api/v1/complaints", json=document).json["tracking_code"]]
    assert saved.identity_token is None and saved.event["payload"]["reporter_contact"] is None


def test_every_field_error_at_once_as_problem_json(client, repository):
    document = complaint()
    document["subject"]["nip"] = "123"
    document["violation"]["category"] = "memilih"
    document["declaration"] = False
    answer = client.post("/api/v1/complaints", json=document)
    assert answer.status_code == 422 and answer.mimetype == PROBLEM
    assert set(answer.json["errors"]) == {"subject.nip", "violation.category", "declaration"}
    assert repository.accepted == {}


def test_body_over_the_limit_is_413(client, repository, store):
    answer = post(client, complaint(), [png_bytes(0) + b"\0" * (128 * 1024)])
    assert answer.status_code == 413 and answer.mimetype == PROBLEM
    assert repository.accepted == {} and store.objects == {}


def test_unsupported_body_and_unsupported_evidence_are_415(client, store):
    plain = client.post("/api/v1/complaints", data="hello", content_type="text/plain")
    assert plain.status_code == 415 and plain.mimetype == PROBLEM
    text_file = post(client, complaint(), [b"just some text, not an image"])
    assert text_file.status_code == 415 and "evidence.0" in text_file.json["errors"]
    assert store.objects == {}


def test_same_idempotency_key_same_answer_and_a_different_body_is_422(client, repository):
    first = post(client, complaint(), [png_bytes(1)], {"Idempotency-Key": "k-1"})
    again = post(client, complaint(), [png_bytes(1)], {"Idempotency-Key": "k-1"})
    assert first.status_code == again.status_code == 202 and first.json == again.json
    assert len(repository.accepted) == 1
    other = post(client, complaint(location="Duri"), [png_bytes(1)], {"Idempotency-Key": "k-1"})
    assert other.status_code == 422 and "Idempotency-Key" in other.json["errors"]


def test_idempotency_record_holds_no_key_and_no_readable_receipt(client, repository):
    answer = post(client, complaint(), [png_bytes(1)], {"Idempotency-Key": "kunci-rahasia-42"})
    (digest, (fingerprint, locked)), = repository.answers.items()
    assert "kunci-rahasia-42" not in digest + fingerprint
    assert answer.json["receipt"].encode() not in locked and answer.json["tracking_code"].encode() not in locked


def test_store_outage_is_503_with_retry_after_and_nothing_saved(client, repository, store):
    store.down = True
    answer = post(client, complaint(), [png_bytes(2)])
    assert answer.status_code == 503 and answer.mimetype == PROBLEM and int(answer.headers["Retry-After"]) > 0
    assert repository.accepted == {} and sum(repository.quota.values()) == 0


def test_status_needs_the_receipt(client):
    answer = client.post("/api/v1/complaints", json=complaint()).json
    ok = client.get(f"/api/v1/complaints/{answer['tracking_code']}", headers={"X-Receipt": answer["receipt"]})
    assert ok.status_code == 200 and [e["status"] for e in ok.json["timeline"]] == ["received"]
    assert "receipt_hash" not in ok.json and ok.headers["Cache-Control"] == "no-store"
    wrong = client.get(f"/api/v1/complaints/{answer['tracking_code']}", headers={"X-Receipt": "nope"})
    unknown = client.get("/api/v1/complaints/NTR-0000-0000", headers={"X-Receipt": answer["receipt"]})
    assert wrong.status_code == unknown.status_code == 404 and wrong.json == unknown.json


def test_reference_lists_come_from_the_shared_vocabulary(client):
    categories = client.get("/api/v1/reference/categories").json
    assert len(categories) == 10 and all(c["label"] and c.get("example") for c in categories)
    levels = {e["code"] for e in client.get("/api/v1/reference/employer-levels").json}
    assert levels == {"pusat", "provinsi", "kabupaten_kota"}
    assert "luar_jaringan" in {p["code"] for p in client.get("/api/v1/reference/platforms").json}


def test_database_outage_is_503_with_retry_after_and_the_original_stays_where_it_was_written(store):
    """intake may not delete: the original stays locked under a complaint id that was never saved (the same
    file sent again gets a new complaint id), and its quota is given back."""
    from sqlalchemy.exc import OperationalError

    class DatabaseDown(FakeRepository):
        def transaction(self):
            raise OperationalError("INSERT", {}, ConnectionRefusedError("connection refused"))
    client = make_app(DatabaseDown(), store).test_client()
    answer = post(client, complaint(), [png_bytes(4)])
    assert answer.status_code == 503 and answer.mimetype == PROBLEM and int(answer.headers["Retry-After"]) > 0
    [key] = store.objects
    assert key.startswith("complaints/") and store.objects[key] == png_bytes(4)


def test_the_anonymity_notice_is_served_and_documented_on_the_reporter_field():
    client = create_app(IntakeSettings(database_url="sqlite://", rate_limits_enabled=False),
                        repository=FakeRepository(), store=FakeStore()).test_client()
    [notice] = client.get("/api/v1/reference/notices").json
    assert notice["code"] == "anonymous_bawaslu"
    assert "Bawaslu tidak dapat meregistrasi laporan Anda" in notice["label"] and "Pasal 454" in notice["label"]
    [english] = client.get("/api/v1/reference/notices?lang=en").json
    assert "Without a name and address Bawaslu cannot register your report" in english["label"]
    assert client.get("/api/v1/reference/notices?lang=fr").status_code == 422
    spec = client.get("/api/v1/openapi.json").json
    reporter = spec["components"]["schemas"]["Complaint"]["properties"]["reporter"]
    described = reporter.get("description") or " ".join(str(p.get("description", "")) for p in reporter.get("allOf", []))
    assert "Bawaslu cannot register your report" in described
    assert "/api/v1/reference/notices" in spec["paths"]
