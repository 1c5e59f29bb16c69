"""The desk's web side on the real PostgreSQL and MinIO: logins, 404 on every route for another unit's
case, evidence streamed and re-hashed with every view audited, the audit log refusing changes."""
import io
import re
from datetime import datetime, timezone

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.exc import DBAPIError

from services.common.storage import EVIDENCE_BUCKET, create_bucket_once
from services.desk.accounts import accounts as acc
from services.desk.app import create_app
from services.desk.cases import deadlines
from services.desk.cases.arrivals import case_arrived
from services.desk.settings import DeskSettings
from tests.support.complaints import png_bytes
from tests.support.desk import desk_app, FlaskBrowser, routed, signed_in, token
from tests.support.migrated import migrated_database

PASSWORD = "kata-sandi-yang-panjang"


database_url = migrated_database("desk")  # services never create their tables


@pytest.fixture
def desk(database_url, s3):
    create_bucket_once(s3, EVIDENCE_BUCKET, object_lock=True)
    app = desk_app(database_url, s3)
    service = app.extensions["netra.desk"]
    cases = {}
    for unit_id, region in (("bkpsdm-14.03", "14.03"), ("bkpsdm-62.10", "62.10")):
        blob = png_bytes(seed=len(cases) + 7)
        event = routed(unit_id, region, blob)
        s3.put_object(EVIDENCE_BUCKET, event["payload"]["files"][0]["sanitised"]["key"], io.BytesIO(blob), len(blob))
        case_arrived(event, service.cases)
        cases[unit_id] = event["payload"]["case_id"]
        acc.new_account(service.accounts, service.units, f"petugas-{unit_id}", unit_id, "petugas", PASSWORD)
    acc.new_account(service.accounts, service.units, "kepala-14.03", "bkpsdm-14.03", "kepala", PASSWORD)
    app.cases = cases
    return app


def test_every_route_answers_404_for_a_case_of_another_unit(desk):
    browser = signed_in(desk, "petugas-bkpsdm-14.03")
    csrf = token(browser.get("/desk/"))
    foreign = desk.cases["bkpsdm-62.10"]
    walked = []
    for rule in desk.url_map.iter_rules():
        if "case_id" not in rule.arguments:
            continue
        url = rule.build({"case_id": foreign, "index": 0, "sha256": "0" * 64}, append_unknown=False)[1]
        for method in rule.methods - {"HEAD", "OPTIONS"}:
            answer = browser.client.open(url, method=method, headers={"X-CSRFToken": csrf},
                                         json={"status": "diverifikasi", "file_note": "x"} if "/api/" in url else None,
                                         data=None if "/api/" in url else {"csrf_token": csrf, "status": "diverifikasi",
                                                                             "file_note": "x", "reason": "x",
                                                                             "to_unit_id": "bkd-14", "question": "x"})
            assert answer.status_code == 404, (method, url, answer.status_code)
            walked.append((method, rule.rule))
    assert len(walked) >= 10, walked
    own = browser.get(f"/desk/kasus/{desk.cases['bkpsdm-14.03']}")
    assert own.status_code == 200 and "Ubah status" in own.text


def test_evidence_is_streamed_rehashed_and_every_view_is_audited(desk):
    browser = signed_in(desk, "petugas-bkpsdm-14.03")
    case_id = desk.cases["bkpsdm-14.03"]
    page = browser.get(f"/desk/kasus/{case_id}")
    answer = browser.get(f"/desk/kasus/{case_id}/bukti/0")
    assert answer.status_code == 200 and answer.data == png_bytes(seed=7)
    assert answer.headers["Content-Type"] == "image/png" and answer.headers["Cache-Control"] == "no-store"
    checked = browser.post(f"/desk/kasus/{case_id}/bukti/0/periksa", data={"csrf_token": token(page)})
    assert "dihitung ulang di server dan cocok" in checked.text
    head = signed_in(desk, "kepala-14.03")
    audit = head.get("/desk/audit").text
    assert "evidence.viewed" in audit and "evidence.verified" in audit and "petugas-bkpsdm-14.03" in audit
    assert signed_in(desk, "petugas-bkpsdm-62.10").get("/desk/audit").status_code == 404


def assert_security_headers(answer, cache_control="no-store"):
    for name, value in (("X-Frame-Options", "DENY"), ("X-Content-Type-Options", "nosniff"),
                        ("Cache-Control", cache_control)):
        assert answer.headers.get(name) == value, (answer.request.path, name, answer.headers.get(name))
    policy = answer.headers.get("Content-Security-Policy", "")
    assert "frame-ancestors 'none'" in policy and "unsafe-inline" not in policy, answer.request.path


def test_every_desk_answer_carries_the_security_headers_and_pages_with_case_data_are_no_store(desk):
    anonymous = FlaskBrowser(desk.test_client())
    login_page = anonymous.get("/desk/masuk")
    assert login_page.status_code == 200 and "style=" not in login_page.text and "<style" not in login_page.text
    assert_security_headers(login_page)
    # Not intake's no-referrer: over https Flask-WTF refuses a form posted without its Referer.
    assert login_page.headers["Referrer-Policy"] == "same-origin"
    stylesheet = anonymous.get(re.search(r'<link rel="stylesheet" href="([^"]+)"', login_page.text).group(1))
    assert stylesheet.status_code == 200 and stylesheet.mimetype == "text/css" and "#123c69" in stylesheet.text
    assert_security_headers(stylesheet, cache_control=stylesheet.headers.get("Cache-Control"))
    assert stylesheet.headers.get("Cache-Control") != "no-store"  # the one answer that holds no case data
    browser = signed_in(desk, "kepala-14.03")
    case_id = desk.cases["bkpsdm-14.03"]
    case_page = browser.get(f"/desk/kasus/{case_id}")
    assert case_page.status_code == 200 and case_id in case_page.text and "style=" not in case_page.text
    for answer in (case_page, browser.get("/desk/"), browser.get("/desk/audit"), browser.get("/desk/angka"),
                   browser.get(f"/desk/api/v1/cases/{case_id}"), browser.get("/desk/tidak-ada")):
        assert answer.status_code in (200, 404)
        assert_security_headers(answer)
    evidence = browser.get(f"/desk/kasus/{case_id}/bukti/0")
    assert evidence.headers["Content-Security-Policy"] == "sandbox"  # its own, stricter policy stays
    assert evidence.headers["Cache-Control"] == "no-store" and evidence.headers["X-Frame-Options"] == "DENY"


def test_the_audit_log_refuses_update_and_delete(desk, database_url):
    engine = create_engine(database_url)
    with engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM audit_log")).scalar() >= 2
    for statement in ("UPDATE audit_log SET actor = 'orang lain'", "DELETE FROM audit_log", "TRUNCATE audit_log"):
        with pytest.raises(DBAPIError, match="append-only"):
            with engine.begin() as conn:
                conn.execute(text(statement))
    engine.dispose()


def test_a_form_without_its_csrf_token_is_refused(desk):
    browser = signed_in(desk, "petugas-bkpsdm-14.03")
    case_id = desk.cases["bkpsdm-14.03"]
    answer = browser.post(f"/desk/kasus/{case_id}/status", data={"status": "diverifikasi", "file_note": "x"})
    assert answer.status_code == 400 and "Formulir kedaluwarsa" in answer.text
    assert "Diterima" in browser.get(f"/desk/kasus/{case_id}").text


def test_session_cookie_flags(database_url, s3):
    settings = DeskSettings(database_url=database_url, desk_url="https://desk.example.go.id")
    app = create_app(settings, store=s3)
    service = app.extensions["netra.desk"]
    acc.new_account(service.accounts, service.units, "budi", "bkpsdm-14.03", "petugas", PASSWORD)
    client = app.test_client()
    page = client.get("/desk/masuk", base_url="https://desk.example.go.id")
    answer = client.post("/desk/masuk", data={"csrf_token": token(page), "username": "budi", "password": PASSWORD},
                         base_url="https://desk.example.go.id",
                         headers={"Referer": "https://desk.example.go.id/desk/masuk"})
    assert answer.status_code == 302 and answer.headers["Location"].endswith("/desk/masuk/daftar-kode")
    cookie = answer.headers["Set-Cookie"]
    for flag in ("Secure", "HttpOnly", "SameSite=Strict", "Path=/desk"):
        assert flag in cookie


def test_an_idle_session_ends_itself(desk):
    browser = signed_in(desk, "petugas-bkpsdm-14.03")
    assert browser.get("/desk/", allow_redirects=False).status_code == 200
    with browser.client.session_transaction("/desk/") as session:
        session["seen"] -= 31 * 60
    answer = browser.get("/desk/", allow_redirects=False)
    assert answer.status_code == 302 and "/desk/masuk" in answer.headers["Location"]


def test_a_pengawas_reads_every_unit_and_changes_nothing(desk):
    service = desk.extensions["netra.desk"]
    acc.new_account(service.accounts, service.units, "pengawas.bkn", "bkn", "pengawas", PASSWORD)
    watcher = signed_in(desk, "pengawas.bkn")
    listed = watcher.get("/desk/api/v1/cases").json
    assert {c["case_id"] for c in listed} == set(desk.cases.values())
    page = watcher.get(f"/desk/kasus/{desk.cases['bkpsdm-62.10']}")
    assert "Anda hanya dapat membaca kasus ini" in page.text and "Ubah status" not in page.text
    answer = watcher.post(f"/desk/kasus/{desk.cases['bkpsdm-62.10']}/status",
                          data={"csrf_token": token(page), "status": "diverifikasi", "file_note": "x"})
    assert "Unit Anda hanya dapat membaca kasus ini." in answer.text
    assert service.cases.get(desk.cases["bkpsdm-62.10"])["status"] == "diterima"


def test_the_api_explains_a_refused_move(desk):
    browser = signed_in(desk, "petugas-bkpsdm-14.03")
    case_id = desk.cases["bkpsdm-14.03"]
    csrf = token(browser.get(f"/desk/kasus/{case_id}"))
    answer = browser.client.post(f"/desk/api/v1/cases/{case_id}/moves", headers={"X-CSRFToken": csrf},
                                 json={"status": "selesai", "file_note": "tutup"})
    assert answer.status_code == 409
    assert "tidak dapat berpindah ke 'Selesai'" in answer.json["detail"]
    bad = browser.client.post(f"/desk/api/v1/cases/{case_id}/moves", headers={"X-CSRFToken": csrf}, json={})
    assert bad.status_code == 422 and "file_note" in str(bad.json)
    spec = browser.get("/desk/api/v1/openapi.json").json
    assert "/desk/api/v1/cases/{case_id}/moves" in spec["paths"]


def test_the_case_page_shows_the_due_date_in_working_days_and_the_days_left(desk):
    service = desk.extensions["netra.desk"]
    case = service.cases.get(desk.cases["bkpsdm-14.03"])
    assert case["due_date"] == deadlines.due_date("diterima", case["status_since"])
    today = deadlines.office_day(datetime.now(timezone.utc))
    left = deadlines.days_left(case["due_date"], today)
    page = signed_in(desk, "petugas-bkpsdm-14.03").get(f"/desk/kasus/{case['case_id']}").text
    shown = re.search(r'id="due-date">(.*?)</td>', page, re.S).group(1)
    assert case["due_date"].isoformat() in shown
    assert (f"{left} hari kerja lagi" if left > 0 else "hari ini" if left == 0 else "lewat") in shown


def test_the_case_list_and_page_name_the_case_by_its_number(desk):
    service = desk.extensions["netra.desk"]
    case = service.cases.get(desk.cases["bkpsdm-14.03"])
    assert re.fullmatch(r"NTR-2026-1403-\d{5}", case["case_number"])
    browser = signed_in(desk, "petugas-bkpsdm-14.03")
    listing = browser.get("/desk/").text
    assert f'>{case["case_number"]}</a>' in listing and case["tracking_code"] in listing
    page = browser.get(f"/desk/kasus/{case['case_id']}").text
    assert f'<span id="case-number">{case["case_number"]}</span>' in page and case["tracking_code"] in page
    api = browser.get(f"/desk/api/v1/cases/{case['case_id']}").json
    assert api["case_number"] == case["case_number"]


def test_reports_of_the_same_act_are_shown_as_one_group(desk):
    service = desk.extensions["netra.desk"]
    lead = service.cases.get(desk.cases["bkpsdm-14.03"])
    first = routed("bkpsdm-14.03", "14.03", png_bytes(seed=1))
    case_arrived(first, service.cases)
    later = routed("bkpsdm-14.03", "14.03", png_bytes(seed=2), group_of=first["payload"])
    case_arrived(later, service.cases)
    browser = signed_in(desk, "petugas-bkpsdm-14.03")
    listing = browser.get("/desk/").text
    assert listing.count("2 laporan terkait") == 2 and lead["tracking_code"] in listing
    group_id = first["payload"]["case_id"]
    only_group = browser.get(f"/desk/?kelompok={group_id}").text
    assert first["payload"]["tracking_code"] in only_group and later["payload"]["tracking_code"] in only_group
    assert lead["tracking_code"] not in only_group
    page = browser.get(f"/desk/kasus/{later['payload']['case_id']}").text
    assert "Laporan atas perbuatan yang sama (2)" in page and "alamat unggahan yang sama" in page
    assert "laporan pertama" in page and first["payload"]["tracking_code"] in page


def test_the_case_page_cites_the_basis_breach_kinds_and_statutory_deadlines(desk):
    page = signed_in(desk, "petugas-bkpsdm-14.03").get(f"/desk/kasus/{desk.cases['bkpsdm-14.03']}").text
    shown = " ".join(re.search(r'<section id="law">(.*?)</section>', page, re.S).group(1).split())
    for expected in ("Pemilihan kepala daerah (Pilkada)", "Pelanggaran kode etik dan kode perilaku",
                     "Pelanggaran disiplin PNS", "<strong>PP 94/2021 Pasal 5 huruf n</strong>",
                     "Peraturan Pemerintah Nomor 94 Tahun 2021 tentang Disiplin Pegawai Negeri Sipil",
                     "UU 20/2023 Pasal 24 ayat (1)",
                     "Batas penyampaian laporan ke Bawaslu (7 hari sejak diketahui)", "2026-11-09",
                     "7 hari, Perpu 1/2014 Pasal 134 ayat (4)", "Konflik kepentingan"):
        assert expected in shown, expected
    assert "tidak dapat diregistrasi oleh Bawaslu" not in shown  # the documented reporter is named


def test_a_due_date_after_the_published_holidays_is_shown_as_an_estimate_and_the_pages_still_answer(desk, database_url):
    """A deadline in a year lokal-id has no decree for counts weekends and the operator's holiday file only:
    the pages say so (perkiraan) instead of failing."""
    case_id = desk.cases["bkpsdm-14.03"]
    engine = create_engine(database_url)
    with engine.begin() as conn:
        conn.execute(text("UPDATE cases SET due_date = :due WHERE case_id = :case"),
                     {"due": "2030-03-04", "case": case_id})
    engine.dispose()
    browser = signed_in(desk, "petugas-bkpsdm-14.03")
    page = browser.get(f"/desk/kasus/{case_id}")
    shown = page.get_data(as_text=True)
    assert page.status_code == 200 and "2030-03-04" in shown
    assert "(perkiraan: hari libur tahun itu belum tersedia)" in shown
    listing = browser.get("/desk/")
    assert listing.status_code == 200 and "2030-03-04 (perkiraan)" in listing.get_data(as_text=True)
