"""Identity for those entitled, by request, in headless Chromium at 1280 and 390 px, on the running services:
a Bawaslu officer asks for the reporter's identity with a reason and a legal basis, the identity custodian
approves, the officer sees it once (a second try shows only when it was shown), the audit log shows each
access, the reporter is told by mail and on the status timeline which body received it; a refused request
shows the officer why.
Then every log line, every event on the vhost and every unit mail is scanned for the reporter's values.
Screenshots: docs/screenshots/desk-disclosure-*.png."""
import json
import time
from datetime import date, timedelta

import pytest
import requests
import yaml
from kombu import Connection, Queue
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as seen
from selenium.webdriver.support.ui import WebDriverWait

from services.common.naming import EVENTS
from services.desk.reports.audit_words import ACTIONS
from tests.support.browser import case_link, new_browser, on_case_page, shoot, styled_under_the_csp
from tests.support.complaints import complaint, png_bytes
from tests.support.desk import login
from tests.support.desk_steps import PASSWORD, ask_identity, desk_accounts, request_state
from tests.support.servers import body_text

pytestmark = pytest.mark.timeout(900)

OFFICER, CUSTODIAN = "rina.bawaslu", "kustodian.netra"
NAME, EMAIL, PHONE = "Wulandari Prameswari", "wulan.rahasia@example.org", "+62 813 5511 2299"
ADDRESS = "Jl. Cempaka Putih No. 17, Pekanbaru"
SECRETS = (NAME, EMAIL, PHONE, ADDRESS, "813 5511 2299", "81355112299", "Cempaka Putih")
BODY = "Bawaslu Kota Pekanbaru"
REASON = "Pendaftaran laporan pelanggaran memerlukan nama dan alamat pelapor (formulir A.1)."
CAPTURE = Queue("disclosure-scan.every-event", exchange=EVENTS, routing_key="#", durable=True,
                queue_arguments={"x-queue-type": "quorum"})


@pytest.fixture(scope="module")
def bawaslu_system(system, tmp_path_factory):
    """Named reports in Riau go to Bawaslu first during an election: a Pilkada around today."""
    today = date.today()
    calendar = {"elections": [{
        "id": "pilkada-riau-disclosure", "kind": "pilkada", "regions": ["14"], "stages": [], "candidate_heads": [],
        "from": (today - timedelta(days=60)).isoformat(), "until": (today + timedelta(days=60)).isoformat()}],
        "holidays": []}
    path = tmp_path_factory.mktemp("calendar") / "calendar.yaml"
    path.write_text(yaml.safe_dump(calendar))
    system.restart("routing", NETRA_ELECTION_CALENDAR=str(path))
    system.wait_ready()
    with Connection(system.amqp_url) as connection:
        CAPTURE.bind(connection.channel()).declare()
    desk_accounts(system, [("bawaslu-14.71", "kepala", OFFICER), ("bkn", "kustodian", CUSTODIAN)])
    return system


@pytest.fixture(scope="module")
def browsers(bawaslu_system):
    """One browser per person, each signed in once (password and second factor, over HTTP)."""
    drivers = {}
    for username in (OFFICER, CUSTODIAN):
        session = requests.Session()
        login(session, bawaslu_system.desk, username, PASSWORD,
              landing="Permintaan identitas pelapor" if username == CUSTODIAN else "Daftar kasus")
        driver = new_browser(1280)
        driver.get(f"{bawaslu_system.desk}/masuk")
        for cookie in session.cookies:
            driver.add_cookie({"name": cookie.name, "value": cookie.value, "path": cookie.path})
        drivers[username] = driver
    yield drivers
    for driver in drivers.values():
        driver.quit()


RECEIPTS = {}


def file_named_case(system, seed: int) -> str:
    document = {**complaint(region_code="14.71", category="hadir_kampanye"),
                "reporter": {"name": NAME, "email": EMAIL, "phone": PHONE, "address": ADDRESS}}
    answer = requests.post(f"{system.api}/complaints", data={"complaint": json.dumps(document)},
                           files=[("evidence", ("bukti.png", png_bytes(seed, 64), "image/png"))], timeout=30)
    assert answer.status_code == 202, answer.text
    RECEIPTS[answer.json()["tracking_code"]] = answer.json()["receipt"]
    return answer.json()["tracking_code"]


def at_width(driver, width: int) -> None:
    driver.set_window_size(width, 900)


def open_case(driver, system, tracking_code):
    deadline = time.monotonic() + 120
    driver.get(f"{system.desk}/")
    while not case_link(driver, tracking_code):
        assert time.monotonic() < deadline, f"{tracking_code} never reached Bawaslu's desk"
        time.sleep(1)
        driver.get(f"{system.desk}/")
    case_link(driver, tracking_code)[0].click()
    WebDriverWait(driver, 30).until(on_case_page(tracking_code))
    return driver.current_url


def ask(driver, system, tracking_code) -> str:
    url = open_case(driver, system, tracking_code)
    ask_identity(driver, "uu7-2017-pasal-454", REASON)
    return url


def decide(driver, system, tracking_code, decision: str, reason: str, shot: str | None) -> None:
    driver.get(f"{system.desk}/kustodian")
    styled_under_the_csp(driver)
    [entry] = driver.find_elements(By.CSS_SELECTOR, "#waiting .disclosure")  # each request is decided at once
    assert REASON in entry.text and NAME not in driver.page_source  # the custodian decides without the identity
    if shot:
        shoot(driver, shot, driver.get_window_size()["width"])
    entry.find_element(By.TAG_NAME, "textarea").send_keys(reason)
    entry.find_element(By.XPATH, f".//button[normalize-space()='{decision}']").click()
    WebDriverWait(driver, 30).until(seen.presence_of_element_located((By.CSS_SELECTOR, ".flash.ok")))


def second_view(driver, system, request_id: str) -> str:
    """The one-view form posted again from the case page, as a copied form would: only when it was shown."""
    driver.execute_script(
        "const form = document.createElement('form'); form.method = 'post'; form.action = arguments[0];"
        "const csrf = document.createElement('input'); csrf.name = 'csrf_token';"
        "csrf.value = document.querySelector('input[name=csrf_token]').value; form.appendChild(csrf);"
        "document.body.appendChild(form); form.submit();", f"{system.desk}/identitas/{request_id}/tampilkan")
    WebDriverWait(driver, 30).until(seen.presence_of_element_located((By.CSS_SELECTOR, ".flash.error")))
    return driver.find_element(By.CSS_SELECTOR, ".flash.error").text


@pytest.mark.parametrize("width", [1280, 390])
def test_bawaslu_asks_the_custodian_approves_the_officer_sees_the_identity_once(bawaslu_system, browsers, mailbox,
                                                                                width):
    system, officer, custodian = bawaslu_system, browsers[OFFICER], browsers[CUSTODIAN]
    at_width(officer, width), at_width(custodian, width)
    tracking_code = file_named_case(system, 40 + width % 7)
    url = ask(officer, system, tracking_code)
    shoot(officer, f"disclosure-asked-{width}", width)
    decide(custodian, system, tracking_code, "Setujui", "Dasar hukum dan alasan sesuai; disetujui untuk registrasi.",
           f"disclosure-custodian-{width}")
    request_state(officer, url, "tersedia")
    request_id = officer.find_element(By.CSS_SELECTOR, ".disclosure").get_attribute("id").removeprefix("request-")
    assert NAME not in officer.page_source
    officer.find_element(By.ID, "show-identity").click()
    WebDriverWait(officer, 30).until(seen.presence_of_element_located((By.ID, "identity-shown")))
    assert officer.find_element(By.ID, "identity-name").text == NAME
    assert officer.find_element(By.ID, "identity-address").text == ADDRESS
    assert officer.find_element(By.ID, "identity-email").text == EMAIL
    assert officer.find_element(By.ID, "identity-phone").text == PHONE
    assert not [value for value in SECRETS if value in officer.current_url]  # the request id only
    shoot(officer, f"disclosure-identity-{width}", width)

    shown = request_state(officer, url, "ditampilkan", timeout=5)
    assert "Telah ditampilkan" in shown.text and NAME not in officer.page_source
    assert not officer.find_elements(By.ID, "show-identity")
    shoot(officer, f"disclosure-shown-{width}", width)
    assert "telah ditampilkan pada" in second_view(officer, system, request_id)
    assert NAME not in officer.page_source and not officer.find_elements(By.ID, "identity-shown")

    officer.get(f"{system.desk}/audit")
    audit = officer.find_element(By.TAG_NAME, "main").text
    for action in ("identity.requested", "identity.approved", "identity.released", "identity.shown",
                   "identity.view_refused"):
        assert ACTIONS[action] in audit, action  # the audit log reads in words
    [told] = mailbox.wait_for(f"<disclosure-{request_id}@netra>", timeout=90)
    text = " ".join(body_text(told).split())
    assert EMAIL in told["To"] and BODY in text and "UU 7/2017 Pasal 454" in text
    assert OFFICER not in text and CUSTODIAN not in text
    status = requests.get(f"{system.api}/complaints/{tracking_code}", headers={"X-Receipt": RECEIPTS[tracking_code]},
                          timeout=30).json()
    [entry] = [e for e in status["timeline"] if e["status"] == "identity_disclosed"]
    assert BODY in entry["detail"] and OFFICER not in json.dumps(status) and NAME not in json.dumps(status)


def test_a_refused_request_tells_the_officer_why(bawaslu_system, browsers):
    system, officer, custodian = bawaslu_system, browsers[OFFICER], browsers[CUSTODIAN]
    at_width(officer, 1280), at_width(custodian, 1280)
    tracking_code = file_named_case(system, 77)
    url = ask(officer, system, tracking_code)
    why = "Alasan belum menunjukkan laporan akan diregistrasi; lengkapi nomor penerimaan laporan."
    decide(custodian, system, tracking_code, "Tolak", why, None)
    refused = request_state(officer, url, "ditolak", timeout=10)
    assert why in refused.text and NAME not in officer.page_source
    for width in (1280, 390):
        at_width(officer, width)
        officer.get(url)
        shoot(officer, f"disclosure-refused-{width}", width)


def test_the_reporters_values_are_in_no_log_event_or_unit_mail(bawaslu_system, browsers, mailbox):
    """Run after the flows above (same module): every log line, every event, every unit mail, by value."""
    system = bawaslu_system
    events = []
    with Connection(system.amqp_url) as connection:
        queue = CAPTURE.bind(connection.channel())
        while (message := queue.get(no_ack=True)) is not None:
            events.append(message.body if isinstance(message.body, str) else message.body.decode("utf-8", "replace"))
    types = {json.loads(body)["event_type"] for body in events}
    assert {"identity.disclosure_approved", "identity.disclosed"} <= types, types
    logs = {path.name: path.read_text(errors="replace") for path in system.log_dir.glob("*.log")}
    unit_mails = [m.as_string() + body_text(m) for m in mailbox.messages() if EMAIL not in (m["To"] or "")]
    assert unit_mails and logs
    for secret in SECRETS:
        assert not [name for name, text in logs.items() if secret in text], secret
        assert not [body for body in events if secret in body], secret
        assert not [mail for mail in unit_mails if secret in mail], secret
