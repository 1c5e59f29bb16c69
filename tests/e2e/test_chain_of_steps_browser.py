"""A case walks its chain of steps in a real browser (Debian's headless Chromium), as three officers of three
bodies and the identity custodian: during a Pilkada in Riau a named complaint about a Bengkalis civil servant
reaches Bawaslu Bengkalis, whose officer asks for the reporter's identity with a reason and a legal basis; the
custodian approves, the officer sees it once, then recommends and hands on (and may ask no more); the Kanreg
XII recommends; the BKPSDM Bengkalis records the PPK's decree with its PDF and the BAP's, whose sanitised
copies the case page then links; the Kanreg sees that its recommendation was followed. Each receiving body gets
a mail, the reporter is told which body received the identity, and the citizen's /lacak shows each hand-off in
plain words. No page scrolls sideways or logs a console error. Screenshots at 1280 and 390 px go to
docs/screenshots/steps-*.png."""
import io
import json
import time
from datetime import date, timedelta

import pikepdf
import pytest
import requests
import yaml
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as seen
from selenium.webdriver.support.select import Select
from selenium.webdriver.support.ui import WebDriverWait

from services.desk.disclosure.rules import STEP_ENDED
from tests.support.browser import (SCREENSHOTS, axe_violations, case_link, console_errors, horizontal_overflow,
                                   new_browser, on_case_page)
from tests.support.complaints import complaint, png_bytes
from tests.support.desk import fresh_code
from tests.support.desk_steps import PASSWORD, ask_identity, custodian_decides, desk_accounts, request_state
from tests.support.netra_system import netra_system
from tests.support.servers import Mailbox, body_text

pytestmark = pytest.mark.timeout(900)
OFFICERS = {"bawaslu-14.03": "rina.bawaslu", "bkn-kanreg-12": "dedi.kanreg", "bkpsdm-14.03": "yuni.bkpsdm",
            "bkn": "kustodian.netra"}
KANREG = "Kantor Regional XII BKN Pekanbaru"
REPORTER = {"name": "Siti Rahmawati", "email": "siti.pelapor@example.org", "phone": "+62 812 7777 0001",
            "address": "Jl. Sudirman No. 45, Bengkalis"}
REASON = "Registrasi laporan Pemilihan memerlukan nama dan alamat pelapor (formulir A.1)."


@pytest.fixture(scope="module")
def system(tmp_path_factory):
    """Netra with the operator's calendar: a Pilkada running in Riau, so a named complaint goes to Bawaslu."""
    today = date.today()
    calendar = {"elections": [{"id": "pilkada-riau-langkah", "kind": "pilkada", "regions": ["14"],
                               "from": (today - timedelta(days=60)).isoformat(),
                               "until": (today + timedelta(days=60)).isoformat(), "stages": [],
                               "candidate_heads": []}], "holidays": []}
    path = tmp_path_factory.mktemp("calendar") / "calendar.yaml"
    path.write_text(yaml.safe_dump(calendar))
    with netra_system(NETRA_ELECTION_CALENDAR=str(path)) as running:
        desk_accounts(running, [(unit, "kustodian" if unit == "bkn" else "petugas", username)
                                for unit, username in OFFICERS.items()])
        yield running


@pytest.fixture(scope="module")
def filed(system):
    document = {**complaint("14.03"), "reporter": REPORTER}
    answer = requests.post(f"{system.api}/complaints", data={"complaint": json.dumps(document)},
                           files=[("evidence", ("bukti.png", png_bytes(int(time.time()) % 200, 64), "image/png"))],
                           timeout=30)
    assert answer.status_code == 202, answer.text
    return answer.json()


def shoot(driver, name: str, width: int) -> None:
    driver.set_window_size(width, 900)
    height = driver.execute_script("return Math.max(document.body.scrollHeight, 600)")
    driver.set_window_size(width, min(height + 120, 7000))
    driver.execute_script("window.scrollTo(0, 0)")
    driver.save_screenshot(str(SCREENSHOTS / f"steps-{name}-{width}.png"))
    driver.set_window_size(1280, 900)


def signed_in(system, unit):
    driver = new_browser(1280)
    wait = WebDriverWait(driver, 30)
    driver.get(f"{system.desk}/masuk")
    driver.find_element(By.ID, "username").send_keys(OFFICERS[unit])
    driver.find_element(By.ID, "password").send_keys(PASSWORD)
    driver.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
    wait.until(seen.presence_of_element_located((By.ID, "totp-secret")))
    secret = driver.find_element(By.ID, "totp-secret").text.strip()
    driver.find_element(By.ID, "code").send_keys(fresh_code(secret))
    driver.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
    wait.until(seen.presence_of_element_located((By.ID, "recovery-codes")))
    driver.find_element(By.CSS_SELECTOR, "a.button").click()
    wait.until(seen.title_contains("Permintaan identitas" if unit == "bkn" else "Daftar kasus"))
    return driver


def fits(driver, width: int = 390) -> None:
    """At this width the page scrolls only downwards, and the browser's console holds no error."""
    driver.set_window_size(width, 900)
    assert horizontal_overflow(driver) <= 0, driver.current_url
    assert console_errors(driver) == [], driver.current_url
    driver.set_window_size(1280, 900)


def my_step(driver, system, tracking_code, timeout=120):
    """The case's page once this officer's unit owns its active step (the form to end it is there)."""
    deadline = time.monotonic() + timeout
    while True:
        driver.get(f"{system.desk}/")
        if case_link(driver, tracking_code):
            case_link(driver, tracking_code)[0].click()
            WebDriverWait(driver, 30).until(on_case_page(tracking_code))
            if driver.find_elements(By.ID, "complete-step"):
                return
        assert time.monotonic() < deadline, "the step never reached this unit"
        time.sleep(2)


def hand_on(driver):
    driver.find_element(By.CSS_SELECTOR, "#complete-step button.primary").click()
    WebDriverWait(driver, 30).until(lambda d: "Langkah selesai" in d.page_source or "flash error" in d.page_source)
    assert "Langkah selesai; kasus diteruskan" in driver.page_source, driver.find_element(By.TAG_NAME, "main").text


def recommend(driver, level, summary):
    Select(driver.find_element(By.ID, "recommendation")).select_by_value(level)
    driver.find_element(By.ID, "summary").send_keys(summary)
    hand_on(driver)


def a_pdf(folder, name: str, pages: int = 1) -> str:
    pdf, out = pikepdf.new(), io.BytesIO()
    for _ in range(pages):
        pdf.add_blank_page(page_size=(595, 842))
    pdf.save(out)
    path = folder / name
    path.write_bytes(out.getvalue())
    return str(path)


def copies_ready(driver) -> bool:
    """The evidence service made the sanitised copies: the case page now links them."""
    driver.refresh()
    return "Buka PDF keputusan" in driver.page_source and "Buka PDF BAP" in driver.page_source


def lacak(system, filed, width):
    driver = new_browser(width)
    driver.get(f"http://{system.env['NETRA_INTAKE_BIND']}/lacak")
    driver.find_element(By.ID, "kode").send_keys(filed["tracking_code"])
    driver.find_element(By.ID, "tanda_terima").send_keys(filed["receipt"])
    driver.find_element(By.CSS_SELECTOR, "#masuk button.utama").click()
    WebDriverWait(driver, 30).until(seen.presence_of_element_located((By.ID, "linimasa")))
    return driver


def test_three_bodies_walk_the_chain_and_the_citizen_sees_each_step(system, filed, tmp_path):
    code, mailbox = filed["tracking_code"], Mailbox()
    mailbox.wait_for(code, to="bawaslu-14.03@unit.netra.invalid", timeout=120)  # the first body's case mail
    bawaslu = signed_in(system, "bawaslu-14.03")
    my_step(bawaslu, system, code)
    case_url, case_number = bawaslu.current_url, bawaslu.find_element(By.ID, "case-number").text
    steps = bawaslu.find_element(By.ID, "steps").text
    assert "Bawaslu Kabupaten Bengkalis" in steps and KANREG in steps and "BKPSDM Kabupaten Bengkalis" in steps
    shoot(bawaslu, "bawaslu", 1280)
    identity_seen_once(system, bawaslu, case_url, case_number)
    bawaslu.get(case_url)
    recommend(bawaslu, "disiplin_sedang", "Terlapor terbukti mengunggah dukungan kepada pasangan calon.")
    assert STEP_ENDED in bawaslu.find_element(By.ID, "identity").text  # its step has ended: it may ask no more
    assert not bawaslu.find_elements(By.ID, "ask-identity")
    shoot(bawaslu, "bawaslu-diteruskan", 390)
    fits(bawaslu)
    bawaslu.quit()

    kanreg = signed_in(system, "bkn-kanreg-12")
    my_step(kanreg, system, code)
    [mail] = mailbox.wait_for(f"Kasus {case_number} diteruskan kepada Anda: langkah 2 dari 4")
    assert "bkn-kanreg-12@" in mail["To"] and "Siti" not in mail.as_string() and "siti.pelapor" not in mail.as_string()
    fits(kanreg)
    recommend(kanreg, "disiplin_sedang", "Rekomendasi BKN: hukuman disiplin sedang sesuai PP 94/2021.")

    bkpsdm = signed_in(system, "bkpsdm-14.03")
    my_step(bkpsdm, system, code)
    mailbox.wait_for(f"Kasus {case_number} diteruskan kepada Anda: langkah 3 dari 4")
    bkpsdm.find_element(By.ID, "decree_number").send_keys("800/BKPSDM/2026/117")
    bkpsdm.execute_script("arguments[0].value = arguments[1]", bkpsdm.find_element(By.ID, "decree_date"),
                          date.today().isoformat())
    Select(bkpsdm.find_element(By.ID, "decision")).select_by_value("potong_tukin_6")
    bkpsdm.find_element(By.ID, "decree_pdf").send_keys(a_pdf(tmp_path, "sk-bupati-bengkalis.pdf"))
    bkpsdm.find_element(By.ID, "bap_pdf").send_keys(a_pdf(tmp_path, "bap-pemeriksaan.pdf", pages=2))
    assert not bkpsdm.find_elements(By.CSS_SELECTOR, "#status option[value=sanksi_dijatuhkan]")  # the step decides
    shoot(bkpsdm, "bkpsdm-keputusan", 1280)
    hand_on(bkpsdm)
    assert "800/BKPSDM/2026/117" in bkpsdm.page_source
    WebDriverWait(bkpsdm, 60, poll_frequency=1).until(copies_ready)
    fits(bkpsdm)
    bkpsdm.quit()

    my_step(kanreg, system, code)
    mailbox.wait_for(f"Kasus {case_number} diteruskan kepada Anda: langkah 4 dari 4")
    followed = kanreg.find_element(By.ID, "followed").text
    assert "diikuti" in followed and "Pemotongan tunjangan kinerja 25% selama 6 bulan" in followed
    for width in (1280, 390):
        shoot(kanreg, "kanreg-pemantauan", width)
    kanreg.set_window_size(390, 900)
    assert horizontal_overflow(kanreg) <= 0 and console_errors(kanreg) == []
    assert axe_violations(kanreg) == []  # WCAG 2.2 A/AA: nothing serious or critical on the steps' page
    kanreg.quit()

    for width in (1280, 390):
        citizen = lacak(system, filed, width)
        timeline = citizen.find_element(By.ID, "linimasa").text
        for sentence in ("Kepada Bawaslu Kabupaten Bengkalis; dasar hukum: Perpu 1/2014 Pasal 134",f"Bawaslu Kabupaten Bengkalis selesai memeriksa dan meneruskan rekomendasi ke {KANREG}",
                         f"{KANREG} selesai menelaah dan meneruskan rekomendasi ke BKPSDM Kabupaten Bengkalis",
                         "BKPSDM Kabupaten Bengkalis selesai menetapkan keputusan dan meneruskan keputusan Pejabat "
                         f"Pembina Kepegawaian ke {KANREG}"):
            assert sentence in timeline, timeline
        for private in ("rina.bawaslu", "dedi.kanreg", "yuni.bkpsdm", "Terlapor terbukti", "800/BKPSDM"):
            assert private not in citizen.page_source
        assert citizen.execute_script("return document.documentElement.scrollWidth") <= width
        assert console_errors(citizen) == []
        shoot(citizen, "lacak", width)
        citizen.quit()


def identity_seen_once(system, bawaslu, case_url: str, case_number: str) -> None:
    """Bawaslu asks, the custodian approves without seeing it, the officer sees it once; the reporter is told."""
    ask_identity(bawaslu, "perpu1-2014-pasal-134", REASON)
    shoot(bawaslu, "identitas-diminta", 1280)
    fits(bawaslu)
    custodian = signed_in(system, "bkn")
    custodian_decides(custodian, system.desk, case_number, "Setujui",
                      "Alasan dan dasar hukum sesuai; disetujui untuk registrasi laporan.")
    assert REPORTER["name"] not in custodian.page_source
    shoot(custodian, "kustodian", 1280)
    fits(custodian)
    custodian.quit()
    request_id = request_state(bawaslu, case_url, "tersedia").find_element(
        By.XPATH, "./ancestor::div[contains(@class, 'disclosure')]").get_attribute("id").removeprefix("request-")
    assert REPORTER["name"] not in bawaslu.page_source
    bawaslu.find_element(By.ID, "show-identity").click()
    WebDriverWait(bawaslu, 30).until(seen.presence_of_element_located((By.ID, "identity-shown")))
    assert bawaslu.find_element(By.ID, "identity-name").text == REPORTER["name"]
    assert bawaslu.find_element(By.ID, "identity-address").text == REPORTER["address"]
    shoot(bawaslu, "identitas-sekali", 390)
    fits(bawaslu)
    shown = request_state(bawaslu, case_url, "ditampilkan", timeout=5)
    assert "Telah ditampilkan" in shown.text and REPORTER["name"] not in bawaslu.page_source
    [told] = Mailbox().wait_for(f"<disclosure-{request_id}@netra>", timeout=90)
    assert REPORTER["email"] in told["To"] and "Bawaslu Kabupaten Bengkalis" in " ".join(body_text(told).split())
    assert OFFICERS["bawaslu-14.03"] not in body_text(told)
