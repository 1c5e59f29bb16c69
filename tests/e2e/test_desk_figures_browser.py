"""The figures page in headless Chromium at 1280 px and 390 px, against the real PostgreSQL: a regional
supervisor of Riau logs in, reads this month's figures, chooses November 2026 with the date fields and reads
the numbers and charts a region head reads; a period the wrong way round is explained. No script runs on the
page (the CSP forbids inline ones; the charts are SVG files pygal draws on the server, shown with <img>). Screenshots:
docs/screenshots/desk-figures-period-*.png."""
import threading
from datetime import datetime, timedelta, timezone

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as seen
from selenium.webdriver.support.ui import Select, WebDriverWait
from werkzeug.serving import make_server

from services.desk.accounts import accounts as acc
from services.desk.app import create_app
from services.desk.settings import DeskSettings
from tests.support.browser import axe_violations, chromium, console_errors, horizontal_overflow, screenshot
from tests.support.desk import fresh_code
from tests.support.figures_seed import seed_case, seed_story
from tests.support.migrated import migrated_database
from tests.support.svg_charts import bars, lengths
from tests.support.system import free_port

pytestmark = pytest.mark.e2e
PASSWORD = "kata-sandi-yang-panjang"

database_url = migrated_database("desk")


@pytest.fixture
def desk(database_url, s3):
    port = free_port()
    app = create_app(DeskSettings(database_url=database_url, desk_url=f"http://127.0.0.1:{port}"), store=s3)
    service = app.extensions["netra.desk"]
    seed_story(service.cases)
    just_now = datetime.now(timezone.utc) - timedelta(minutes=5)
    for unit_id, region, category in (("bkpsdm-14.03", "14.03", "foto_simbol_paslon"),
                                      ("bkpsdm-14.71", "14.71", "unggah_dukungan"),
                                      ("bkpsdm-62.10", "62.10", "unggah_dukungan")):
        seed_case(service.cases, unit_id, region, category, just_now, [])
    for width in (1280, 390):
        acc.new_account(service.accounts, service.units, f"wilayah-{width}", "kesbangpol-14", "pengawas_wilayah",
                        PASSWORD)
    server = make_server("127.0.0.1", port, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{port}"
    server.shutdown()
    thread.join(timeout=10)


@pytest.fixture(params=[1280, 390], ids=["1280px", "390px"])
def browser(request):
    driver = chromium(request.param)
    driver.width = request.param
    yield driver
    driver.quit()


def log_in(driver, url: str, username: str) -> None:
    wait = WebDriverWait(driver, 30)
    driver.get(url)
    wait.until(seen.presence_of_element_located((By.ID, "username"))).send_keys(username)
    driver.find_element(By.ID, "password").send_keys(PASSWORD)
    driver.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
    secret = wait.until(seen.presence_of_element_located((By.ID, "totp-secret"))).text.strip()
    driver.find_element(By.ID, "code").send_keys(fresh_code(secret))
    driver.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
    wait.until(seen.presence_of_element_located((By.ID, "recovery-codes")))
    driver.find_element(By.CSS_SELECTOR, "a.button").click()


def choose_dates(driver, since: str, until: str) -> None:
    """Types dates into the date fields as a person does, in the order the browser's date field shows
    (dd/mm/yyyy or mm/dd/yyyy, after its locale)."""
    Select(driver.find_element(By.ID, "periode")).select_by_visible_text("Tanggal pilihan")
    for field, iso in (("dari", since), ("sampai", until)):
        year, month, day = iso.split("-")
        box = driver.find_element(By.ID, field)
        for typed in (day + month + year, month + day + year):
            box.clear()
            box.send_keys(typed)
            if box.get_attribute("value") == iso:
                break
        assert box.get_attribute("value") == iso, box.get_attribute("value")
    driver.find_element(By.CSS_SELECTOR, "form.period button[type=submit]").click()


def row_cells(driver, section: str) -> dict[str, list[str]]:
    found = {}
    for row in driver.find_elements(By.CSS_SELECTOR, f"#{section} tbody tr"):
        cells = [cell.text.strip() for cell in row.find_elements(By.TAG_NAME, "td")]
        if len(cells) > 1:
            found[cells[0]] = cells[1:]
    return found


LOADED_CHARTS = ("return [...document.querySelectorAll('img.chart')]"
                 ".filter(img => img.complete && img.naturalWidth > 0 && img.alt).length")


def chart_file(driver, selector: str) -> bytes:
    """The SVG file the browser loaded for a chart, fetched again in the same session."""
    src = driver.find_element(By.CSS_SELECTOR, selector).get_attribute("src")
    return driver.execute_async_script(
        "const done = arguments[arguments.length - 1];"
        "fetch(arguments[0]).then(r => r.text()).then(done, e => done(String(e)));", src).encode("utf-8")


def test_a_regional_supervisor_reads_the_figures_of_a_chosen_period(desk, browser):
    wait, suffix = WebDriverWait(browser, 30), f"-{browser.width}"
    log_in(browser, f"{desk}/desk/angka", f"wilayah-{browser.width}")
    wait.until(seen.presence_of_element_located((By.ID, "period-summary")))
    assert "Bulan ini" in browser.find_element(By.ID, "period-summary").text
    assert browser.find_element(By.ID, "total").text == "2"  # this month: Riau's two, not Central Kalimantan's

    choose_dates(browser, "2026-11-01", "2026-11-30")
    wait.until(lambda b: "dari=2026-11-01" in b.current_url)
    assert browser.find_element(By.ID, "total").text == "4"
    assert "01/11/2026 s.d. 30/11/2026 (WIB)" in browser.find_element(By.ID, "period-summary").text
    assert row_cells(browser, "per-status")["Selesai"] == ["3"]
    assert row_cells(browser, "per-sanction")["Sanksi moral"] == ["1"]
    assert row_cells(browser, "per-sanction")["Hukuman disiplin ringan"] == ["1"]
    assert row_cells(browser, "per-region") == {"Riau (provinsi)": ["1"], "Kabupaten Bengkalis": ["3"]}
    timely = row_cells(browser, "timeliness")
    assert timely["Badan Kepegawaian Daerah Provinsi Riau"] == ["5", "5 (100%)", "1,0", "16,0"]
    assert timely["BKPSDM Kabupaten Bengkalis"] == ["10", "8 (80%)", "4,5", "19,0"]
    wait.until(lambda b: b.execute_script(LOADED_CHARTS) == 6)  # each chart beside its table, drawn
    timeliness_chart = chart_file(browser, "#timeliness img.chart")
    assert bars(timeliness_chart) == [("Badan Kepegawaian Dae…", "100%"), ("BKPSDM Kabupaten Beng…", "80%")]
    full, most = lengths(timeliness_chart)
    assert most == pytest.approx(full * 0.8)
    assert horizontal_overflow(browser) <= 0 and console_errors(browser) == []
    screenshot(browser, "desk-figures-period" + suffix)
    assert axe_violations(browser) == []

    choose_dates(browser, "2026-11-30", "2026-11-01")
    problem = wait.until(seen.presence_of_element_located((By.ID, "period-problem")))
    assert "harus sebelum" in problem.text
