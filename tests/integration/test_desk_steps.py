"""A case's chain of steps at the desk on the real PostgreSQL and MinIO: the Kanreg recommends and hands on,
the BKPSDM records the PPK's decree with its PDF (archived, locked, hashed), the Kanreg sees whether its
recommendation was followed; a PPK step past its deadline shows the Kanreg the block in SIASN to record."""
import copy
import io
import json
from datetime import date, timedelta

import pytest
from sqlalchemy import select

from services.common.storage import EVIDENCE_BUCKET
from services.desk.cases.arrivals import case_arrived
from services.desk.chain.steps import step_opened
from services.desk.tables import case_access, outbox
from tests.support.complaints import png_bytes
from tests.support.contracts import assert_matches_example, example
from tests.support.desk import a_pdf, complete, desk_with_a_chain, routed, signed_in, token
from tests.support.migrated import migrated_database

pytestmark = pytest.mark.integration
KANREG, BKPSDM = "bkn-kanreg-12", "bkpsdm-14.03"
CHAIN = {"chain_id": "kanreg-ppk", "steps": [
    {"number": 1, "unit_id": KANREG, "name": "Kantor Regional XII BKN Pekanbaru", "task": "rekomendasi",
     "outcome": "rekomendasi", "clock": None, "basis": "Perpres 92/2024 Pasal 3-4"},
    {"number": 2, "unit_id": BKPSDM, "name": "BKPSDM Kabupaten Bengkalis", "task": "putusan", "outcome": "keputusan",
     "clock": "ppk-rekomendasi", "basis": "PP 94/2021"},
    {"number": 3, "unit_id": KANREG, "name": "Kantor Regional XII BKN Pekanbaru", "task": "pantau",
     "outcome": "hasil_pemantauan", "clock": None, "basis": "Peraturan BKN 1/2023"}]}

database_url = migrated_database("desk")


@pytest.fixture
def desk(database_url, s3):
    return desk_with_a_chain(database_url, s3, CHAIN, {"petugas.kanreg": KANREG, "petugas.bkpsdm": BKPSDM},
                             blob=png_bytes(seed=17), region="14.03")


def sent(app, event_type):
    with app.extensions["netra.desk"].cases.engine.connect() as conn:
        return [json.loads(row.body) for row in conn.execute(select(outbox).where(outbox.c.event_type == event_type)
                                                             .order_by(outbox.c.id))]


def opened(app, number, due=None):
    """case.step_opened as routing announces it, for the step after the one last completed."""
    last = sent(app, "case.step_completed")[-1]["payload"]
    event = copy.deepcopy(example("case.step_opened"))
    step = CHAIN["steps"][number - 1]
    event["event_id"] = f"00000000-0000-5000-8000-{number:012d}"
    event["payload"].update(case_id=app.case_id, complaint_id=app.routed["complaint_id"])
    event["payload"]["step"] = {**step, "deadline": {"clock": "ppk-rekomendasi", "due": due} if due else None}
    event["payload"]["previous"] = {"number": number - 1, "unit_id": last["unit_id"], "name": last["unit_name"],
                                    "task": last["task"], "outcome": last["outcome"]}
    return event


def accesses(app):
    with app.extensions["netra.desk"].cases.engine.connect() as conn:
        return {r.unit_id: r.access for r in conn.execute(select(case_access).where(
            case_access.c.case_id == app.case_id))}


def test_three_steps_from_the_kanreg_to_the_ppk_and_back(desk, s3):
    kanreg = signed_in(desk, "petugas.kanreg")
    page = complete(kanreg, desk.case_id, {"summary": "Terbukti; hukuman disiplin sedang.",
                                           "recommendation": "disiplin_sedang"})
    assert "Langkah selesai; kasus diteruskan" in page.text
    [handed] = sent(desk, "case.step_completed")
    assert_matches_example(handed, "case.step_completed")
    assert handed["payload"]["step"] == 1 and handed["payload"]["outcome"]["recommendation"] == "disiplin_sedang"
    assert "petugas.kanreg" not in json.dumps(handed)  # no officer's name leaves the desk

    step_opened(opened(desk, 2, due=(date.today() + timedelta(days=10)).isoformat()),
                desk.extensions["netra.desk"].cases)
    assert accesses(desk)[BKPSDM] == "primary" and accesses(desk)[KANREG] == "former"
    assert "Anda hanya dapat membaca kasus ini." in kanreg.get(f"/desk/kasus/{desk.case_id}").text

    bkpsdm = signed_in(desk, "petugas.bkpsdm")
    decree = {"decree_number": "800/BKPSDM/2026/117", "decree_date": date.today().isoformat(),
              "decision": "potong_tukin_6", "summary": ""}
    refused = complete(bkpsdm, desk.case_id, decree, {"decree_pdf": (io.BytesIO(png_bytes(seed=3)), "sk.pdf")})
    assert "Berkas yang diunggah bukan PDF." in refused.text and len(sent(desk, "case.step_completed")) == 1
    broken = complete(bkpsdm, desk.case_id, decree, {"decree_pdf": (io.BytesIO(b"%PDF-1.7 rusak"), "sk.pdf")})
    assert "Berkas PDF rusak" in broken.text and len(sent(desk, "case.step_completed")) == 1

    pdf = a_pdf()
    done = complete(bkpsdm, desk.case_id, decree, {"decree_pdf": (io.BytesIO(pdf), "sk.pdf")})
    assert "Langkah selesai" in done.text and "800/BKPSDM/2026/117" in done.text
    assert bkpsdm.get(f"/desk/api/v1/cases/{desk.case_id}").json["sanction"] == {  # what figures and export read
        "decree_number": "800/BKPSDM/2026/117", "decree_date": date.today().isoformat(),
        "sanction_kind": "disiplin_sedang"}
    document = sent(desk, "case.step_completed")[-1]["payload"]["outcome"]["document"]
    assert document["key"] == f"complaints/{desk.routed['complaint_id']}/documents/{document['sha256']}.pdf"
    assert s3.get_object(EVIDENCE_BUCKET, document["key"]).read() == pdf
    assert s3.get_object_retention(EVIDENCE_BUCKET, document["key"]).mode == "COMPLIANCE"
    assert document["kind"] == "decree" and sent(desk, "case.step_completed")[-1]["payload"]["outcome"]["bap"] is None
    # Units open only the sanitised copy, which the evidence service makes (test_desk_documents_archived.py).
    waiting = bkpsdm.get(f"/desk/kasus/{desk.case_id}/dokumen/{document['sha256']}")
    assert "Salinan aman dokumen ini sedang disiapkan" in waiting.text and pdf not in waiting.data

    step_opened(opened(desk, 3), desk.extensions["netra.desk"].cases)
    page = kanreg.get(f"/desk/kasus/{desk.case_id}").text
    assert "<strong>diikuti</strong>" in page and "Pemotongan tunjangan kinerja 25% selama 6 bulan" in page
    closed = complete(kanreg, desk.case_id, {"summary": "Keputusan PPK sesuai rekomendasi."})
    assert "Selesai" in closed.text and sent(desk, "case.status_changed")[-1]["payload"]["status"] == "selesai"


def test_a_ppk_step_past_its_deadline_shows_the_kanreg_the_block_in_siasn(desk):
    kanreg = signed_in(desk, "petugas.kanreg")
    complete(kanreg, desk.case_id, {"summary": "Disiplin berat.", "recommendation": "disiplin_berat"})
    step_opened(opened(desk, 2, due=(date.today() - timedelta(days=3)).isoformat()),
                desk.extensions["netra.desk"].cases)
    page = kanreg.get(f"/desk/kasus/{desk.case_id}")
    assert "Tindakan berikutnya: <strong>Blokir data di SIASN</strong>" in page.text
    bkpsdm = signed_in(desk, "petugas.bkpsdm")
    assert "Blokir data di SIASN" not in bkpsdm.get(f"/desk/kasus/{desk.case_id}").text
    recorded = kanreg.post(f"/desk/kasus/{desk.case_id}/siasn", data={"csrf_token": token(page),
                                                                      "reference": "Blokir SIASN 12/2026"})
    assert "Pemblokiran data di SIASN dicatat" in recorded.text and "Blokir SIASN 12/2026" in recorded.text
    assert "Tindakan berikutnya" not in recorded.text


def moved(browser, case_id, status, **details):
    page = browser.get(f"/desk/kasus/{case_id}")
    return browser.post(f"/desk/kasus/{case_id}/status", data={"csrf_token": token(page), "status": status,
                                                               "file_note": "catatan berkas", **details})


def test_the_status_form_offers_no_sanction_where_the_ppk_step_records_it(desk):
    """The old status move "Sanksi dijatuhkan" stays for a case without a chain only."""
    service = desk.extensions["netra.desk"]
    plain = routed(BKPSDM, "14.03", png_bytes(seed=19))
    plain["payload"].pop("chain")
    case_arrived(plain, service.cases)
    bkpsdm, kanreg = signed_in(desk, "petugas.bkpsdm"), signed_in(desk, "petugas.kanreg")
    sanction = {"decree_number": "800/BKPSDM/2026/9", "decree_date": date.today().isoformat(),
                "sanction_kind": "disiplin_sedang"}
    for browser, case_id in ((kanreg, desk.case_id), (bkpsdm, plain["payload"]["case_id"])):
        for status in ("diverifikasi", "dalam_pemeriksaan", "direkomendasikan"):
            assert "Status diubah menjadi" in moved(browser, case_id, status).text
    chained_page = kanreg.get(f"/desk/kasus/{desk.case_id}").text
    assert '<option value="tidak_terbukti">' in chained_page
    assert '<option value="sanksi_dijatuhkan">' not in chained_page and 'id="sanction_kind"' not in chained_page
    refused = moved(kanreg, desk.case_id, "sanksi_dijatuhkan", **sanction)
    assert "dicatat oleh PPK dengan keputusannya pada langkah putusan" in refused.text
    assert service.cases.get(desk.case_id)["status"] == "direkomendasikan"

    plain_page = bkpsdm.get(f"/desk/kasus/{plain['payload']['case_id']}").text
    assert '<option value="sanksi_dijatuhkan">' in plain_page
    done = moved(bkpsdm, plain["payload"]["case_id"], "sanksi_dijatuhkan", **sanction)
    assert done.status_code == 200 and service.cases.get(plain["payload"]["case_id"])["status"] == "sanksi_dijatuhkan"
