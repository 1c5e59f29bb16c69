"""Abuse control that identifies no one: rate limits per client and overall, and a daily evidence quota."""
import io
import json
from datetime import date

from services.intake.app import create_app
from services.common.client_limits import DailyKey
from services.intake.settings import IntakeSettings
from tests.support.complaints import complaint, png_bytes
from tests.support.intake_fakes import FakeRepository, FakeStore


SECRET = "a-secret-every-intake-process-shares-0123456789"


def make_client(repository=None, store=None, **overrides):
    settings = IntakeSettings(database_url="sqlite://", log_format="json", **overrides)
    return create_app(settings, repository=repository or FakeRepository(), store=store or FakeStore()).test_client()


def submit(client, address="198.51.100.1", evidence=()):
    data = {"complaint": json.dumps(complaint())}
    if evidence:
        data["evidence"] = [(io.BytesIO(blob), "bukti.png") for blob in evidence]
    return client.post("/api/v1/complaints", data=data, content_type="multipart/form-data",
                       environ_base={"REMOTE_ADDR": address})


def assert_too_many(answer):
    assert answer.status_code == 429 and answer.mimetype == "application/problem+json"
    assert int(answer.headers["Retry-After"]) > 0
    assert "Silakan coba lagi" in answer.json["detail"]


def test_one_client_is_limited_while_another_still_gets_through():
    client = make_client(rate_limit_per_client="3/minute", rate_limit_global="100/minute")
    assert [submit(client).status_code for _ in range(3)] == [202] * 3
    assert_too_many(submit(client))
    assert submit(client, address="198.51.100.2").status_code == 202


def test_all_clients_together_are_limited():
    client = make_client(rate_limit_per_client="100/minute", rate_limit_global="4/minute")
    assert [submit(client, address=f"198.51.100.{n}").status_code for n in range(4)] == [202] * 4
    assert_too_many(submit(client, address="198.51.100.99"))


def test_reading_is_not_counted_against_submitting():
    client = make_client(rate_limit_per_client="2/minute", rate_limit_default="100/minute")
    for _ in range(5):
        assert client.get("/api/v1/reference/categories").status_code == 200
    assert submit(client).status_code == 202


def test_the_limiter_key_is_a_daily_keyed_hash_never_the_address():
    today = [date(2026, 11, 21)]
    key = DailyKey(SECRET, today=lambda: today[0])
    first = key.of("203.0.113.9")
    assert "203.0.113.9" not in first and first == key.of("203.0.113.9") and first != key.of("203.0.113.8")
    today[0] = date(2026, 11, 22)
    assert key.of("203.0.113.9") != first
    assert not [name for name in vars(key) if "addr" in name or "ip" in name.lower()]


def test_every_process_names_a_client_alike_so_their_counters_meet():
    """The day's key comes from the shared secret, not from each process's chance: two workers agree."""
    day = date(2026, 11, 21)
    worker, other_worker = DailyKey(SECRET, today=lambda: day), DailyKey(SECRET, today=lambda: day)
    assert worker.of("203.0.113.9") == other_worker.of("203.0.113.9")
    assert DailyKey("another-secret-" + SECRET, today=lambda: day).of("203.0.113.9") != worker.of("203.0.113.9")


def test_the_daily_quota_is_checked_before_anything_is_stored():
    repository, store = FakeRepository(), FakeStore()
    shot = png_bytes(5)
    client = make_client(repository, store, rate_limits_enabled=False, daily_evidence_quota_bytes=2 * len(shot))
    assert submit(client, evidence=[shot]).status_code == 202
    assert submit(client, evidence=[png_bytes(6)]).status_code == 202
    stored_before = dict(store.objects)
    refused = submit(client, evidence=[png_bytes(7)])
    assert_too_many(refused)
    assert "penyimpanan" in refused.json["detail"] and store.objects == stored_before
    assert submit(client).status_code == 202  # a complaint with post URLs only needs no storage


def test_a_complaint_that_is_not_accepted_gives_its_quota_back():
    repository, store = FakeRepository(), FakeStore()
    shot = png_bytes(5)
    client = make_client(repository, store, rate_limits_enabled=False, daily_evidence_quota_bytes=len(shot))
    store.down = True
    assert submit(client, evidence=[shot]).status_code == 503
    store.down = False
    assert submit(client, evidence=[shot]).status_code == 202
