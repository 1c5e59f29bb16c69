"""Shared by the desk's step tests (the case list's step filter, the export's step column) and its daily
browser tests: a Kanreg → PPK → Kanreg chain, the case.step_opened routing announces, and logging in from a
case's link in a real browser; for the browser walks on running services: officers' accounts made with the
operator's command, and asking the identity custodian for a reporter's identity."""
import copy
import subprocess
import time

from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as seen
from selenium.webdriver.support.ui import Select, WebDriverWait

from tests.support.contracts import example
from tests.support.desk import PASSWORD, fresh_code
from tests.support.system import VENV_BIN

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


def desk_accounts(system, accounts) -> None:
    """Each (unit, role, username) made as the operator makes it: services.desk.cli, the password typed."""
    env = {**system.env, "NETRA_DATABASE_URL": system.database_urls["desk"]}
    for unit, role, username in accounts:
        made = subprocess.run([str(VENV_BIN / "python"), "-m", "services.desk.cli", "create-account", "--unit", unit,
                               "--role", role, "--username", username], env=env, input=PASSWORD + "\n",
                              capture_output=True, text=True, timeout=60)
        assert made.returncode == 0, made.stderr


def ask_identity(driver, basis: str, reason: str) -> None:
    """On the case page: the reporter's identity asked for, with a legal basis and a reason."""
    Select(driver.find_element(By.ID, "legal_basis")).select_by_value(basis)
    driver.find_element(By.ID, "disclosure_reason").send_keys(reason)
    button = driver.find_element(By.CSS_SELECTOR, "#ask-identity button[type=submit]")
    button.click()
    # The answer is a new page: wait for the old one to go before reading the new one's section (Chromium
    # refuses to read a node of a page that is being replaced).
    WebDriverWait(driver, 30).until(seen.staleness_of(button))
    WebDriverWait(driver, 30).until(seen.text_to_be_present_in_element((By.ID, "identity"), "Menunggu keputusan"))


def custodian_decides(driver, desk_url: str, case_number: str, decision: str, reason: str) -> None:
    """On /desk/kustodian: the waiting request of this case decided (Setujui or Tolak) with a reason."""
    driver.get(f"{desk_url}/kustodian")
    [entry] = [e for e in driver.find_elements(By.CSS_SELECTOR, "#waiting .disclosure") if case_number in e.text]
    entry.find_element(By.TAG_NAME, "textarea").send_keys(reason)
    entry.find_element(By.XPATH, f".//button[normalize-space()='{decision}']").click()
    WebDriverWait(driver, 30).until(seen.presence_of_element_located((By.CSS_SELECTOR, ".flash.ok")))


def request_state(driver, url: str, state: str, timeout: float = 90):
    """The officer's request on the case page once it reached `state` (e.g. tersedia, once intake released it)."""
    deadline = time.monotonic() + timeout
    while True:
        driver.get(url)
        found = driver.find_elements(By.CSS_SELECTOR, f".disclosure-state[data-state='{state}']")
        if found:
            return found[0]
        assert time.monotonic() < deadline, f"the request never reached {state}"
        time.sleep(1)
