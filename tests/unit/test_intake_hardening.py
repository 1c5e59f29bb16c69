"""The hardened HTTP edge: malformed bodies get 400/422 problem+json, never 500; headers; cross-site posts."""
import io
import json
import re

import pytest

from services.intake.app import create_app
from services.intake.settings import IntakeSettings
from tests.support.complaints import complaint, png_bytes
from tests.support.intake_fakes import FakeRepository, FakeStore

PROBLEM = "application/problem+json"
REPORTER_WORDS = ("siti.pelapor", "Rahmawati", "7777")


@pytest.fixture
def repository():
    return FakeRepository()


@pytest.fixture
def client(repository):
    settings = IntakeSettings(database_url="sqlite://", rate_limits_enabled=False, log_format="json",
                              public_url="https://lapor.netra.example")
    return create_app(settings, repository=repository, store=FakeStore()).test_client()


def post_json(client, raw: str, headers=None):
    return client.post("/api/v1/complaints", data=raw.encode("utf-8", "surrogatepass"),
                       content_type="application/json", headers=headers or {})


def assert_refused(answer, status):
    assert answer.status_code == status, (answer.status_code, answer.get_data(as_text=True)[:300])
    assert answer.mimetype == PROBLEM and answer.json["status"] == status


def test_violation_as_a_list_is_422(client, repository):
    document = complaint()
    document["violation"] = [document["violation"]]
    answer = client.post("/api/v1/complaints", json=document)
    assert_refused(answer, 422)
    assert "violation._schema" in answer.json["errors"] and repository.accepted == {}


@pytest.mark.parametrize("opening,closing", [("[", "]"), ('{"a":', "}")], ids=["array", "object"])
def test_json_nested_50000_deep_is_400(client, opening, closing):
    assert_refused(post_json(client, opening * 50_000 + "1" + closing * 50_000), 400)
    multipart = client.post("/api/v1/complaints", data={"complaint": opening * 50_000 + "1" + closing * 50_000},
                            content_type="multipart/form-data")
    assert_refused(multipart, 400)


@pytest.mark.parametrize("headers", [{}, {"Idempotency-Key": "surrogate-1"}], ids=["plain", "idempotency-key"])
def test_a_lone_surrogate_is_422_and_the_log_holds_no_reporter_data(client, repository, headers, capsys):
    raw = json.dumps(complaint(description="Uraian yang berakhir dengan \ud83d"))  # ensure_ascii keeps "\\ud83d"
    answer = post_json(client, raw, headers)
    assert_refused(answer, 422)
    assert "violation.description" in answer.json["errors"] and repository.accepted == {}
    logged = capsys.readouterr().err
    assert not [word for word in REPORTER_WORDS if word in logged]


@pytest.mark.parametrize("raw,status", [
    ("", 400), ("not json", 400), ("[1, 2, 3]", 422), ('"text"', 422), ("null", 422), ("1" * 5000, 400),
    ('{"subject": {"name": NaN}}', 422), ('{"declaration": true, "declaration": false}', 422),
    ('{"\\ud800": 1}', 422), ("\xff\xfe", 400),
])
def test_other_malformed_bodies_are_problems_not_500(client, raw, status):
    assert_refused(post_json(client, raw), status)


def test_malformed_multipart_and_form_bodies_are_problems(client):
    assert_refused(client.post("/api/v1/complaints", data=b"--x\r\ngarbage", content_type="multipart/form-data; "
                               "boundary=x"), 422)
    assert_refused(client.post("/api/v1/complaints", data="complaint=%7B", content_type=
                               "application/x-www-form-urlencoded"), 400)
    evidence_only = client.post("/api/v1/complaints", data={"complaint": (io.BytesIO(b'{"a": 1}'), "c.json")},
                                content_type="multipart/form-data")
    assert_refused(evidence_only, 422)


def test_a_bad_idempotency_key_is_400(client):
    for key in ("x" * 201, "dengan spasi"):
        assert_refused(client.post("/api/v1/complaints", json=complaint(), headers={"Idempotency-Key": key}), 400)


def test_control_and_bidi_override_characters_are_refused_with_a_clear_message(client):
    document = complaint(location="Bengkalis\u202e")
    document["subject"]["name"] = "Budi\x07"
    answer = client.post("/api/v1/complaints", json=document)
    assert_refused(answer, 422)
    assert {"violation.location", "subject.name"} <= set(answer.json["errors"])
    assert "bidirectional-override" in answer.json["errors"]["violation.location"][0]


def test_urls_over_the_cap_are_414(client):
    assert_refused(client.get("/api/v1/reference/regions?parent=" + "1" * 3000), 414)
    assert_refused(client.get("/api/v1/complaints/" + "N" * 3000), 414)


def test_every_answer_carries_the_security_headers(client):
    answers = [client.get("/"), client.get("/api/v1/reference/categories"), client.get("/nowhere"),
               client.post("/api/v1/complaints", json={}), client.get("/static/form.js"),
               client.get("/api/v1/openapi.json")]
    for answer in answers:
        csp = answer.headers["Content-Security-Policy"]
        assert "frame-ancestors 'none'" in csp and "script-src 'self'" in csp and "unsafe-inline" not in csp
        assert answer.headers["X-Content-Type-Options"] == "nosniff"
        assert answer.headers["Referrer-Policy"] == "no-referrer"


def test_answers_that_may_carry_a_receipt_are_not_stored(client):
    accepted = client.post("/api/v1/complaints", json=complaint())
    status = client.get(f"/api/v1/complaints/{accepted.json['tracking_code']}",
                        headers={"X-Receipt": accepted.json["receipt"]})
    for answer in (accepted, status, client.get("/")):
        assert answer.headers["Cache-Control"] == "no-store"


def test_the_form_has_no_inline_script_or_style(client):
    page = client.get("/").get_data(as_text=True)
    assert re.findall(r"<script(?![^>]*\bsrc=)[^>]*>", page) == []
    assert "<style" not in page and " style=" not in page and " on" + "submit=" not in page
    assert client.get("/static/form.js").status_code == 200


@pytest.mark.parametrize("headers", [{"Origin": "https://evil.example"}, {"Sec-Fetch-Site": "cross-site"},
                                     {"Origin": "null"}])
def test_cross_site_posts_are_refused(client, repository, headers):
    answer = client.post("/api/v1/complaints", data={"complaint": json.dumps(complaint())}, headers=headers,
                         content_type="application/x-www-form-urlencoded")
    assert_refused(answer, 403)
    assert repository.accepted == {}


@pytest.mark.parametrize("headers", [{"Origin": "https://lapor.netra.example"}, {"Sec-Fetch-Site": "same-origin"},
                                     {}])
def test_same_site_and_non_browser_posts_are_accepted(client, headers):
    answer = client.post("/api/v1/complaints", json=complaint(), headers=headers)
    assert answer.status_code == 202


def test_an_unexpected_failure_logs_the_type_and_a_code_never_the_text(repository, capsys):
    class Exploding(FakeRepository):
        def transaction(self):
            raise RuntimeError("could not save siti.pelapor@example.org, Siti Rahmawati, +62 812 7777 0001")
    settings = IntakeSettings(database_url="sqlite://", rate_limits_enabled=False, log_format="json")
    client = create_app(settings, repository=Exploding(), store=FakeStore()).test_client()
    answer = client.post("/api/v1/complaints", data={"complaint": json.dumps(complaint()),
                                                     "evidence": [(io.BytesIO(png_bytes(1)), "a.png")]})
    assert_refused(answer, 500)
    logged = capsys.readouterr().err
    code = re.search(r"\(([0-9a-f]{8})\)", answer.json["detail"]).group(1)
    assert "RuntimeError" in logged and code in logged
    assert not [word for word in REPORTER_WORDS if word in logged]
