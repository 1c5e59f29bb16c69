"""The case list's step filter in headless Chromium at 1280 px and 390 px, against the real PostgreSQL and
MinIO: the Kanreg chooses "Hanya dibaca" and sees only the cases it handed on to the PPK's step, then
"Langkah saya" and sees the one still at its own step; no sideways scroll, nothing serious for axe.
Screenshots: docs/screenshots/desk-step-filter-*.png."""
import threading

import pytest
from selenium.common.exceptions import StaleElementReferenceException
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select, WebDriverWait
from werkzeug.serving import make_server

from services.common.storage import EVIDENCE_BUCKET, create_bucket_once
from services.desk.accounts import accounts as acc
from services.desk.app import create_app
from services.desk.cases.arrivals import case_arrived
from services.desk.settings import DeskSettings
from services.desk.chain.steps import step_opened
from tests.support.browser import axe_violations, chromium, clipped_scrollers, horizontal_overflow, screenshot
from tests.support.complaints import png_bytes
from tests.support.desk import routed
from tests.support.desk_steps import CHAIN, KANREG, PASSWORD, case_rows, log_in_from, opened
from tests.support.migrated import migrated_database
from tests.support.system import free_port

pytestmark = pytest.mark.e2e

database_url = migrated_database("desk")


@pytest.fixture
def desk(database_url, s3):
    """Four cases of the Kanreg: one at its own step, three handed on to Bengkalis's PPK step."""
    create_bucket_once(s3, EVIDENCE_BUCKET, object_lock=True)
    port = free_port()
    app = create_app(DeskSettings(database_url=database_url, desk_url=f"http://127.0.0.1:{port}"), store=s3)
    service = app.extensions["netra.desk"]
    codes = []
    for n in range(4):
        event = routed(KANREG, "14.03", png_bytes(seed=70 + n))
        event["payload"]["units"]["primary"]["name"] = CHAIN["steps"][0]["name"]
        event["payload"]["chain"] = CHAIN
        case_arrived(event, service.cases)
        codes.append((event["payload"]["tracking_code"], event["payload"]["case_id"]))
    for code, case_id in codes[1:]:
        step_opened(opened(code, case_id, due="2099-12-31"), service.cases)
    for width in (1280, 390):
        acc.new_account(service.accounts, service.units, f"kanreg-{width}", KANREG, "petugas", PASSWORD)
    server = make_server("127.0.0.1", port, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield {"url": f"http://127.0.0.1:{port}", "codes": [code for code, _ in codes]}
    server.shutdown()
    thread.join(timeout=10)


@pytest.fixture(params=[1280, 390], ids=["1280px", "390px"])
def browser(request):
    driver = chromium(request.param)
    driver.width = request.param
    yield driver
    driver.quit()


def choose_step(browser, wait, text: str, expected: str) -> None:
    Select(browser.find_element(By.ID, "langkah")).select_by_visible_text(text)
    browser.find_element(By.ID, "filters").submit()
    wait.until(lambda b: expected in b.find_element(By.ID, "count").text)


def test_the_kanreg_filters_its_own_step_from_the_ones_it_only_reads(desk, browser):
    wait = WebDriverWait(browser, 30, ignored_exceptions=(StaleElementReferenceException,))
    log_in_from(browser, f"{desk['url']}/desk/", f"kanreg-{browser.width}")
    wait.until(lambda b: "dari 4 kasus" in b.find_element(By.ID, "count").text)

    choose_step(browser, wait, "Hanya dibaca", "1–3 dari 3 kasus")
    assert "langkah=baca" in browser.current_url and case_rows(browser) == 3
    assert desk["codes"][0] not in browser.page_source
    screenshot(browser, f"desk-step-filter-{browser.width}")
    assert horizontal_overflow(browser) <= 0 and clipped_scrollers(browser) == []
    assert axe_violations(browser) == []

    choose_step(browser, wait, "Langkah saya", "1–1 dari 1 kasus")
    assert desk["codes"][0] in browser.page_source and horizontal_overflow(browser) <= 0
