"""The figures page per step and per body on the real PostgreSQL and MinIO: cases counted by the current step of
their chain, and per body that owned a step its cases, running steps and on-time rate against each step's own
deadline; the same numbers in the CSV export."""
import csv
import io
from datetime import date, timedelta

import pytest
from lxml import html

from services.common.storage import EVIDENCE_BUCKET, create_bucket_once
from services.desk.accounts import accounts as acc
from services.desk.cases.arrivals import case_arrived
from services.desk.chain.steps import step_opened
from tests.support.complaints import png_bytes
from tests.support.contracts import example
from tests.support.desk import a_pdf, complete, desk_app, routed, signed_in
from tests.support.desk_steps import BENGKALIS, BKPSDM, CHAIN, KANREG, PASSWORD
from tests.support.desk_steps import opened as ppk_opened
from tests.support.migrated import migrated_database

pytestmark = pytest.mark.integration
KANREG_NAME = CHAIN["steps"][0]["name"]

database_url = migrated_database("desk")


def arrived(service, n: int, chain: dict | None) -> tuple[str, str]:
    event = routed(KANREG, "14.03", png_bytes(seed=90 + n))
    event["payload"]["units"]["primary"]["name"] = KANREG_NAME
    event["payload"]["chain"] = chain  # None: a single step, as routed before chains
    case_arrived(event, service.cases)
    return event["payload"]["tracking_code"], event["payload"]["case_id"]


def monitoring_opened(case_id: str) -> dict:
    """case.step_opened of the Kanreg's check, after the PPK's decision; no statutory clock."""
    event = example("case.step_opened")
    event = {**event, "event_id": f"00000000-0000-5000-8000-{int(case_id[-8:], 16) + 1:012d}",
             "payload": {**event["payload"], "case_id": case_id, "step": {**CHAIN["steps"][2], "deadline": None},
                         "previous": {"number": 2, "unit_id": BKPSDM, "name": BENGKALIS, "task": "putusan",
                                      "outcome": {"kind": "keputusan", "decision": "teguran_tertulis"}}}}
    return event


@pytest.fixture
def desk(database_url, s3):
    """Five cases of the Kanreg: one at its own step, two at the PPK (one past its due date), one whose PPK
    decided on time and is back at the Kanreg's check, and one without a chain."""
    create_bucket_once(s3, EVIDENCE_BUCKET, object_lock=True)
    app = desk_app(database_url, s3)
    service = app.extensions["netra.desk"]
    for username, unit in (("petugas.kanreg", KANREG), ("petugas.bkpsdm", BKPSDM)):
        acc.new_account(service.accounts, service.units, username, unit, "petugas", PASSWORD)
    cases = [arrived(service, n, CHAIN if n < 4 else None) for n in range(5)]
    today = date.today()
    for (code, case_id), due in zip(cases[1:4], (today + timedelta(days=9), today - timedelta(days=2),
                                                 today + timedelta(days=9))):
        step_opened(ppk_opened(code, case_id, due.isoformat()), service.cases)
    app.ppk = signed_in(app, "petugas.bkpsdm")
    decided = complete(app.ppk, cases[3][1], {
        "decree_number": "800/BKPSDM/2026/9", "decree_date": today.isoformat(), "decision": "teguran_tertulis",
        "summary": ""}, {"decree_pdf": (io.BytesIO(a_pdf()), "sk.pdf")})
    assert "Langkah selesai" in decided.text
    step_opened(monitoring_opened(cases[3][1]), service.cases)
    return app


def table(page, section: str) -> dict[str, list[str]]:
    tree = html.fromstring(page.text)
    return {row[0].text_content().strip(): [cell.text_content().strip() for cell in row[1:]]
            for row in tree.xpath(f'//section[@id="{section}"]//tbody/tr') if len(row) > 1}


def test_the_kanreg_reads_its_cases_per_step_and_each_bodys_cases_and_on_time_steps(desk):
    kanreg = signed_in(desk, "petugas.kanreg")
    page = kanreg.get("/desk/angka")
    assert page.status_code == 200
    assert table(page, "per-step") == {
        "Bawaslu memeriksa": ["0"], "Kanreg merekomendasikan": ["1"], "PPK memutus": ["2"],
        "Kanreg memantau": ["1"], "Semua langkah selesai": ["0"], "Tanpa rangkaian langkah": ["1"]}
    # cases, running steps, steps judged against their due date, on time: the Kanreg's own steps have no
    # statutory clock; the PPK kept one deadline and is past another
    assert table(page, "step-bodies") == {KANREG_NAME: ["4", "2", "0", "—"], BENGKALIS: ["3", "2", "2", "1 (50%)"]}
    assert kanreg.get("/desk/angka/grafik/step.svg").mimetype == "image/svg+xml"

    answer = kanreg.get("/desk/angka/unduh?format=csv")
    rows = list(csv.reader(io.StringIO(answer.data.decode("utf-8-sig"))))
    assert ["Langkah saat ini", "putusan", "PPK memutus", "2"] in rows
    assert ["Kasus per instansi langkah", BKPSDM, BENGKALIS, "3"] in rows
    assert ["Ketepatan waktu langkah", BKPSDM, BENGKALIS, "2", "1", "50.0"] in rows
    assert ["Ketepatan waktu langkah", KANREG, KANREG_NAME, "0", "0", ""] in rows


def test_the_ppk_reads_the_steps_of_the_cases_it_may_open(desk):
    page = desk.ppk.get("/desk/angka")
    assert table(page, "per-step")["PPK memutus"] == ["2"] and table(page, "per-step")["Tanpa rangkaian langkah"] == ["0"]
    assert table(page, "step-bodies")[BENGKALIS] == ["3", "2", "2", "1 (50%)"]
