"""A real browser (Debian's headless Chromium through Selenium) at 1280 px and 390 px: log in with the
second factor, open a case, view its evidence, re-compute the hash, request a transfer, export the cases
(XLSX at 1280 px, CSV at 390 px) and open the figures; screenshots go to docs/screenshots/desk-*.png."""
import json
import subprocess
import time

import pytest
import requests
from openpyxl import load_workbook
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as seen
from selenium.webdriver.support.ui import WebDriverWait

from tests.support.browser import case_link, new_browser, on_case_page, shoot, styled_under_the_csp
from tests.support.complaints import complaint, png_bytes
from tests.support.desk import fresh_code
from tests.support.system import ROOT, VENV_BIN

PASSWORD = "kata-sandi-yang-panjang"
SHOTS = ROOT / "docs" / "screenshots"
WIDTHS = {"1280": 1280, "390": 390}


@pytest.fixture(scope="module")
def officer(system):
    env = {**system.env, "NETRA_DATABASE_URL": system.database_urls["desk"]}
    for args in (["create-admin", "--unit", "bkn-kanreg-12", "--username", "admin.kanreg12"],
                 ["create-account", "--unit", "bkn-kanreg-12", "--role", "petugas", "--username", "siska.petugas"]):
        made = subprocess.run([str(VENV_BIN / "python"), "-m", "services.desk.cli", *args], env=env,
                              input=PASSWORD + "\n", capture_output=True, text=True, timeout=60)
        assert made.returncode == 0, made.stderr
    return {"secret": None}


def file_case(system) -> str:
    answer = requests.post(f"{system.api}/complaints", data={"complaint": json.dumps(complaint("14.03"))},
                           files=[("evidence", ("bukti.png", png_bytes(int(time.time() * 1000) % 250, 64),
                                                "image/png"))], timeout=30)
    assert answer.status_code == 202, answer.text
    return answer.json()["tracking_code"]


def log_in(driver, system, officer, width_name):
    wait = WebDriverWait(driver, 30)
    driver.get(f"{system.desk}/masuk")
    styled_under_the_csp(driver)
    driver.find_element(By.ID, "username").send_keys("siska.petugas")
    driver.find_element(By.ID, "password").send_keys(PASSWORD)
    if width_name == "1280":
        shoot(driver, f"login-{width_name}", driver.get_window_size()["width"])
    driver.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
    wait.until(seen.presence_of_element_located((By.ID, "code")))
    secrets = driver.find_elements(By.ID, "totp-secret")
    if secrets:
        officer["secret"] = secrets[0].text.strip()
        shoot(driver, f"enrol-{width_name}", driver.get_window_size()["width"])
    driver.find_element(By.ID, "code").send_keys(fresh_code(officer["secret"]))
    driver.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
    if secrets:  # the recovery codes, shown once after enrolment
        wait.until(seen.presence_of_element_located((By.ID, "recovery-codes")))
        driver.find_element(By.CSS_SELECTOR, "a.button").click()
    wait.until(seen.title_contains("Daftar kasus"))


def open_case(driver, system, tracking_code):
    deadline = time.monotonic() + 90
    while not case_link(driver, tracking_code):
        assert time.monotonic() < deadline, f"{tracking_code} never reached the desk"
        time.sleep(1)
        driver.get(f"{system.desk}/")
    case_link(driver, tracking_code)[0].click()
    WebDriverWait(driver, 30).until(on_case_page(tracking_code))


def downloaded(folder, suffix: str):
    """The file the browser saved, once it is complete (Chromium writes *.crdownload until then)."""
    deadline = time.monotonic() + 30
    while not (found := sorted(folder.glob(f"*.{suffix}"))):
        assert time.monotonic() < deadline, f"no .{suffix} download in {list(folder.iterdir())}"
        time.sleep(0.2)
    return found[0]


def export_and_figures(driver, system, width_name, width, tracking_code, downloads):
    driver.get(f"{system.desk}/ekspor")
    driver.find_element(By.ID, "status").send_keys("Diterima")
    if width_name == "1280":
        shoot(driver, f"export-{width_name}", width)
    suffix = "xlsx" if width_name == "1280" else "csv"
    driver.find_element(By.ID, f"export-{suffix}").click()
    saved = downloaded(downloads, suffix)
    if suffix == "xlsx":
        codes = [row[0] for row in load_workbook(saved).active.iter_rows(min_row=2, values_only=True)]
    else:
        codes = [line.split(",")[0] for line in saved.read_text(encoding="utf-8-sig").splitlines()[1:]]
    assert tracking_code in codes
    driver.get(f"{system.desk}/angka")
    assert "Per status" in driver.find_element(By.ID, "per-status").text
    shoot(driver, f"figures-{width_name}", width)


@pytest.mark.parametrize("width_name", list(WIDTHS))
def test_an_officer_works_a_case_in_a_real_browser(width_name, system, officer, tmp_path):
    width = WIDTHS[width_name]
    tracking_code = file_case(system)
    driver = new_browser(width, tmp_path)
    try:
        log_in(driver, system, officer, width_name)
        open_case(driver, system, tracking_code)
        case_url = driver.current_url
        styled_under_the_csp(driver)
        shoot(driver, f"case-{width_name}", width)
        assert "Siti Rahmawati" not in driver.page_source and "siti.pelapor" not in driver.page_source
        evidence = driver.find_element(By.LINK_TEXT, "Buka berkas 1").get_attribute("href")
        driver.get(evidence)
        image = driver.find_element(By.TAG_NAME, "img")
        assert driver.execute_script("return arguments[0].naturalWidth", image) == 64
        shoot(driver, f"evidence-{width_name}", width)
        driver.get(case_url)
        driver.find_element(By.XPATH, "//button[contains(., 'Hitung ulang SHA-256')]").click()
        flash = WebDriverWait(driver, 30).until(seen.presence_of_element_located((By.CSS_SELECTOR, ".flash.ok")))
        assert "dihitung ulang di server dan cocok" in flash.text
        driver.find_element(By.ID, "to_unit_id").send_keys("bkd-14")
        driver.find_element(By.ID, "reason").send_keys("Terlapor pegawai pemerintah provinsi, bukan kewenangan kabupaten.")
        checked_flash = driver.find_element(By.CSS_SELECTOR, ".flash.ok")
        driver.find_element(By.XPATH, "//button[contains(., 'Ajukan pengalihan')]").click()
        WebDriverWait(driver, 30).until(seen.staleness_of(checked_flash))  # not the hash check's, still shown
        WebDriverWait(driver, 30).until(seen.text_to_be_present_in_element((By.CSS_SELECTOR, ".flash.ok"),
                                                                           "menunggu persetujuan kepala unit"))
        assert "Menunggu persetujuan" in driver.find_element(By.ID, "transfer").text
        shoot(driver, f"transfer-{width_name}", width)
        export_and_figures(driver, system, width_name, width, tracking_code, tmp_path)
        driver.get(f"{system.desk}/")
        styled_under_the_csp(driver)
        shoot(driver, f"cases-{width_name}", width)
    except Exception:
        (ROOT / "var" / "log").mkdir(parents=True, exist_ok=True)
        driver.save_screenshot(str(ROOT / "var" / "log" / f"desk-browser-failure-{width_name}.png"))
        (ROOT / "var" / "log" / f"desk-browser-failure-{width_name}.html").write_text(driver.page_source)
        raise
    finally:
        driver.quit()
