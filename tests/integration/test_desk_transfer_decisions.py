"""A transfer request reaches the unit's head, on the real PostgreSQL and SMTP: a mail to the head, a "Baru"
marker and a list in the desk; the head may refuse it with a reason, which the requesting officer reads."""
import re
import uuid

import pytest

from tests.support.desk import desk_with_a_case, signed_in, token
from tests.support.migrated import migrated_database
from tests.support.servers import Mailbox

UNIT = "bkpsdm-14.03"
REASON = "Terlapor pegawai Pemerintah Provinsi Riau, bukan kabupaten."
REFUSAL = "Menurut SK penempatan terbaru, terlapor masih pegawai Kabupaten Bengkalis."

database_url = migrated_database("desk")  # services never create their tables


@pytest.fixture
def desk(database_url, s3):
    app = desk_with_a_case(database_url, s3, {f"{role}-14.03": role for role in ("petugas", "kepala", "admin")},
                           seed=17, unit=UNIT, desk_url="http://127.0.0.1:8090")
    app.config["RATELIMIT_ENABLED"] = False
    app.emails = {}
    for username, account_id in app.account_ids.items():
        role = username.split("-")[0]
        app.emails[role] = f"{role}-{uuid.uuid4().hex[:8]}@bengkalis.example"
        app.extensions["netra.desk"].accounts.update(account_id, email=app.emails[role], name=f"{role.title()} Bengkalis")
    return app


def request_transfer(app, officer):
    page = officer.get(f"/desk/kasus/{app.case['case_id']}")
    return officer.post(f"/desk/kasus/{app.case['case_id']}/pengalihan",
                        data={"csrf_token": token(page), "to_unit_id": "bkd-14", "reason": REASON})


def test_the_head_is_mailed_and_sees_the_request_marked_new_in_a_list(desk):
    officer = signed_in(desk, "petugas-14.03")
    assert "menunggu persetujuan kepala unit" in request_transfer(desk, officer).text
    mail = Mailbox().wait_for(desk.emails["kepala"])[0]
    body = mail.get_payload(decode=True).decode() if not mail.is_multipart() else mail.get_body().get_content()
    assert desk.case["case_number"] in mail["Subject"] and f"/desk/kasus/{desk.case['case_id']}" in body
    assert REASON not in body  # the reason stays in the desk
    head = signed_in(desk, "kepala-14.03")
    cases = head.get("/desk/")
    assert re.search(r'id="nav-transfers"[^>]*>Pengalihan <span class="badge new">Baru 1</span>', cases.text)
    listed = head.get("/desk/pengalihan")
    assert listed.status_code == 200 and desk.case["case_number"] in listed.text and REASON in listed.text
    assert not Mailbox().matching(desk.emails["admin"])  # the unit has a head with an address
    assert officer.get("/desk/pengalihan").status_code == 404  # only the head decides


def test_the_head_refuses_with_a_reason_and_the_officer_reads_it(desk):
    officer = signed_in(desk, "petugas-14.03")
    request_transfer(desk, officer)
    case_url = f"/desk/kasus/{desk.case['case_id']}"
    page = officer.get(case_url)
    tried = officer.post(f"{case_url}/pengalihan/tolak", data={"csrf_token": token(page), "refusal_reason": "x"})
    assert "Hanya kepala unit yang dapat menolak pengalihan." in tried.text
    head = signed_in(desk, "kepala-14.03")
    page = head.get(case_url)
    empty = head.post(f"{case_url}/pengalihan/tolak", data={"csrf_token": token(page), "refusal_reason": " "})
    assert "Alasan penolakan wajib diisi" in empty.text
    refused = head.post(f"{case_url}/pengalihan/tolak", data={"csrf_token": token(page), "refusal_reason": REFUSAL})
    assert "Pengalihan ditolak" in refused.text
    seen = officer.get(case_url).text
    assert re.search(rf'id="transfer-refused">Pengalihan ke .*? ditolak oleh kepala-14.03 .*?Alasan: {REFUSAL}', seen)
    assert 'id="case-status">Diterima<' in seen and 'name="reason"' in seen  # the case stays; a new request may follow
    assert "Baru" not in head.get("/desk/").text.split("</nav>")[0]
    assert 'id="no-pending"' in head.get("/desk/pengalihan").text
    assert "Menolak pengalihan" in head.get("/desk/audit").text
