"""The citizen follows their complaint on /lacak in a real browser (Debian's headless Chromium through
Selenium) at 1280 px and 360 px: log in with code and receipt, read the timeline and a unit's public note,
read the unit's question and answer it, and the desk shows the answer; add an evidence file, and the desk
shows its sanitised copy on the case. A wrong receipt gets the same page
as an unknown code. No horizontal scroll at 360 px; axe-core finds no serious or critical violation.
Screenshots go to docs/screenshots/lacak-*.png."""
import hashlib
import json
import re
import struct
import zlib
import subprocess
import time

import pytest
import requests
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as seen
from selenium.webdriver.support.ui import WebDriverWait

from tests.support.browser import axe_violations, new_browser, small_targets
from tests.support.complaints import complaint, png_bytes
from tests.support.desk import login, token
from tests.support.servers import Mailbox
from tests.support.system import ROOT, VENV_BIN

PASSWORD = "kata-sandi-yang-panjang"
SHOTS = ROOT / "docs" / "screenshots"
QUESTION = "Mohon kirimkan tautan lengkap unggahan dan tanggal unggahannya."
ANSWER = "Tautannya https://www.facebook.com/budi/posts/1, diunggah 2 November pukul 20.14."
NOTE = "Laporan Anda sudah diverifikasi oleh Kantor Regional XII BKN."


@pytest.fixture(scope="module")
def case(system):
    """A complaint filed over the API, verified by the unit with a public note and a question asked."""
    env = {**system.env, "NETRA_DATABASE_URL": system.database_urls["desk"]}
    made = subprocess.run([str(VENV_BIN / "python"), "-m", "services.desk.cli", "create-account", "--unit",
                           "bkn-kanreg-12", "--role", "petugas", "--username", "lacak.petugas"], env=env,
                          input=PASSWORD + "\n", capture_output=True, text=True, timeout=60)
    assert made.returncode == 0, made.stderr
    filed = requests.post(f"{system.api}/complaints", data={"complaint": json.dumps(complaint("14.03"))},
                          files=[("evidence", ("bukti.png", png_bytes(int(time.time()) % 200), "image/png"))],
                          timeout=30)
    assert filed.status_code == 202, filed.text
    desk = requests.Session()
    login(desk, system.desk, "lacak.petugas", PASSWORD)
    case_id = wait_for(lambda: next((c["case_id"] for c in desk.get(f"{system.desk}/api/v1/cases", timeout=5).json()
                                     if c["tracking_code"] == filed.json()["tracking_code"]), None))
    csrf = token(desk.get(f"{system.desk}/kasus/{case_id}", timeout=5))
    moved = desk.post(f"{system.desk}/api/v1/cases/{case_id}/moves", headers={"X-CSRFToken": csrf}, timeout=10,
                      json={"status": "diverifikasi", "file_note": "cek", "public_note": NOTE})
    assert moved.status_code == 201, moved.text
    asked = desk.post(f"{system.desk}/kasus/{case_id}/pertanyaan", timeout=10,
                      data={"csrf_token": csrf, "question": QUESTION})
    assert "Pertanyaan dikirim" in asked.text
    return {**filed.json(), "case_id": case_id, "desk": desk}


def wait_for(probe, timeout=90, every=0.5):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if found := probe():
            return found
        time.sleep(every)
    raise AssertionError("not within the time allowed")


def shoot(driver, name: str, width: int) -> None:
    height = driver.execute_script("return Math.max(document.body.scrollHeight, 600)")
    driver.set_window_size(width, min(height + 120, 6000))
    driver.execute_script("window.scrollTo(0, 0)")
    driver.save_screenshot(str(SHOTS / f"lacak-{name}.png"))
    driver.set_window_size(width, 900)


def open_case(driver, system, code, receipt):
    driver.get(f"http://{system.env['NETRA_INTAKE_BIND']}/lacak")
    assert "tanda_terima" not in driver.current_url
    driver.find_element(By.ID, "kode").send_keys(code)
    driver.find_element(By.ID, "tanda_terima").send_keys(receipt)
    driver.find_element(By.CSS_SELECTOR, "#masuk button.utama").click()
    WebDriverWait(driver, 30).until(seen.presence_of_element_located((By.TAG_NAME, "h1")))
    assert receipt not in driver.current_url and driver.current_url.endswith("/lacak")


def check_page(driver, width: int) -> None:
    assert driver.execute_script("return document.documentElement.scrollWidth") <= width
    assert axe_violations(driver) == []
    assert small_targets(driver) == []  # every control at least 24 × 24 px
    assert driver.execute_script("return axe.version") == "4.10.3"
    assert [a.get_attribute("href").rsplit("/", 1)[1] for a in driver.find_elements(By.CSS_SELECTOR, ".kaki nav a")] \
        == ["", "lacak", "privasi"]


@pytest.mark.parametrize("width", [1280, 360])
def test_the_citizen_follows_answers_and_the_desk_sees_the_answer(system, case, width, tmp_path):
    driver = new_browser(width)
    try:
        driver.get(f"http://{system.env['NETRA_INTAKE_BIND']}/lacak")
        check_page(driver, width)
        shoot(driver, f"masuk-{width}", width)

        def question_shown():
            open_case(driver, system, case["tracking_code"], case["receipt"])
            return QUESTION in driver.page_source and NOTE in driver.page_source
        wait_for(question_shown, every=2)  # within the per-client rate limit
        timeline = driver.find_element(By.ID, "linimasa").text
        assert "Pengaduan diterima" in timeline and "Diverifikasi" in timeline and NOTE in timeline
        assert re.search(r"\d\d/\d\d/\d{4} \d\d\.\d\d WIB", timeline) and "UTC" not in timeline  # Riau's zone
        check_page(driver, width)
        if width == 1280:
            shoot(driver, f"kasus-{width}", width)
            driver.find_element(By.CSS_SELECTOR, ".pertanyaan textarea").send_keys(ANSWER)
            driver.find_element(By.CSS_SELECTOR, ".pertanyaan button").click()
            WebDriverWait(driver, 30).until(seen.presence_of_element_located((By.ID, "pemberitahuan")))
            assert "Jawaban Anda terkirim" in driver.page_source and ANSWER in driver.page_source
            check_page(driver, width)
            shoot(driver, f"terjawab-{width}", width)
            page = wait_for(lambda: (p := case["desk"].get(f"{system.desk}/kasus/{case['case_id']}", timeout=5).text)
                            and ANSWER in p and p)
            assert "Jawaban pelapor" in page
            told = Mailbox().wait_for(f"Pelapor menjawab pertanyaan unit: kasus {case['tracking_code']}")
            body = told[0].get_payload(decode=True).decode("utf-8")  # quoted-printable wraps long lines
            assert f"/desk/kasus/{case['case_id']}" in body and "Tautannya" not in body and "budi" not in body
            add_evidence(driver, system, case, tmp_path)
        else:
            shoot(driver, f"kasus-{width}", width)
    finally:
        driver.quit()


SECRET_TEXT = b"Pelapor Rahasia"


def png_with_metadata() -> bytes:
    """A real PNG carrying a tEXt chunk with the reporter's name, which the sanitised copy must drop."""
    png = png_bytes(77)
    text = b"Author\x00" + SECRET_TEXT
    chunk = struct.pack(">I", len(text)) + b"tEXt" + text + struct.pack(">I", zlib.crc32(b"tEXt" + text))
    return png[:33] + chunk + png[33:]  # after the signature and IHDR


def add_evidence(driver, system, case, tmp_path) -> None:
    """The citizen adds a file on /lacak; the desk lists it on the case and serves the sanitised copy."""
    upload = tmp_path / "tangkapan-tambahan.png"
    upload.write_bytes(png_with_metadata())
    driver.find_element(By.ID, "bukti").send_keys(str(upload))
    answered = driver.find_element(By.ID, "pemberitahuan")  # the notice of the answer sent before
    driver.find_element(By.CSS_SELECTOR, "#form-bukti button").click()
    WebDriverWait(driver, 30).until(seen.staleness_of(answered))  # the upload's own page, not the last one
    WebDriverWait(driver, 30).until(seen.presence_of_element_located((By.ID, "pemberitahuan")))
    assert "1 berkas bukti terkirim" in driver.page_source
    assert "Pelapor menambahkan bukti" in driver.find_element(By.ID, "linimasa").text
    check_page(driver, 1280)
    shoot(driver, "bukti-1280", 1280)
    desk, case_url = case["desk"], f"{system.desk}/kasus/{case['case_id']}"
    page = wait_for(lambda: (p := desk.get(case_url, timeout=5).text) and "Buka berkas 2" in p and p)
    assert "Pelapor menambahkan bukti" in page and page.count("salinan tanpa metadata") == 2
    served = desk.get(f"{case_url}/bukti/1", timeout=10)
    assert served.status_code == 200 and served.content.startswith(b"\x89PNG")
    assert SECRET_TEXT not in served.content and served.content != upload.read_bytes()
    assert hashlib.sha256(served.content).hexdigest() in page


def test_a_wrong_receipt_gets_the_same_page_as_an_unknown_code(system, case):
    lacak, session = f"http://{system.env['NETRA_INTAKE_BIND']}/lacak", requests.Session()
    form_token = re.search(r'name="token" value="([^"]+)"', session.get(lacak, timeout=5).text).group(1)
    wrong = session.post(lacak, data={"token": form_token, "kode": case["tracking_code"], "tanda_terima": "salah"},
                         headers={"Origin": lacak.removesuffix("/lacak")}, timeout=5)
    unknown = session.post(lacak, data={"token": form_token, "kode": "NTR-0000-0000", "tanda_terima": "salah"},
                           headers={"Origin": lacak.removesuffix("/lacak")}, timeout=5)
    assert wrong.status_code == unknown.status_code == 404
    assert wrong.text == unknown.text.replace("NTR-0000-0000", case["tracking_code"])
    driver = new_browser(360)
    try:
        open_case(driver, system, case["tracking_code"], "salah")
        assert "tidak cocok" in driver.find_element(By.ID, "galat").text
        check_page(driver, 360)
        shoot(driver, "salah-360", 360)
    finally:
        driver.quit()
