"""A form sent after the desk session ended, on the real PostgreSQL, MinIO and Redis: the officer is told in
Indonesian to log in again, the login leads back to the form's page, and what was typed is there again."""
import re
from urllib.parse import urlsplit

import pytest

from services.desk.accounts import sessions
from tests.support.desk import FlaskBrowser, PASSWORD, desk_with_a_case, fresh_code, login, token
from tests.support.migrated import migrated_database

QUESTION = "Di grup mana unggahan itu pertama kali dibagikan?"
HOST = "http://localhost"

database_url = migrated_database("desk")  # services never create their tables


@pytest.fixture
def desk(database_url, s3):
    app = desk_with_a_case(database_url, s3, {"budi": "petugas"}, seed=11, stored=True)
    app.case_page = f"/desk/kasus/{app.case['case_id']}"
    return app


def open_case(app):
    browser = FlaskBrowser(app.test_client())
    secret = login(browser, "/desk", "budi", PASSWORD)
    return browser, secret, browser.get(app.case_page)


def ask(browser, app, page):
    return browser.client.post(f"{app.case_page}/pertanyaan", headers={"Referer": HOST + app.case_page},
                               data={"csrf_token": token(page), "question": QUESTION})


def log_in_again(browser, ended, secret):
    """Follows the page's own link to the login and through both steps."""
    link = re.search(r'id="go-on" href="([^"]+)"', ended.text).group(1).replace("&amp;", "&")
    page = browser.get(link)
    page = browser.post("/desk/masuk", data={"csrf_token": token(page), "username": "budi", "password": PASSWORD,
                                             "next": re.search(r'name="next" value="([^"]+)"', page.text).group(1)})
    return browser.post("/desk/masuk/kode", data={"csrf_token": token(page), "code": fresh_code(secret)})


def assert_says_log_in_again(ended, app):
    assert ended.status_code == 401
    assert "Sesi Anda telah berakhir" in ended.text and "Masuk lagi" in ended.text
    assert "CSRF" not in ended.text and "missing" not in ended.text
    link = re.search(r'id="go-on" href="([^"]+)"', ended.text).group(1).replace("&amp;", "&")
    assert urlsplit(link).path == "/desk/masuk" and QUESTION.split()[0] not in link
    assert app.case_page.replace("/", "%2F") in link or app.case_page in link


def test_a_form_sent_after_the_session_cookie_expired_leads_to_login_and_back_with_the_text(desk):
    browser, secret, page = open_case(desk)
    browser.client.delete_cookie("netra_desk", path="/desk")  # what the browser does after the idle time
    ended = ask(browser, desk, page)
    assert_says_log_in_again(ended, desk)
    back = log_in_again(browser, ended, secret)
    assert back.request.path == desk.case_page
    assert f'name="question" required>{QUESTION}</textarea>' in back.text
    assert f">{QUESTION}</textarea>" not in browser.get(desk.case_page).text  # put back once, then forgotten


def test_a_form_sent_after_the_session_ended_on_the_server_does_the_same(desk):
    browser, secret, page = open_case(desk)
    service = desk.extensions["netra.desk"]
    sessions.revoke_sessions(service.accounts, service.accounts.by_username("budi")["id"])  # e.g. a password change
    ended = ask(browser, desk, page)
    assert_says_log_in_again(ended, desk)
    back = log_in_again(browser, ended, secret)
    assert back.request.path == desk.case_page and f">{QUESTION}</textarea>" in back.text


def test_a_form_from_before_a_new_login_comes_back_filled_to_send_again(desk):
    browser, secret, stale = open_case(desk)
    login(browser, "/desk", "budi", PASSWORD, secret)  # a new login in another tab: a new form token
    back = browser.client.post(f"{desk.case_page}/pertanyaan", headers={"Referer": HOST + desk.case_page},
                               data={"csrf_token": token(stale), "question": QUESTION}, follow_redirects=True)
    assert back.request.path == desk.case_page and "Formulir ini sudah kedaluwarsa" in back.text
    assert f">{QUESTION}</textarea>" in back.text and "CSRF" not in back.text


def test_a_login_form_left_open_too_long_asks_to_try_again_in_indonesian(desk):
    client = desk.test_client()
    page = client.get("/desk/masuk")
    client.delete_cookie("netra_desk", path="/desk")
    answer = client.post("/desk/masuk", data={"csrf_token": token(page), "username": "budi", "password": PASSWORD},
                         headers={"Referer": HOST + "/desk/masuk"}, follow_redirects=True)
    assert answer.request.path == "/desk/masuk" and "Halaman ini sudah terlalu lama terbuka" in answer.text
    assert "CSRF" not in answer.text and PASSWORD not in answer.text
