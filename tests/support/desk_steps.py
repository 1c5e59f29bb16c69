"""Shared by the desk's step tests (the case list's step filter, the export's step column) and its daily
browser tests: a Kanreg → PPK → Kanreg chain, the case.step_opened routing announces, and logging in from a
case's link in a real browser."""
import copy

from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as seen
from selenium.webdriver.support.ui import WebDriverWait

from tests.support.contracts import example
from tests.support.desk import fresh_code

PASSWORD = "kata-sandi-yang-panjang"
KANREG, BKPSDM = "bkn-kanreg-12", "bkpsdm-14.03"
BENGKALIS = "BKPSDM Kabupaten Bengkalis"
CHAIN = {"chain_id": "kanreg-ppk", "steps": [
    {"number": 1, "unit_id": KANREG, "name": "Kantor Regional XII BKN Pekanbaru", "task": "rekomendasi",
     "outcome": "rekomendasi", "clock": None, "basis": "Perpres 92/2024 Pasal 3-4"},
    {"number": 2, "unit_id": BKPSDM, "name": BENGKALIS, "task": "putusan", "outcome": "keputusan",
     "clock": "ppk-rekomendasi", "basis": "PP 94/2021"},
    {"number": 3, "unit_id": KANREG, "name": "Kantor Regional XII BKN Pekanbaru", "task": "pantau",
     "outcome": "hasil_pemantauan", "clock": None, "basis": "Peraturan BKN 1/2023"}]}

def opened(code, case_id, due):
    """case.step_opened as routing announces it once the Kanreg handed the case to the PPK's step."""
    event = copy.deepcopy(example("case.step_opened"))
    event["event_id"] = f"00000000-0000-5000-8000-{int(case_id[-8:], 16):012d}"
    event["payload"].update(case_id=case_id)
    event["payload"]["step"] = {**CHAIN["steps"][1], "deadline": {"clock": "ppk-rekomendasi", "due": due}}
    first = CHAIN["steps"][0]
    event["payload"]["previous"] = {"number": 1, "unit_id": KANREG, "name": first["name"], "task": first["task"],
                                    "outcome": {"kind": "rekomendasi", "recommendation": "disiplin_sedang"}}
    return event


def log_in_from(driver, url: str, username: str) -> None:
    """Opens `url` signed out, and logs in (enrolling the second factor) on the page it leads to."""
    wait = WebDriverWait(driver, 30)
    driver.get(url)
    wait.until(seen.presence_of_element_located((By.ID, "username"))).send_keys(username)
    driver.find_element(By.ID, "password").send_keys(PASSWORD)
    driver.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
    secret = wait.until(seen.presence_of_element_located((By.ID, "totp-secret"))).text.strip()
    driver.find_element(By.ID, "code").send_keys(fresh_code(secret))
    driver.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
    wait.until(seen.presence_of_element_located((By.ID, "recovery-codes")))  # shown once after enrolment
    driver.find_element(By.CSS_SELECTOR, "a.button").click()  # on to the page the login was for


def case_rows(driver) -> int:
    return len(driver.find_elements(By.CSS_SELECTOR, "#case-list tbody tr"))
