"""The case list for daily work, on the real PostgreSQL: 500 cases come one small page at a time; search
finds one case by its tracking code, case number, civil servant's name or NIP; filters narrow the list and
a bad filter gets a clear message; a case shows as new until its officer opens it, and again when the
reporter adds evidence or answers; login lands on the case a mail linked to, and never off the desk;
times show in the unit's own zone, named."""
import re

import pytest
from sqlalchemy import func, select

from services.desk.accounts import accounts as acc
from services.desk.cases.additions import evidence_added
from services.desk.cases.arrivals import reporter_answered
from services.desk.tables import cases as cases_table, history
from tests.support.contracts import example
from tests.support.desk import desk_app, FlaskBrowser, login, token
from tests.support.desk_seed import seed_cases
from tests.support.migrated import migrated_database

pytestmark = pytest.mark.integration
PASSWORD = "kata-sandi-yang-panjang"
ROWS = re.compile(r'<tr( class="unread")?>\s*<td data-label="Nomor kasus"')

database_url = migrated_database("desk")


@pytest.fixture
def desk(database_url, s3):
    app = desk_app(database_url, s3)
    service = app.extensions["netra.desk"]
    app.seeded = seed_cases(service.cases, "bkpsdm-14.03", "14.03", 500)
    acc.new_account(service.accounts, service.units, "petugas-14.03", "bkpsdm-14.03", "petugas", PASSWORD)
    return app


def signed_in(app):
    browser = FlaskBrowser(app.test_client())
    login(browser, "/desk", "petugas-14.03", PASSWORD)
    return browser


def rows(page) -> int:
    return len(ROWS.findall(page.text))


def test_500_cases_come_one_small_page_at_a_time(desk):
    browser = signed_in(desk)
    first = browser.get("/desk/")
    assert first.status_code == 200 and rows(first) == 25
    assert len(first.data) < 80_000, len(first.data)  # the whole list was 1.15 MB at 1,846 cases
    assert "1–25 dari 500 kasus" in first.text and "Halaman 1 dari 20" in first.text
    last = browser.get("/desk/?hal=20&urut=terbaru")
    assert rows(last) == 25 and "476–500 dari 500 kasus" in last.text
    oldest = desk.seeded[0]["tracking_code"]
    assert oldest in last.text and oldest not in browser.get("/desk/?urut=terbaru").text


@pytest.mark.parametrize("field", ["tracking_code", "case_number", "name", "nip"])
def test_search_finds_one_case_among_500(desk, field):
    wanted = desk.seeded[317]
    text = {"tracking_code": wanted["tracking_code"].lower(), "case_number": wanted["case_id"][:13],
            "name": wanted["subject"]["name"].upper(), "nip": wanted["subject"]["nip"]}[field]
    page = signed_in(desk).get("/desk/", query_string={"q": text})
    assert rows(page) == 1 and wanted["tracking_code"] in page.text and "1–1 dari 1 kasus" in page.text


def test_filters_narrow_the_list_and_a_bad_filter_is_told(desk):
    browser = signed_in(desk)
    category = desk.seeded[0]["violation"]["category"]
    expected = sum(1 for case in desk.seeded if case["violation"]["category"] == category)
    assert f"dari {expected} kasus" in browser.get(f"/desk/?kategori={category}").text
    # arrivals every 6 hours from 1 Nov 03.00 UTC (10.00 WIB): four a day
    assert "1–8 dari 8 kasus" in browser.get("/desk/?dari=2026-11-02&sampai=2026-11-03").text
    assert "Tidak ada kasus yang cocok" in browser.get("/desk/?status=selesai").text
    assert "dari 500 kasus" in browser.get("/desk/?wilayah=14").text
    assert "Tidak ada kasus yang cocok" in browser.get("/desk/?wilayah=62").text
    bad = browser.get("/desk/?dari=kemarin&status=hilang&wilayah=99.99&hal=-3")
    assert bad.status_code == 200 and "Tanggal awal tidak valid" in bad.text and "Status tidak dikenal" in bad.text
    assert "Wilayah tidak dikenal" in bad.text and rows(bad) == 25


def test_a_case_is_new_until_opened_and_again_when_the_reporter_adds_or_answers(desk):
    service = desk.extensions["netra.desk"]
    browser = signed_in(desk)
    case = desk.seeded[0]
    code_only = {"q": case["tracking_code"]}
    assert 'class="unread"' in browser.get("/desk/", query_string=code_only).text
    browser.get(f"/desk/kasus/{case['case_id']}")
    assert 'class="unread"' not in browser.get("/desk/", query_string=code_only).text

    told = []
    added = example("evidence.added")
    added["payload"]["complaint_id"] = case["complaint_id"]
    evidence_added(added, service.cases, tell=lambda c, what: told.append((c["tracking_code"], what)))
    page = browser.get("/desk/", query_string=code_only)
    assert 'class="unread"' in page.text and "Pelapor menambahkan bukti" in page.text
    browser.get(f"/desk/kasus/{case['case_id']}")
    csrf = token(browser.get(f"/desk/kasus/{case['case_id']}"))
    browser.post(f"/desk/kasus/{case['case_id']}/pertanyaan", data={"csrf_token": csrf, "question": "Tautannya?"})
    assert 'class="unread"' not in browser.get("/desk/", query_string=code_only).text  # one's own act is no news
    question_id = service.cases.questions(case["case_id"])[0]["question_id"]
    answered = example("reporter.answered")
    answered["payload"].update(question_id=question_id, complaint_id=case["complaint_id"])
    for _ in range(2):  # a redelivery records nothing twice, but tells the unit again
        reporter_answered(answered, service.cases, tell=lambda c, what: told.append((c["tracking_code"], what)))
    page = browser.get("/desk/", query_string=code_only)
    assert 'class="unread"' in page.text and "Pelapor menjawab pertanyaan unit" in page.text
    with service.cases.engine.connect() as conn:
        lines = conn.execute(select(func.count()).where(history.c.case_id == case["case_id"],
                                                        history.c.file_note.like("Pelapor menjawab%"))).scalar()
    assert lines == 1
    code = case["tracking_code"]
    assert told == [(code, "added_evidence"), (code, "answered"), (code, "answered")]


def test_login_lands_on_the_case_a_mail_linked_to_and_never_off_the_desk(desk):
    case_id = desk.seeded[5]["case_id"]
    browser = FlaskBrowser(desk.test_client())
    asked = browser.get(f"/desk/kasus/{case_id}", allow_redirects=False)
    assert asked.status_code == 302 and f"next=/desk/kasus/{case_id}" in asked.headers["Location"]
    page = browser.get(asked.headers["Location"])
    assert f'name="next" value="/desk/kasus/{case_id}"' in page.text
    secret = login_via(browser, page, f"/desk/kasus/{case_id}")
    other = FlaskBrowser(desk.test_client())  # tests/unit/test_desk_landing.py tries the other hostile forms
    login_via(other, other.get("/desk/masuk", query_string={"next": "//evil.example/desk/"}), None, secret)


def login_via(browser, page, expected_path, secret=None):
    """Password and code; asserts where the last redirect goes (the case, or the list for `None`)."""
    from tests.support.desk import SECRET, fresh_code
    next_value = re.search(r'name="next" value="([^"]*)"', page.text)
    form = {"csrf_token": token(page), "username": "petugas-14.03", "password": PASSWORD}
    if next_value:
        form["next"] = next_value.group(1).replace("&amp;", "&")
    page = browser.post("/desk/masuk", data=form)
    enrolling = SECRET.search(page.text)
    secret = enrolling.group(1) if enrolling else secret
    step = "daftar-kode" if enrolling else "kode"
    done = browser.client.post(f"/desk/masuk/{step}", data={"csrf_token": token(page), "code": fresh_code(secret)})
    if enrolling:  # the recovery codes first, shown once; their "go on" link leads where the login was for
        assert done.status_code == 200 and 'id="recovery-codes"' in done.text
        assert f'class="button" href="{expected_path or "/desk/"}"' in done.text
        return secret
    assert done.status_code == 302
    assert done.headers["Location"] == (expected_path or "/desk/"), done.headers["Location"]
    return secret


def test_times_show_in_the_units_own_zone_named(desk):
    browser = signed_in(desk)
    case = desk.seeded[0]
    page = browser.get(f"/desk/kasus/{case['case_id']}")
    assert re.search(r"\d{4}-\d\d-\d\d \d\d\.\d\d WIB", page.text) and " UTC" not in page.text


def test_an_empty_location_shows_nothing_rather_than_none(desk):
    service = desk.extensions["netra.desk"]
    case = desk.seeded[2]
    with service.cases.engine.begin() as conn:
        conn.execute(cases_table.update().where(cases_table.c.case_id == case["case_id"])
                     .values(violation={**case["violation"], "location": None}))
    page = signed_in(desk).get(f"/desk/kasus/{case['case_id']}")
    assert page.status_code == 200 and "None" not in page.text and case["violation"]["occurred_on"] in page.text
