"""The audit page on the real PostgreSQL and MinIO reads as words: actions in Indonesian, cases by number,
officers by name, and no internal ids."""
import io
import re

import pytest

from services.common.storage import EVIDENCE_BUCKET, create_bucket_once
from services.desk.accounts import accounts as acc
from services.desk.app import create_app
from services.desk.cases.arrivals import case_arrived
from services.desk.reports.audit_words import ACTIONS
from services.desk.settings import DeskSettings
from tests.support.complaints import png_bytes
from tests.support.desk import FlaskBrowser, login, routed, token
from tests.support.migrated import migrated_database

PASSWORD = "kata-sandi-yang-panjang"
UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")

database_url = migrated_database("desk")  # services never create their tables


@pytest.fixture
def desk(database_url, s3):
    create_bucket_once(s3, EVIDENCE_BUCKET, object_lock=True)
    app = create_app(DeskSettings(database_url=database_url), store=s3)
    service = app.extensions["netra.desk"]
    blob = png_bytes(seed=13)
    event = routed("bkpsdm-14.03", "14.03", blob)
    s3.put_object(EVIDENCE_BUCKET, event["payload"]["files"][0]["sanitised"]["key"], io.BytesIO(blob), len(blob))
    case_arrived(event, service.cases)
    head = acc.new_account(service.accounts, service.units, "kepala-14.03", "bkpsdm-14.03", "kepala", PASSWORD)
    service.accounts.update(head, name="Siti Rahmawati")
    app.case = event["payload"]
    return app


def visible_text(page) -> str:
    main = page.text.split("<main>", 1)[1].split("</main>", 1)[0]
    return re.sub(r"<[^>]+>", " ", main)


def test_the_audit_log_shows_words_case_numbers_and_names_not_codes_or_ids(desk):
    browser = FlaskBrowser(desk.test_client())
    login(browser, "/desk", "kepala-14.03", PASSWORD)
    case_page = browser.get(f"/desk/kasus/{desk.case['case_id']}")
    browser.post(f"/desk/kasus/{desk.case['case_id']}/status",
                 data={"csrf_token": token(case_page), "status": "diverifikasi", "file_note": "Bukti cukup."})
    shown = visible_text(browser.get("/desk/audit"))
    for words in (ACTIONS["login"], ACTIONS["case.viewed"], ACTIONS["case.moved"], ACTIONS["case.received"]):
        assert words in shown
    for code in ("case.viewed", "case.moved", "case.received", "login"):
        assert f" {code} " not in f" {shown} "
    assert desk.case["case_number"] in shown and "Siti Rahmawati (kepala-14.03)" in shown
    assert "Diterima → Diverifikasi" in shown and "Sistem Netra" in shown
    assert not UUID.search(shown), UUID.search(shown)
