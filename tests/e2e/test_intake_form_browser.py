"""The citizen's form in headless Chromium, under intake's CSP: its script (now a static file) still submits.

The app runs on real PostgreSQL and MinIO behind a local WSGI server; the browser fills the form in Bahasa
Indonesia and must show the tracking code and receipt, with no CSP violation in its console.
"""
import threading
from pathlib import Path

import pytest
from selenium import webdriver
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as shown
from selenium.webdriver.support.ui import Select, WebDriverWait
from werkzeug.serving import make_server

from services.intake.app import create_app
from services.intake.settings import IntakeSettings
from tests.support.system import free_port

SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"


@pytest.fixture
def site(database_url):
    port = free_port()
    app = create_app(IntakeSettings(database_url=database_url, public_url=f"http://127.0.0.1:{port}",
                                    rate_limits_enabled=False))
    server = make_server("127.0.0.1", port, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{port}"
    server.shutdown()
    thread.join(timeout=10)


@pytest.fixture
def browser():
    options = webdriver.ChromeOptions()
    for flag in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=900,1900"):
        options.add_argument(flag)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(service=webdriver.ChromeService(executable_path="/usr/bin/chromedriver"),
                              options=options)
    yield driver
    driver.quit()


def fill(browser, name, value):
    browser.find_element(By.NAME, name).send_keys(value)


def test_the_form_submits_under_the_csp_and_shows_the_tracking_code(site, browser):
    browser.get(site + "/")
    assert "Pengaduan Pelanggaran Netralitas ASN" in browser.page_source
    fill(browser, "subject.name", "Budi Santoso")
    fill(browser, "subject.agency", "Dinas Pendidikan Kabupaten Bengkalis")
    Select(browser.find_element(By.NAME, "subject.employer_level")).select_by_value("kabupaten_kota")
    fill(browser, "subject.region_code", "14.03")
    fill(browser, "violation.post_urls", "https://www.facebook.com/budi/posts/1")
    browser.execute_script("document.querySelector('[name=\"violation.occurred_on\"]').value = '2026-11-02'")
    fill(browser, "violation.description", "Mengunggah foto bersama pasangan calon bupati dengan simbol jari.")
    browser.find_element(By.NAME, "declaration").click()
    browser.find_element(By.TAG_NAME, "button").click()
    WebDriverWait(browser, 20).until(shown.visibility_of_element_located((By.ID, "hasil")))
    assert browser.find_element(By.ID, "kode").text.startswith("NTR-")
    assert len(browser.find_element(By.ID, "tanda").text) >= 32
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    browser.save_screenshot(str(SCREENSHOTS / "intake-form-accepted.png"))
    violations = [entry["message"] for entry in browser.get_log("browser")
                  if ("Content Security Policy" in entry["message"] or entry["level"] == "SEVERE")
                  and "favicon.ico" not in entry["message"]]
    assert violations == []
