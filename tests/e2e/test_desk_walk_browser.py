"""What a first walk through the desk found, walked again in headless Chromium at 1280 px and 390 px against
the real PostgreSQL, MinIO, Redis and SMTP: a transfer request reaches the head, who refuses it with a reason
the officer reads; a wrong code is named; a form sent after the session ended leads through the login back to
its page with the text kept; the admin sees and lifts a login lock; the audit log reads as words. axe-core
finds nothing serious on any of these pages. Screenshots: docs/screenshots/desk-walk-*-<width>.png."""
import threading

import pyotp
import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as seen
from selenium.webdriver.support.ui import WebDriverWait
from werkzeug.serving import make_server

from services.common.storage import EVIDENCE_BUCKET, create_bucket_once
from services.desk.accounts import accounts as acc
from services.desk.app import create_app
from services.desk.cases.arrivals import case_arrived
from services.desk.settings import DeskSettings
from tests.support.browser import (axe_violations, chromium, console_errors, horizontal_overflow, screenshot,
                                  styled_under_the_csp)
from tests.support.complaints import png_bytes
from tests.support.desk import fresh_code, routed, token
from tests.support.migrated import migrated_database
from tests.support.system import free_port

pytestmark = pytest.mark.e2e
PASSWORD = "kata-sandi-yang-panjang"
UNIT = "bkpsdm-14.03"
REFUSAL = "Terlapor masih pegawai Kabupaten Bengkalis menurut SK penempatan terbaru."
QUESTION = "Kapan unggahan itu pertama kali Anda lihat?"
WIDTHS = (1280, 390)

database_url = migrated_database("desk")


def enrolled(service, username: str, role: str) -> str:
    account_id = acc.new_account(service.accounts, service.units, username, UNIT, role, PASSWORD)
    secret = pyotp.random_base32()
    service.accounts.update(account_id, totp_secret=secret, totp_confirmed=True, email=f"{username}@unit.example",
                            name=f"{role.title()} {username.rsplit('-', 1)[-1]}")
    return secret


def lock(app, username: str) -> None:
    """Five wrong passwords from another address: that address waits, and the account shows it."""
    client, address = app.test_client(), {"REMOTE_ADDR": "192.0.2.44"}
    for _ in range(5):
        page = client.get("/desk/masuk", environ_base=address)
        client.post("/desk/masuk", environ_base=address,
                    data={"csrf_token": token(page), "username": username, "password": "salah"})


@pytest.fixture(params=WIDTHS, ids=[f"{w}px" for w in WIDTHS])
def desk(request, database_url, s3):
    create_bucket_once(s3, EVIDENCE_BUCKET, object_lock=True)
    port = free_port()
    app = create_app(DeskSettings(database_url=database_url, desk_url=f"http://127.0.0.1:{port}"), store=s3)
    service = app.extensions["netra.desk"]
    event = routed(UNIT, "14.03", png_bytes(seed=request.param))
    case_arrived(event, service.cases)
    secrets = {role: enrolled(service, role, "petugas" if role == "terkunci" else role)
               for role in ("petugas", "kepala", "admin", "terkunci")}
    lock(app, "terkunci")
    server = make_server("127.0.0.1", port, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    driver = chromium(request.param)
    yield {"url": f"http://127.0.0.1:{port}", "secrets": secrets, "case": event["payload"], "driver": driver,
           "width": request.param}
    driver.quit()
    server.shutdown()
    thread.join(timeout=10)


def checked(desk, name: str) -> None:
    """Styled under the CSP, no serious axe finding, nothing wider than the screen; then the screenshot."""
    driver = desk["driver"]
    styled_under_the_csp(driver)
    assert axe_violations(driver) == [], name
    assert horizontal_overflow(driver) <= 0, name
    assert console_errors(driver) == [], name
    screenshot(driver, f"desk-walk-{name}-{desk['width']}")


def wait(desk):
    return WebDriverWait(desk["driver"], 30)


def log_in(desk, username: str, url: str | None = None, code: str | None = None) -> None:
    driver = desk["driver"]
    if url:
        driver.get(url)
    wait(desk).until(seen.presence_of_element_located((By.ID, "username"))).send_keys(username)
    driver.find_element(By.ID, "password").send_keys(PASSWORD)
    driver.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
    wait(desk).until(seen.presence_of_element_located((By.ID, "code"))).send_keys(
        code or fresh_code(desk["secrets"][username]))
    driver.find_element(By.CSS_SELECTOR, "button[type=submit]").click()


def log_out(desk) -> None:
    desk["driver"].find_element(By.XPATH, "//button[contains(., 'Keluar')]").click()
    wait(desk).until(seen.presence_of_element_located((By.ID, "username")))


def fill(desk, field: str, text: str) -> None:
    element = desk["driver"].find_element(By.ID, field)
    element.clear()
    element.send_keys(text)
    element.find_element(By.XPATH, "./ancestor::form").find_element(By.CSS_SELECTOR, "button[type=submit]").click()


def test_a_refused_transfer_a_wrong_code_and_an_ended_session(desk):
    driver, case_url = desk["driver"], f"{desk['url']}/desk/kasus/{desk['case']['case_id']}"
    log_in(desk, "petugas", case_url)
    wait(desk).until(seen.presence_of_element_located((By.ID, "reason")))
    driver.find_element(By.ID, "to_unit_id").send_keys("bkd-14")
    fill(desk, "reason", "Terlapor pegawai Pemerintah Provinsi Riau.")
    wait(desk).until(seen.text_to_be_present_in_element((By.ID, "transfer"), "Menunggu persetujuan"))
    log_out(desk)

    log_in(desk, "kepala", code="000000")  # the right password, a wrong code
    error = wait(desk).until(seen.presence_of_element_located((By.CSS_SELECTOR, ".flash.error"))).text
    assert "Kode salah" in error and "kata sandi" not in error
    checked(desk, "wrong-code")
    driver.find_element(By.ID, "code").send_keys(fresh_code(desk["secrets"]["kepala"]))
    driver.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
    marker = wait(desk).until(seen.presence_of_element_located((By.ID, "nav-transfers")))
    assert "Baru 1" in marker.text
    marker.click()
    wait(desk).until(seen.presence_of_element_located((By.ID, "pending-transfers")))
    checked(desk, "transfers")
    driver.find_element(By.CSS_SELECTOR, "#pending-transfers a").click()
    wait(desk).until(seen.presence_of_element_located((By.ID, "refusal_reason")))
    checked(desk, "transfer-decision")
    fill(desk, "refusal_reason", REFUSAL)
    wait(desk).until(seen.presence_of_element_located((By.ID, "transfer-refused")))
    log_out(desk)

    log_in(desk, "petugas", case_url)
    refused = wait(desk).until(seen.presence_of_element_located((By.ID, "transfer-refused"))).text
    assert "ditolak oleh kepala" in refused and REFUSAL in refused
    checked(desk, "transfer-refused")
    driver.find_element(By.ID, "question").send_keys(QUESTION)
    driver.delete_cookie("netra_desk")  # what the browser does once the idle time has passed
    driver.find_element(By.ID, "question").find_element(By.XPATH, "./ancestor::form").submit()
    ended = wait(desk).until(seen.presence_of_element_located((By.ID, "session-ended"))).text
    assert "Sesi Anda telah berakhir" in ended and "CSRF" not in driver.page_source
    checked(desk, "session-ended")
    driver.find_element(By.ID, "go-on").click()
    log_in(desk, "petugas")
    kept = wait(desk).until(seen.presence_of_element_located((By.ID, "question")))
    assert driver.current_url == case_url and kept.get_attribute("value") == QUESTION


def test_the_admin_lifts_a_lock_and_reads_the_audit_log_in_words(desk):
    driver = desk["driver"]
    log_in(desk, "admin", f"{desk['url']}/desk/akun")
    state = wait(desk).until(seen.presence_of_element_located(
        (By.XPATH, "//tr[td[.='terkunci']]//td[contains(@class, 'account-state')]"))).text
    assert state.startswith("terkunci sampai ") and state.endswith(" WIB")
    checked(desk, "accounts-locked")
    driver.find_element(By.XPATH, "//tr[td[.='terkunci']]//button[contains(., 'Buka kunci')]").click()
    wait(desk).until(seen.text_to_be_present_in_element((By.CSS_SELECTOR, ".flash.ok"), "Kunci masuk terkunci dibuka"))
    assert driver.find_element(By.XPATH, "//tr[td[.='terkunci']]//td[contains(@class, 'account-state')]").text == "aktif"
    driver.find_element(By.LINK_TEXT, "Log audit").click()
    log = wait(desk).until(seen.presence_of_element_located((By.ID, "audit"))).text
    assert "Membuka kunci masuk akun" in log and "Masuk ke meja unit" in log and "Sistem Netra" in log
    assert desk["case"]["case_number"] in log and desk["case"]["case_id"] not in log
    checked(desk, "audit")
