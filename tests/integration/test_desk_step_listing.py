"""Cases in a chain of steps on the case list and in the export, on the real PostgreSQL: the step filter
(my unit's step, the cases it only reads, the task of the current step) kept in the paging links, a bad
step told; the export names each case's step and owning body and whether it stands on time or late."""
import csv
import io
import re

import pytest

from services.desk.accounts import accounts as acc
from services.desk.cases.arrivals import case_arrived
from services.desk.chain.steps import step_opened
from tests.support.complaints import png_bytes
from tests.support.desk import desk_app, routed, signed_in, token
from tests.support.desk_steps import BENGKALIS, BKPSDM, CHAIN, KANREG, PASSWORD, opened
from tests.support.migrated import migrated_database

pytestmark = pytest.mark.integration
AT_PPK = 26  # more than one page of 25
ROWS = re.compile(r'<tr( class="unread")?>\s*<td data-label="Nomor kasus"')

database_url = migrated_database("desk")


@pytest.fixture
def desk(database_url, s3):
    """The Kanreg received 28 cases: one still at its own step 1, 26 handed on to Bengkalis's PPK step (one
    of them past its statutory due date), and one of a single step (as routed before chains) that its head closes."""
    app = desk_app(database_url, s3)
    service = app.extensions["netra.desk"]
    app.codes = {}
    for n in range(AT_PPK + 2):
        event = routed(KANREG, "14.03", png_bytes(seed=40 + n))
        event["payload"]["units"]["primary"]["name"] = CHAIN["steps"][0]["name"]
        if n <= AT_PPK:
            event["payload"]["chain"] = CHAIN
        case_arrived(event, service.cases)
        app.codes[n] = (event["payload"]["tracking_code"], event["payload"]["case_id"])
    for n in range(1, AT_PPK + 1):
        step_opened(opened(*app.codes[n], due="2026-01-05" if n == 1 else "2099-12-31"), service.cases)
    for username, unit, role in (("petugas.kanreg", KANREG, "petugas"), ("kepala.kanreg", KANREG, "kepala"),
                                 ("petugas.bkpsdm", BKPSDM, "petugas")):
        acc.new_account(service.accounts, service.units, username, unit, role, PASSWORD)
    return app


def listed(page) -> tuple[int, str]:
    assert page.status_code == 200
    count = re.search(r'<p id="count" role="status">([^<]*)', page.text).group(1)
    return len(ROWS.findall(page.text)), count.split(" ·")[0]


def test_the_step_filter_splits_my_steps_from_the_ones_i_only_read_and_keeps_to_the_paging_links(desk):
    kanreg = signed_in(desk, "petugas.kanreg")
    assert listed(kanreg.get("/desk/"))[1] == "1–25 dari 28 kasus"
    mine = kanreg.get("/desk/?langkah=saya")
    assert listed(mine)[1] == "1–2 dari 2 kasus"
    assert desk.codes[0][0] in mine.text and desk.codes[AT_PPK + 1][0] in mine.text
    assert listed(kanreg.get("/desk/?langkah=rekomendasi"))[1] == "1–1 dari 1 kasus"
    read_only = kanreg.get("/desk/?langkah=baca&urut=kode")
    assert listed(read_only) == (25, "1–25 dari 26 kasus") and desk.codes[0][0] not in read_only.text
    next_link = re.search(r'rel="next" href="([^"]+)"', read_only.text).group(1).replace("&amp;", "&")
    assert "langkah=baca" in next_link and "urut=kode" in next_link
    assert listed(kanreg.get(next_link))[1] == "26–26 dari 26 kasus"
    assert 'option value="baca" selected' in read_only.text
    assert listed(kanreg.get("/desk/?langkah=pantau"))[1].startswith("Tidak ada kasus")

    bkpsdm = signed_in(desk, "petugas.bkpsdm")
    assert listed(bkpsdm.get("/desk/?langkah=saya"))[1] == "1–25 dari 26 kasus"
    assert listed(bkpsdm.get("/desk/?langkah=putusan&lewat=1"))[1] == "1–1 dari 1 kasus"
    assert listed(bkpsdm.get("/desk/?langkah=baca"))[1].startswith("Tidak ada kasus")


def test_a_bad_step_is_told_and_the_list_stays(desk):
    page = signed_in(desk, "petugas.kanreg").get("/desk/", query_string={"langkah": "<b>ppk</b>"})
    assert listed(page)[0] == 25 and "Langkah tidak dikenal: &lt;b&gt;ppk&lt;/b&gt;." in page.text


def exported(browser) -> dict[str, dict]:
    answer = browser.get("/desk/ekspor/unduh?format=csv")
    assert answer.status_code == 200
    table = list(csv.DictReader(io.StringIO(answer.data.decode("utf-8-sig"))))
    return {line["Kode pelacakan"]: line for line in table}


def test_the_export_names_the_step_its_body_and_whether_the_case_is_on_time(desk):
    kanreg = signed_in(desk, "kepala.kanreg")
    plain_code, plain_id = desk.codes[AT_PPK + 1]
    for status in ("diverifikasi", "dalam_pemeriksaan", "tidak_terbukti", "selesai"):
        page = kanreg.get(f"/desk/kasus/{plain_id}")
        kanreg.post(f"/desk/kasus/{plain_id}/status",
                    data={"csrf_token": token(page), "status": status, "file_note": "diperiksa"})
    rows = exported(kanreg)
    at_kanreg, late, waiting = rows[desk.codes[0][0]], rows[desk.codes[1][0]], rows[desk.codes[2][0]]
    assert at_kanreg["Langkah"] == "1 dari 3: Kantor Regional XII BKN Pekanbaru (memberi rekomendasi)"
    assert late["Langkah"] == waiting["Langkah"] == f"2 dari 3: {BENGKALIS} (memutus)"
    assert (late["Tenggat"], late["Tepat waktu"]) == ("2026-01-05", "terlambat")
    assert (waiting["Tenggat"], waiting["Tepat waktu"]) == ("2099-12-31", "")
    closed = rows[plain_code]
    assert (closed["Status"], closed["Tepat waktu"]) == ("Selesai", "tepat waktu")
    assert waiting["Kategori"] and waiting["Status"] == "Diterima" and waiting["Tanggal masuk"]
    assert {"Jenis sanksi", "Nomor keputusan", "Tanggal keputusan"} <= set(waiting)
