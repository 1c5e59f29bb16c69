"""/lacak on intake's HTTP edge with in-memory parts: who gets in, equal answers, the form token, answers."""
import re
import time

import pytest

from services.intake.app import create_app
from services.intake.tracking.questions import record_question
from services.intake.settings import IntakeSettings
from tests.support.contracts import assert_matches_example, example
from tests.support.intake_fakes import FakeRepository, FakeStore
from tests.support.tracking_fakes import FakeTracking

CODE, RECEIPT, COMPLAINT = "NTR-7K4M-Q2XP", "rahasia-tanda-terima-yang-panjang", "7c9e6679-7425-40de-944b-e07fc1f90ae7"


@pytest.fixture
def tracking():
    fake = FakeTracking()
    fake.add_complaint(COMPLAINT, CODE, RECEIPT)
    return fake


@pytest.fixture
def client(tracking):
    app = create_app(IntakeSettings(database_url="sqlite://", rate_limits_enabled=False),
                     repository=FakeRepository(), store=FakeStore(), tracking=tracking)
    return app.test_client()


def token(client) -> str:
    page = client.get("/lacak")
    assert page.status_code == 200 and "Lacak pengaduan" in page.text
    return re.search(r'name="token" value="([^"]+)"', page.text).group(1)


def log_in(client, code=CODE, receipt=RECEIPT, **extra):
    return client.post("/lacak", data={"token": token(client), "kode": code, "tanda_terima": receipt, **extra})


def test_the_right_code_and_receipt_show_the_timeline_in_plain_words(client):
    page = log_in(client, code=" ntr-7k4m-q2xp ")
    assert page.status_code == 200
    assert "Pengaduan NTR-7K4M-Q2XP" in page.text and "Pengaduan diterima" in page.text
    assert page.headers["Cache-Control"] == "no-store"


@pytest.mark.parametrize("region, shown", [("14.03", "03/11/2026 09.15 WIB"),
                                           ("73.71", "03/11/2026 10.15 WITA"), ("91", "03/11/2026 11.15 WIT")])
def test_times_show_in_the_zone_of_the_complaints_region_named(client, tracking, region, shown):
    tracking.complaints[CODE]["region_code"] = region  # received at 02.15 UTC
    page = log_in(client)
    assert shown in page.text and "UTC" not in page.text


def test_a_wrong_receipt_gets_exactly_the_page_an_unknown_code_gets(client, tracking):
    wrong_receipt = log_in(client, receipt="salah")
    unknown_code = log_in(client, code="NTR-0000-0000")
    assert wrong_receipt.status_code == unknown_code.status_code == 404
    same_input = {"NTR-0000-0000": CODE}
    assert unknown_code.text.replace(*same_input.popitem()) == wrong_receipt.text
    assert "tidak cocok" in wrong_receipt.text


def test_both_failures_do_the_same_work_measured_not_asserted(client, tracking, capsys):
    def timed(code, receipt, rounds=200):
        started = time.perf_counter()
        for _ in range(rounds):
            log_in(client, code=code, receipt=receipt)
        return (time.perf_counter() - started) / rounds * 1000

    lookups = tracking.lookups
    wrong, unknown = timed(CODE, "salah"), timed("NTR-0000-0000", "salah")
    assert tracking.lookups - lookups == 400  # every attempt looks the code up and compares a hash
    with capsys.disabled():
        print(f"\n/lacak wrong receipt {wrong:.3f} ms, unknown code {unknown:.3f} ms per attempt (200 each)")


def test_the_receipt_never_appears_in_an_address(client):
    assert client.get("/lacak", query_string={"kode": CODE, "tanda_terima": RECEIPT}).text.count(CODE) == 0
    page = log_in(client)
    assert not re.search(r'(href|action)="[^"]*' + RECEIPT, page.text)


def test_a_post_without_the_form_token_is_refused_and_shows_nothing(client):
    client.get("/lacak")
    page = client.post("/lacak", data={"token": "x" * 43, "kode": CODE, "tanda_terima": RECEIPT})
    assert page.status_code == 400 and "kedaluwarsa" in page.text and "Pengaduan diterima" not in page.text


def test_a_question_from_the_desk_shows_and_its_answer_becomes_the_documented_event(client, tracking):
    record_question(example("reporter.question_asked"), tracking)
    asked = example("reporter.question_asked")["payload"]
    assert asked["question"] in log_in(client).text
    page = client.post("/lacak/jawab", data={"token": token(client), "kode": CODE, "tanda_terima": RECEIPT,
                                             "question_id": asked["question_id"], "jawaban": "Tautannya ada."})
    assert "Jawaban Anda terkirim" in page.text and "Tautannya ada." in page.text
    (event,) = tracking.events
    assert_matches_example(event, "reporter.answered")
    assert event["payload"]["answer"] == "Tautannya ada."


def test_a_question_is_answered_once_even_if_the_form_is_sent_again(client, tracking):
    record_question(example("reporter.question_asked"), tracking)
    form = {"kode": CODE, "tanda_terima": RECEIPT, "jawaban": "Ya.",
            "question_id": example("reporter.question_asked")["payload"]["question_id"]}
    client.post("/lacak/jawab", data={**form, "token": token(client)})
    again = client.post("/lacak/jawab", data={**form, "token": token(client)})
    assert "sudah dijawab" in again.text and len(tracking.events) == 1


def test_an_empty_answer_is_explained_next_to_the_field(client, tracking):
    record_question(example("reporter.question_asked"), tracking)
    page = client.post("/lacak/jawab", data={"token": token(client), "kode": CODE, "tanda_terima": RECEIPT,
                                             "question_id": example("reporter.question_asked")["payload"]["question_id"],
                                             "jawaban": "  "})
    assert page.status_code == 422 and 'aria-invalid="true"' in page.text and not tracking.events


def test_an_answer_with_a_wrong_receipt_is_not_taken(client, tracking):
    record_question(example("reporter.question_asked"), tracking)
    page = client.post("/lacak/jawab", data={"token": token(client), "kode": CODE, "tanda_terima": "salah",
                                             "question_id": "x", "jawaban": "Ya."})
    assert page.status_code == 404 and not tracking.events


def test_a_repeated_question_event_is_kept_once(tracking):
    record_question(example("reporter.question_asked"), tracking)
    record_question(example("reporter.question_asked"), tracking)
    assert len(tracking.questions(COMPLAINT)) == 1


def test_tracking_attempts_are_rate_limited(tracking):
    app = create_app(IntakeSettings(database_url="sqlite://", rate_limit_tracking="3/minute"),
                     repository=FakeRepository(), store=FakeStore(), tracking=tracking)
    client = app.test_client()
    answers = [log_in(client, receipt="salah") for _ in range(4)]
    assert [answer.status_code for answer in answers] == [404, 404, 404, 429]
    assert "Terlalu banyak percobaan" in answers[-1].text and int(answers[-1].headers["Retry-After"]) > 0


@pytest.mark.parametrize("path, status, title", [("/tidak-ada", 404, "Halaman tidak ditemukan"),
                                                 ("/lacak/jawab", 405, "Halaman tidak dapat dibuka langsung")])
def test_a_browser_gets_a_page_not_json_for_an_unknown_path_or_a_form_target(client, path, status, title):
    page = client.get(path, headers={"Accept": "text/html,application/xhtml+xml,*/*;q=0.8"})
    assert page.status_code == status and page.mimetype == "text/html"
    assert title in page.text and 'href="/lacak"' in page.text
    api = client.get("/api/v1/tidak-ada", headers={"Accept": "text/html"})
    assert api.status_code == 404 and api.mimetype == "application/problem+json"
    assert client.get(path).mimetype == "application/problem+json"  # a client asking for no page gets JSON
