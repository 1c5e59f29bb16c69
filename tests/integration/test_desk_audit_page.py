"""The audit page on the real PostgreSQL and MinIO reads as words: actions in Indonesian, cases by number,
officers by name, and no internal ids."""
import re

import pytest

from services.desk.reports.audit_words import ACTIONS
from tests.support.desk import FlaskBrowser, PASSWORD, desk_with_a_case, login, token
from tests.support.migrated import migrated_database

UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")

database_url = migrated_database("desk")  # services never create their tables


@pytest.fixture
def desk(database_url, s3):
    app = desk_with_a_case(database_url, s3, {"kepala-14.03": "kepala"}, seed=13, stored=True)
    app.extensions["netra.desk"].accounts.update(app.account_ids["kepala-14.03"], name="Siti Rahmawati")
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
