"""A region adopts Netra, end to end against the running services, in headless Chromium at 1280 and 390 px:
the operator imports the units' real addresses from a CSV, and the same command invites each unit's first
admin (the mail caught by the SMTP mailbox); the admin accepts, enrols TOTP and invites an officer; the
officer enrols, forgets the password and sets a new one by the mailed link; a complaint becomes an overdue
case of that unit, and the scheduler's reminder reaches the officer's own address. Screenshots:
docs/screenshots/desk-adoption-*-<width>.png."""
import json
import shutil
import subprocess
import uuid
from datetime import date

import pytest
import requests
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as seen
from selenium.webdriver.support.ui import WebDriverWait
from sqlalchemy import create_engine, text

from services.common.workdays import add_working_days
from services.reference.files import UNITS_FILE
from tests.support.account_pages import (NEW_PASSWORD, accept_invitation, checked, log_in, mailed,
                                         reset_forgotten_password)
from tests.support.browser import new_browser
from tests.support.complaints import complaint, png_bytes
from tests.support.netra_system import netra_system
from tests.support.servers import DATABASE_SERVICE_ROLE, Mailbox, body_text, signed_in_as
from tests.support.system import ROOT, VENV_BIN
from tests.support.waiting import wait_until

pytestmark = pytest.mark.e2e
# A unit each, in one system: the BKN regional office that works a complaint about a regency's civil servant
# outside an election (rules.yaml), with the unit's own region and the complaint's.
UNITS = {1280: ("bkn-kanreg-12", "14", "14.03"), 390: ("bkn-kanreg-8", "63", "62.10")}
TAG = uuid.uuid4().hex[:6]
ADDRESSES = {unit: f"netralitas-{TAG}@{unit}.bkn.example.go.id" for unit, _, _ in UNITS.values()}
SHEET_OFFICERS = {"bkn-kanreg-12": f"petugas-lembar-{TAG}@bkn-kanreg-12.bkn.example.go.id"}


@pytest.fixture(scope="module")
def directory(tmp_path_factory):
    """The operator's copy of the directory, which the services are started on (NETRA_UNITS_FILE)."""
    path = tmp_path_factory.mktemp("adoption") / "units.yaml"
    shutil.copyfile(UNITS_FILE, path)
    return path


@pytest.fixture(scope="module")
def system(directory):
    with netra_system(NETRA_UNITS_FILE=str(directory)) as running:
        yield running


@pytest.fixture(scope="module")
def imported(system, directory, tmp_path_factory):
    """The operator's one command: the CSV merged into the directory, and each changed unit's admin invited."""
    sheet = tmp_path_factory.mktemp("sheet") / "units.csv"
    rows = [f"{unit},bkn_kanreg,,{ADDRESSES[unit]},{region},{SHEET_OFFICERS.get(unit, '')}"
            for unit, region, _ in UNITS.values()]
    sheet.write_text("unit_id,kind,name,email,region_code,invite\n" + "\n".join(rows) + "\n")
    env = {**system.env, "NETRA_DATABASE_URL": signed_in_as(system.database_urls["desk"], DATABASE_SERVICE_ROLE)}
    done = subprocess.run([str(VENV_BIN / "python"), "-m", "services.routing.contacts", "import", str(sheet),
                           "--units", str(directory), "--out", str(directory), "--invite-admins"],
                          env=env, cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "2 undangan admin dikirim" in done.stdout, done.stdout
    assert "1 undangan petugas dikirim" in done.stdout, done.stdout  # the sheet's invite column
    officer_mail = Mailbox().wait_for(SHEET_OFFICERS["bkn-kanreg-12"])[0]
    assert "/desk/undangan/" in body_text(officer_mail)
    for name in ("routing", "desk", "desk-worker"):  # a changed directory takes effect when they start again (docs/operations.md)
        system.restart(name)
    system.wait_ready()
    return done.stdout


def invite_officer(driver, system) -> str:
    driver.find_element(By.LINK_TEXT, "Akun unit").click()
    email = f"petugas-{uuid.uuid4().hex[:6]}@example.go.id"
    driver.find_element(By.ID, "email").send_keys(email)
    assert driver.find_element(By.ID, "role").get_attribute("value") == "petugas"
    driver.find_element(By.XPATH, "//button[contains(., 'Kirim undangan')]").click()
    flash = WebDriverWait(driver, 30).until(seen.presence_of_element_located((By.CSS_SELECTOR, ".flash.ok")))
    assert f"Undangan dikirim ke {email}" in flash.text
    return email


def log_out(driver) -> None:
    """Out, and the login page there, before the next page is asked for (else the two navigations race)."""
    driver.find_element(By.XPATH, "//button[contains(., 'Keluar')]").click()
    WebDriverWait(driver, 30).until(seen.text_to_be_present_in_element((By.TAG_NAME, "main"), "Anda telah keluar"))


def case_of(system, region: str) -> tuple[str, date]:
    """A complaint about a civil servant of the region, through intake; its case's tracking code and due date."""
    answer = requests.post(f"{system.api}/complaints", timeout=30,
                           data={"complaint": json.dumps(complaint(region_code=region))},
                           files=[("evidence", ("bukti.png", png_bytes(int(region.replace(".", ""))), "image/png"))])
    assert answer.status_code == 202, answer.text
    code = answer.json()["tracking_code"]
    engine = create_engine(system.database_urls["desk"])
    query = text("SELECT due_date FROM cases WHERE tracking_code = :code AND due_date IS NOT NULL")
    try:
        due = wait_until(lambda: due_date(engine, query, code), "the desk's case", timeout=90, interval=0.5)
    finally:
        engine.dispose()
    return code, due


def due_date(engine, query, code: str):
    with engine.connect() as conn:
        return conn.execute(query, {"code": code}).scalar()


def scheduler_reminder(system, day: date) -> subprocess.CompletedProcess:
    """The scheduler's digest job for `day`, with the scheduler's environment (docs/operations.md)."""
    urls = {f"NETRA_{name.upper()}_DATABASE_URL": signed_in_as(system.database_urls[name], DATABASE_SERVICE_ROLE)
            for name in ("intake", "notify", "desk")}
    return subprocess.run([str(VENV_BIN / "python"), "-m", "services.ops", "schedule", "--once", "digest",
                           "--date", day.isoformat()], env={**system.env, **urls, "NETRA_HEALTH_BIND": "127.0.0.1:0"},
                          cwd=ROOT, capture_output=True, text=True, timeout=120)


@pytest.mark.parametrize("width", list(UNITS))
def test_a_region_adopts_netra_from_the_directory_to_the_officers_reminder(width, system, imported):
    unit, _, region = UNITS[width]
    driver = new_browser(width)
    try:
        secret = accept_invitation(driver, mailed(system, ADDRESSES[unit], "undangan"), f"admin-{TAG}-{width}", width)
        officer = invite_officer(driver, system)
        checked(driver, "adoption-accounts", width)
        log_out(driver)
        username = f"petugas-{TAG}-{width}"
        secret = accept_invitation(driver, mailed(system, officer, "undangan"), username, width)
        log_out(driver)
        reset_forgotten_password(driver, system, officer, width)
        log_in(driver, system, username, secret)
        code, due = case_of(system, region)
        driver.refresh()
        WebDriverWait(driver, 30).until(lambda d: code in d.page_source)
        checked(driver, "adoption-officer-cases", width)
    except Exception:
        (ROOT / "var" / "log").mkdir(parents=True, exist_ok=True)
        driver.save_screenshot(str(ROOT / "var" / "log" / f"adoption-failure-{width}.png"))
        (ROOT / "var" / "log" / f"adoption-failure-{width}.html").write_text(driver.page_source)
        raise
    finally:
        driver.quit()
    overdue_day = add_working_days(due, 1)
    done = scheduler_reminder(system, overdue_day)
    assert done.returncode == 0, done.stderr
    [mail] = [m for m in Mailbox().wait_for(code) if "Ringkasan harian" in m["Subject"]]
    assert officer in mail["X-Netra-Rcpt-To"] and ADDRESSES[unit] in mail["X-Netra-Rcpt-To"]
    assert "Terlambat (1)" in body_text(mail) and NEW_PASSWORD not in body_text(mail)
