"""The case file lists every step of the case's chain, on the real PostgreSQL and MinIO: the body, when the step
opened and ended on that body's own clock, the outcome it handed on (the Kanreg's recommendation, the PPK's
decree with its number, date and sanction) and whether it kept its deadline; read back with pdftotext and
pdftoppm."""
import copy
import io
import json
import re
import subprocess
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from PIL import Image
from sqlalchemy import select

from services.desk.chain.steps import step_opened
from services.desk.tables import outbox
from tests.support.browser import SCREENSHOTS
from tests.support.complaints import screenshot
from tests.support.contracts import example
from tests.support.desk import a_pdf, complete, desk_with_a_chain, signed_in
from tests.support.migrated import migrated_database

pytestmark = pytest.mark.integration
KANREG, PPK = "bkn-kanreg-4", "bkpsdm-73.71"  # Makassar: both on WITA
KANREG_NAME, PPK_NAME = "Kantor Regional IV BKN Makassar", "BKPSDM Kota Makassar"
DECREE = "800.1.6.3/117/BKPSDM/2026"
CHAIN = {"chain_id": "kanreg-ppk", "steps": [
    {"number": 1, "unit_id": KANREG, "name": KANREG_NAME, "task": "rekomendasi", "outcome": "rekomendasi",
     "clock": None, "basis": "Perpres 92/2024 Pasal 3-4"},
    {"number": 2, "unit_id": PPK, "name": PPK_NAME, "task": "putusan", "outcome": "keputusan",
     "clock": "ppk-rekomendasi", "basis": "PP 94/2021"},
    {"number": 3, "unit_id": KANREG, "name": KANREG_NAME, "task": "pantau", "outcome": "hasil_pemantauan",
     "clock": None, "basis": "Peraturan BKN 1/2023"}]}

database_url = migrated_database("desk")


@pytest.fixture
def desk(database_url, s3):
    return desk_with_a_chain(database_url, s3, CHAIN, {"kanreg-makassar": KANREG, "ppk-makassar": PPK},
                             blob=screenshot(), region="73.71", unit_name=KANREG_NAME, stored=True)


def open_next(app, number: int, due: date) -> None:
    """case.step_opened as routing announces it after the step before was handed on."""
    with app.extensions["netra.desk"].cases.engine.connect() as conn:
        last = json.loads(conn.execute(select(outbox.c.body).where(outbox.c.event_type == "case.step_completed")
                                       .order_by(outbox.c.id.desc()).limit(1)).scalar_one())["payload"]
    event = copy.deepcopy(example("case.step_opened"))
    event["event_id"] = f"00000000-0000-5000-8000-{number:012d}"
    event["payload"].update(case_id=app.case_id, complaint_id=app.routed["complaint_id"])
    event["payload"]["step"] = {**CHAIN["steps"][number - 1], "deadline": {"clock": "ppk-rekomendasi",
                                                                           "due": due.isoformat()}}
    event["payload"]["previous"] = {"number": number - 1, "unit_id": last["unit_id"], "name": last["unit_name"],
                                    "task": last["task"], "outcome": last["outcome"]}
    step_opened(event, app.extensions["netra.desk"].cases)


def raw_text_of(pdf) -> str:
    """The words in the order the PDF writes them (cell by cell: a table's columns do not interleave)."""
    words = subprocess.run(["pdftotext", "-raw", str(pdf), "-"], check=True, capture_output=True, text=True).stdout
    return " ".join(words.split())


def pdf_page_with(pdf, text: str) -> int:
    pages = int(next(line.split()[-1] for line in subprocess.run(["pdfinfo", str(pdf)], check=True, text=True,
                                                                   capture_output=True).stdout.splitlines()
                     if line.startswith("Pages:")))
    return next(n for n in range(1, pages + 1) if text in subprocess.run(
        ["pdftotext", "-f", str(n), "-l", str(n), str(pdf), "-"], check=True, text=True, capture_output=True).stdout)


def test_the_case_file_lists_each_steps_body_times_outcome_and_deadline(desk, tmp_path):
    kanreg, ppk = signed_in(desk, "kanreg-makassar"), signed_in(desk, "ppk-makassar")
    complete(kanreg, desk.case_id, {"summary": "Terbukti mengunggah dukungan.", "recommendation": "disiplin_sedang"})
    open_next(desk, 2, date.today() + timedelta(days=10))
    decided = complete(ppk, desk.case_id, {"decree_number": DECREE, "decree_date": date.today().isoformat(),
                                           "decision": "potong_tukin_6", "summary": ""},
                       {"decree_pdf": (io.BytesIO(a_pdf()), "sk.pdf")})
    assert "Langkah selesai" in decided.text
    open_next(desk, 3, date.today() - timedelta(days=1))  # the Kanreg's check, already past a due date

    answer = kanreg.get(f"/desk/kasus/{desk.case_id}/berkas-kasus.pdf")
    assert answer.status_code == 200
    pdf = tmp_path / "berkas.pdf"
    pdf.write_bytes(answer.data)
    text = raw_text_of(pdf)
    section = text[text.index("Langkah penanganan"):text.index("5. Riwayat lengkap")]
    assert [section.index(f"{n} dari 3") for n in (1, 2, 3)] == sorted(section.index(f"{n} dari 3") for n in (1, 2, 3))
    for expected in (KANREG_NAME, PPK_NAME, "memberi rekomendasi", "memutus", "memantau tindak lanjut",
                     "Rekomendasi: Hukuman disiplin sedang (PP 94/2021).", "Terbukti mengunggah dukungan.",
                     f"tanggal {date.today().isoformat()}: Pemotongan tunjangan kinerja 25% selama 6 bulan.",
                     "tanpa tenggat", "tepat waktu", "terlambat"):
        assert expected in section, print(section)
    assert DECREE in section.replace(" ", "")
    chain = desk.extensions["netra.desk"].cases.get(desk.case_id)["chain"]
    for moment in (chain["steps"][0]["opened_at"], chain["steps"][1]["completed_at"]):
        local = datetime.fromisoformat(moment).astimezone(ZoneInfo("Asia/Makassar"))
        assert local.strftime("%d/%m/%Y %H.%M WITA") in section, moment
    assert set(re.findall(r"\d\d/\d\d/\d{4} \d\d\.\d\d (WIB|WITA|WIT)", section)) == {"WITA"}
    assert "berjalan" in section  # the open third step has not ended

    page = pdf_page_with(pdf, "Langkah penanganan")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    subprocess.run(["pdftoppm", "-png", "-r", "90", "-f", str(page), "-l", str(page), "-singlefile", str(pdf),
                    str(SCREENSHOTS / "casefile-steps")], check=True)
    assert Image.open(SCREENSHOTS / "casefile-steps.png").size == (745, 1053)  # A4 at 90 dpi
