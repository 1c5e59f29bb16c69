"""The desk for daily work in headless Chromium at 1280 px and 390 px, against the real PostgreSQL and
MinIO with 500 cases: the case link from a unit's mail leads through login to that case; the list is one
small page; search finds the case by its code among the 500; a reporter's long answer does not make the
case page scroll sideways; times are in the unit's zone, named. Screenshots: docs/screenshots/desk-*.png."""
import re
import threading
import uuid
from datetime import datetime, timezone

import pytest
from selenium.common.exceptions import StaleElementReferenceException
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as seen
from selenium.webdriver.support.ui import WebDriverWait
from werkzeug.serving import make_server

from services.common.storage import EVIDENCE_BUCKET, create_bucket_once
from services.desk.accounts import accounts as acc
from services.desk.cases import casework
from services.desk.cases.access import Staff
from services.desk.app import create_app
from services.desk.cases.arrivals import reporter_answered
from services.desk.settings import DeskSettings
from tests.support.browser import (axe_violations, case_link, chromium, clipped_scrollers, console_errors,
                                   horizontal_overflow, on_case_page, screenshot)
from tests.support.contracts import example
from tests.support.desk_steps import case_rows, log_in_from
from tests.support.desk_seed import seed_cases
from tests.support.migrated import migrated_database
from tests.support.system import free_port

pytestmark = pytest.mark.e2e
PASSWORD = "kata-sandi-yang-panjang"
LONG_URL = "https://www.facebook.com/permalink.php?story_fbid=" + "pfbid0" * 40 + "&id=100012345678901"

database_url = migrated_database("desk")


@pytest.fixture
def desk(database_url, s3):
    create_bucket_once(s3, EVIDENCE_BUCKET, object_lock=True)
    port = free_port()
    app = create_app(DeskSettings(database_url=database_url, desk_url=f"http://127.0.0.1:{port}"), store=s3)
    service = app.extensions["netra.desk"]
    seeded = seed_cases(service.cases, "bkpsdm-14.03", "14.03", 500)
    for width in (1280, 390):
        acc.new_account(service.accounts, service.units, f"petugas-{width}", "bkpsdm-14.03", "petugas", PASSWORD)
    wanted = seeded[371]
    answer_with_a_long_url(service.cases, wanted["case_id"])
    server = make_server("127.0.0.1", port, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield {"url": f"http://127.0.0.1:{port}", "wanted": wanted}
    server.shutdown()
    thread.join(timeout=10)


def answer_with_a_long_url(cases, case_id):
    asker = Staff(0, "kepala-14.03", "bkpsdm-14.03", "kepala")
    asked = casework.ask_reporter(cases, case_id, asker, "Mohon kirimkan tautan unggahannya.")
    event = example("reporter.answered")
    event["payload"].update(answer_id=str(uuid.uuid4()), question_id=asked["question_id"],
                            answer=f"Tautannya {LONG_URL} diunggah pukul 20.14.",
                            answered_at=datetime(2026, 12, 6, 2, 28, tzinfo=timezone.utc).isoformat())
    reporter_answered(event, cases)


@pytest.fixture(params=[1280, 390], ids=["1280px", "390px"])
def browser(request):
    driver = chromium(request.param)
    driver.width = request.param
    yield driver
    driver.quit()


def test_the_mail_link_leads_to_the_case_and_search_finds_it_among_500(desk, browser):
    # a page replaced while the wait reads it (after a search) is read again, not a failure
    wait, suffix = WebDriverWait(browser, 30, ignored_exceptions=(StaleElementReferenceException,)), f"-{browser.width}"
    wanted = desk["wanted"]
    log_in_from(browser, f"{desk['url']}/desk/kasus/{wanted['case_id']}", f"petugas-{browser.width}")
    wait.until(on_case_page(wanted["tracking_code"]))  # the mail's link, not the list
    assert re.search(r"2026-12-06 09\.28 WIB", browser.page_source)  # the answer's time, in Riau's zone
    assert LONG_URL in browser.find_element(By.CLASS_NAME, "answer").text and horizontal_overflow(browser) <= 0
    screenshot(browser, "desk-daily-case" + suffix)
    assert axe_violations(browser) == []

    browser.get(f"{desk['url']}/desk/")
    wait.until(seen.title_contains("Daftar kasus"))
    assert case_rows(browser) == 25 and "1–25 dari 500 kasus" in browser.find_element(By.ID, "count").text
    assert len(browser.page_source.encode()) < 80_000
    assert browser.find_element(By.CSS_SELECTOR, "nav.pages").text.count("Halaman 1 dari 20") == 1
    assert horizontal_overflow(browser) <= 0 and console_errors(browser) == []
    assert clipped_scrollers(browser) == []  # a card's number and its Baru badge wrap at 390 px
    screenshot(browser, "desk-daily-list" + suffix)
    assert axe_violations(browser) == []

    search = browser.find_element(By.ID, "q")
    search.send_keys(wanted["tracking_code"])
    search.submit()
    wait.until(lambda b: "1–1 dari 1 kasus" in b.find_element(By.ID, "count").text)
    assert case_rows(browser) == 1
    screenshot(browser, "desk-daily-search" + suffix)
    case_link(browser, wanted["tracking_code"])[0].click()
    wait.until(on_case_page(wanted["tracking_code"]))

    browser.find_element(By.LINK_TEXT, "Daftar kasus").click()
    browser.find_element(By.ID, "lewat").click()
    browser.find_element(By.ID, "filters").submit()
    wait.until(lambda b: "lewat=1" in b.current_url)
    assert horizontal_overflow(browser) <= 0
