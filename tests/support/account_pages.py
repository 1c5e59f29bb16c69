"""The desk's account pages as a person uses them in the browser: an invitation's link from the mailbox,
accepting it with TOTP and recovery codes, a reset of a forgotten password, a login; each page checked
(styled under the CSP, axe, no sideways scrolling) and shot at its width."""
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as seen
from selenium.webdriver.support.ui import WebDriverWait

from tests.support.account_links import LINK
from tests.support.browser import axe_violations, horizontal_overflow, shoot, styled_under_the_csp
from tests.support.desk import fresh_code
from tests.support.servers import Mailbox, body_text

PASSWORD, NEW_PASSWORD = "kata-sandi-yang-panjang", "kata-sandi-baru-yang-panjang"


def mailed(system, to: str, path: str) -> str:
    """The link in the newest mail to `to` that points at this system's desk."""
    prefix = f"{system.env['NETRA_DESK_URL']}/desk/{path}/"
    mail = [m for m in Mailbox().wait_for(prefix) if m["To"] == to][-1]
    return LINK.search(body_text(mail)).group(1)


def checked(driver, name: str, width: int) -> None:
    """Styled under the CSP, no serious axe finding, nothing wider than the screen; then the screenshot."""
    styled_under_the_csp(driver)
    assert axe_violations(driver) == [], name
    assert horizontal_overflow(driver) <= 0, name
    shoot(driver, f"{name}-{width}", width)


def accept_invitation(driver, link: str, username: str, width: int) -> str:
    wait = WebDriverWait(driver, 30)
    driver.get(link)
    driver.find_element(By.ID, "name").send_keys("Rina Marlina")
    driver.find_element(By.ID, "username").send_keys(username)
    for field in ("password", "confirm"):
        driver.find_element(By.ID, field).send_keys(PASSWORD)
    checked(driver, "accept", width)
    driver.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
    secret = wait.until(seen.presence_of_element_located((By.ID, "totp-secret"))).text.strip()
    driver.find_element(By.ID, "code").send_keys(fresh_code(secret))
    driver.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
    codes = wait.until(seen.presence_of_element_located((By.ID, "recovery-codes"))).text.split()
    assert len(codes) == 8
    checked(driver, "recovery", width)
    driver.find_element(By.CSS_SELECTOR, "a.button").click()
    wait.until(seen.title_contains("Daftar kasus"))
    return secret


def reset_forgotten_password(driver, system, address: str, width: int) -> None:
    wait = WebDriverWait(driver, 30)
    driver.get(f"{system.desk}/masuk")
    driver.find_element(By.LINK_TEXT, "Lupa kata sandi?").click()
    driver.find_element(By.ID, "email").send_keys(address)
    driver.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
    wait.until(seen.presence_of_element_located((By.CSS_SELECTOR, ".flash.ok")))
    checked(driver, "forgot", width)
    driver.get(mailed(system, address, "masuk/atur-ulang"))
    for field in ("password", "confirm"):
        driver.find_element(By.ID, field).send_keys(NEW_PASSWORD)
    checked(driver, "reset", width)
    driver.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
    wait.until(seen.text_to_be_present_in_element((By.CSS_SELECTOR, ".flash.ok"), "Kata sandi diganti"))


def log_in(driver, system, username: str, secret: str) -> None:
    driver.find_element(By.ID, "username").send_keys(username)
    driver.find_element(By.ID, "password").send_keys(NEW_PASSWORD)
    driver.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
    WebDriverWait(driver, 30).until(seen.presence_of_element_located((By.ID, "code"))).send_keys(fresh_code(secret))
    driver.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
    WebDriverWait(driver, 30).until(seen.title_contains("Daftar kasus"))
