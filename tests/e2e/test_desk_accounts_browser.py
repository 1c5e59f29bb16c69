"""The pages people use for their own accounts, in Debian's headless Chromium at 1280 px and 390 px: the
operator's CLI invites a unit's first admin, who opens the mailed link, chooses a password, enrols TOTP and
keeps the recovery codes, invites an officer from *Akun unit*; then forgets the password and sets a new one by
the mailed reset link. axe-core finds nothing serious on any of these pages; screenshots go to
docs/screenshots/desk-{accept,recovery,accounts,password,forgot,reset}-<width>.png."""
import subprocess
import uuid

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as seen
from selenium.webdriver.support.ui import WebDriverWait

from tests.support.account_pages import accept_invitation, checked, log_in, mailed, reset_forgotten_password
from tests.support.browser import new_browser
from tests.support.system import ROOT, VENV_BIN

pytestmark = pytest.mark.e2e
UNITS = {1280: "bkpsdm-14.03", 390: "bkpsdm-14.71"}  # one system for both widths: a unit each


def invite_admin(system, unit: str) -> None:
    env = {**system.env, "NETRA_DATABASE_URL": system.database_urls["desk"]}
    done = subprocess.run([str(VENV_BIN / "python"), "-m", "services.desk.cli", "invite-admin", unit], env=env,
                          capture_output=True, text=True, timeout=60, cwd=ROOT)
    assert done.returncode == 0 and f"1 undangan admin dikirim ({unit})" in done.stdout, done.stderr


def invite_an_officer(driver, system, width: int) -> None:
    """The admin's page: an officer invited by email, the same one-time link; the own password page."""
    driver.find_element(By.LINK_TEXT, "Akun unit").click()
    email = f"petugas-{uuid.uuid4().hex[:6]}@example.go.id"
    driver.find_element(By.ID, "email").send_keys(email)
    driver.find_element(By.XPATH, "//button[contains(., 'Kirim undangan')]").click()
    flash = WebDriverWait(driver, 30).until(seen.presence_of_element_located((By.CSS_SELECTOR, ".flash.ok")))
    assert f"Undangan dikirim ke {email}" in flash.text and email in driver.find_element(By.TAG_NAME, "main").text
    assert mailed(system, email, "undangan")
    checked(driver, "accounts", width)
    driver.find_element(By.LINK_TEXT, "Kata sandi").click()
    checked(driver, "password", width)


@pytest.mark.parametrize("width", list(UNITS))
def test_an_invited_admin_sets_up_the_account_and_resets_the_password(width, system):
    unit = UNITS[width]
    address = f"{unit}@unit.netra.invalid"
    invite_admin(system, unit)
    driver = new_browser(width)
    try:
        username = f"admin-{uuid.uuid4().hex[:6]}"
        secret = accept_invitation(driver, mailed(system, address, "undangan"), username, width)
        invite_an_officer(driver, system, width)
        driver.find_element(By.XPATH, "//button[contains(., 'Keluar')]").click()
        reset_forgotten_password(driver, system, address, width)
        log_in(driver, system, username, secret)
    except Exception:
        (ROOT / "var" / "log").mkdir(parents=True, exist_ok=True)
        driver.save_screenshot(str(ROOT / "var" / "log" / f"desk-accounts-failure-{width}.png"))
        (ROOT / "var" / "log" / f"desk-accounts-failure-{width}.html").write_text(driver.page_source)
        raise
    finally:
        driver.quit()
