"""The case file for hearings on the real PostgreSQL and MinIO: downloaded from the desk by an officer of one
of the case's units, rendered by WeasyPrint, read back with poppler (pdftotext, pdfimages, pdftoppm) the way a
hearing reads it, and audited with the PDF's own SHA-256."""
import hashlib
import io
import re
import subprocess
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from PIL import Image

from services.common.storage import EVIDENCE_BUCKET, create_bucket_once
from services.desk.accounts import accounts as acc
from services.desk.cases import casework
from services.desk.cases.arrivals import case_arrived
from services.desk.cases.lifecycle import Move
from tests.support.system import ROOT
from tests.support.desk import desk_app, FlaskBrowser, login, routed
from tests.support.complaints import screenshot
from tests.support.migrated import migrated_database

pytestmark = pytest.mark.integration
PASSWORD = "kata-sandi-yang-panjang"
UNIT, COPY = "bkpsdm-73.71", "bawaslu-73.71"  # Kota Makassar: WITA
DECREE = "800.1.6.3/112/BKPSDM/2026"
database_url = migrated_database("desk")  # services never create their tables
SCREENSHOTS = ROOT / "docs" / "screenshots"


@pytest.fixture
def desk(database_url, s3):
    create_bucket_once(s3, EVIDENCE_BUCKET, object_lock=True)
    app = desk_app(database_url, s3)
    service = app.extensions["netra.desk"]
    blob = screenshot()
    event = routed(UNIT, "73.71", blob)
    payload = event["payload"]
    payload.pop("chain")  # a case without a chain of steps: its sanction is a status move
    payload["units"]["primary"]["name"] = "BKPSDM Kota Makassar"
    payload["units"]["copies"] = [{"unit_id": COPY, "name": "Bawaslu Kota Makassar"}]
    payload["subject"].update(name="Andi Saputra", agency="Dinas Pendidikan Kota Makassar")
    payload["violation"].update(location="Makassar", post_urls=["https://www.facebook.com/andi.saputra/posts/123"],
                                description="Mengunggah ajakan memilih pasangan calon wali kota nomor 2.")
    s3.put_object(EVIDENCE_BUCKET, payload["files"][0]["sanitised"]["key"], io.BytesIO(blob), len(blob))
    case_arrived(event, service.cases)
    case_id = payload["case_id"]
    for username, unit, role in (("petugas-makassar", UNIT, "petugas"), ("bawaslu-makassar", COPY, "petugas"),
                                 ("petugas-bengkalis", "bkpsdm-14.03", "petugas"), ("pengawas.bkn", "bkn", "pengawas")):
        acc.new_account(service.accounts, service.units, username, unit, role, PASSWORD)
    officer = acc.staff_of(service.accounts.by_username("petugas-makassar"))
    for target, details in (("diverifikasi", {}), ("dalam_pemeriksaan", {}), ("direkomendasikan", {}),
                            ("sanksi_dijatuhkan", {"decree_number": DECREE, "decree_date": "2026-12-01",
                                                   "sanction_kind": "disiplin_sedang"})):
        casework.move_case(service.cases, case_id, officer,
                           Move(target, "petugas-makassar", "petugas", f"Catatan {target}.", None, details))
    app.case, app.routed = service.cases.get(case_id), payload
    return app


def download(app, username):
    browser = FlaskBrowser(app.test_client())
    login(browser, "/desk", username, PASSWORD)
    return browser.get(f"/desk/kasus/{app.case['case_id']}/berkas-kasus.pdf")


def text_of(pdf: Path) -> str:
    """The words in reading order, each run of white space (line ends too) one space."""
    words = subprocess.run(["pdftotext", str(pdf), "-"], check=True, capture_output=True, text=True).stdout
    return " ".join(words.split())


def test_the_case_file_holds_the_case_for_a_hearing_and_each_download_is_audited(desk, tmp_path):
    answer = download(desk, "bawaslu-makassar")  # a unit in copy may print it too
    assert answer.status_code == 200 and answer.mimetype == "application/pdf"
    case, payload = desk.case, desk.routed
    assert f'filename="berkas-{case["case_number"]}.pdf"' in answer.headers["Content-Disposition"]
    pdf = tmp_path / "berkas.pdf"
    pdf.write_bytes(answer.data)
    text = text_of(pdf)

    original, copy_ = payload["files"][0]["sha256"], payload["files"][0]["sanitised"]["sha256"]
    for expected in (case["case_number"], case["tracking_code"], "BKPSDM Kota Makassar", "Bawaslu Kota Makassar",
                     payload["subject"]["name"], payload["subject"]["nip"], "Pasal 5 huruf n",
                     "Hukuman disiplin sedang", "Direkomendasikan", "Catatan direkomendasikan.", "Dalam pemeriksaan",
                     "Kota Makassar (73.71)",
                     "identitas disegel", f"Berkas kasus {case['case_number']}", "Halaman 1 dari"):
        assert expected in text, expected
    for unbroken in (DECREE, original, copy_):  # a narrow column may break these across lines
        assert unbroken in text.replace(" ", ""), unbroken
    times = re.findall(r"\d\d/\d\d/\d{4} \d\d\.\d\d (WIB|WITA|WIT)", text)
    assert len(times) >= 6 and set(times) == {"WITA"}, times
    assert case["received_at"].astimezone(ZoneInfo("Asia/Makassar")).strftime("%d/%m/%Y %H.%M WITA") in text
    assert "siti" not in text.lower() and "@example" not in text

    images = subprocess.run(["pdfimages", "-list", str(pdf)], check=True, capture_output=True, text=True).stdout
    assert len(images.splitlines()[2:]) == 1 and " 480 " in images.splitlines()[2], images
    subprocess.run(["pdftoppm", "-png", "-r", "60", str(pdf), str(tmp_path / "page")], check=True)
    pages = sorted(tmp_path.glob("page-*.png"))
    assert pages and all(Image.open(page).size == (497, 702) for page in pages)  # A4 at 60 dpi
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)  # the README's page: the first, as a printer gets it
    subprocess.run(["pdftoppm", "-png", "-r", "90", "-f", "1", "-l", "1", "-singlefile", str(pdf),
                    str(SCREENSHOTS / "desk-case-file-page1")], check=True)

    [line] = [line for line in desk.extensions["netra.desk"].audit.for_unit(COPY)
              if line["action"] == "case.file_exported"]
    assert line["actor"] == "bawaslu-makassar" and line["case_id"] == case["case_id"]
    assert f"sha256={hashlib.sha256(answer.data).hexdigest()}" in line["detail"]


@pytest.mark.parametrize("username", ["petugas-bengkalis", "pengawas.bkn"])
def test_an_officer_of_no_unit_of_the_case_gets_404_and_nothing_is_audited(desk, username):
    assert download(desk, username).status_code == 404
    lines = desk.extensions["netra.desk"].audit.for_unit(UNIT)
    assert not [line for line in lines if line["action"] == "case.file_exported"]


def test_the_case_page_offers_the_download_only_to_officers_of_the_case_s_units(desk):
    for username, offered in (("petugas-makassar", True), ("pengawas.bkn", False)):
        browser = FlaskBrowser(desk.test_client())
        login(browser, "/desk", username, PASSWORD)
        page = browser.get(f"/desk/kasus/{desk.case['case_id']}").text
        assert ('id="case-file"' in page) is offered, username
