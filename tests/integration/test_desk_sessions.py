"""Desk sessions end on the server (services/desk/accounts/sessions.py), on the real PostgreSQL: a copy of the session
cookie taken before logout, before the admin disables the account or before a second-factor reset signs
nobody in after it. Logout ends only the session it is sent from; disabling and a reset end every session
of the account, on every device."""
import pytest

from services.desk.accounts import accounts as acc
from services.desk.app import create_app
from services.desk.settings import DeskSettings
from tests.support.desk import FlaskBrowser, login, token
from tests.support.migrated import migrated_database

PASSWORD = "kata-sandi-yang-panjang"
UNIT = "bkpsdm-14.03"
COOKIE = "netra_desk"

database_url = migrated_database("desk")  # services never create their tables


@pytest.fixture
def app(database_url, s3):
    app = create_app(DeskSettings(database_url=database_url), store=s3)
    desk = app.extensions["netra.desk"]
    for username, role in (("admin.bengkalis", "admin"), ("siska", "petugas"), ("rudi", "petugas")):
        acc.new_account(desk.accounts, desk.units, username, UNIT, role, PASSWORD)
    return app


def device(app) -> FlaskBrowser:
    return FlaskBrowser(app.test_client())


def cookie_of(browser: FlaskBrowser) -> str:
    return browser.client.get_cookie(COOKIE, path="/desk").value


def holding(app, cookie: str) -> FlaskBrowser:
    """Another client sending a copied session cookie. Each check takes a fresh one: a refused request
    clears the cookie it came with, and whoever copied it still holds the copy."""
    thief = device(app)
    thief.client.set_cookie(COOKIE, cookie, path="/desk")
    return thief


def signed_in(browser: FlaskBrowser) -> bool:
    answer = browser.get("/desk/", allow_redirects=False)
    if answer.status_code == 302:
        assert "/desk/masuk" in answer.headers["Location"]
        return False
    assert answer.status_code == 200 and "Daftar kasus" in answer.text
    return True


def admin_acts(admin: FlaskBrowser, app, action: str, username: str) -> None:
    account = app.extensions["netra.desk"].accounts.by_username(username)
    page = admin.get("/desk/akun")
    assert admin.post(f"/desk/akun/{account['id']}/{action}", data={"csrf_token": token(page)}).status_code == 200


def logout(browser: FlaskBrowser) -> None:
    page = browser.get("/desk/")
    assert "Anda telah keluar" in browser.post("/desk/masuk/keluar", data={"csrf_token": token(page)}).text


def test_logout_ends_this_session_and_its_copies_but_not_the_officers_other_devices(app):
    laptop = device(app)
    secret = login(laptop, "/desk", "siska", PASSWORD)
    phone = device(app)
    login(phone, "/desk", "siska", PASSWORD, secret)
    copied = cookie_of(laptop)
    assert signed_in(holding(app, copied))  # the copy works while the session lives: it is the same cookie
    logout(laptop)
    assert not signed_in(holding(app, copied))
    assert not signed_in(laptop)
    assert signed_in(phone)


def test_disabling_an_account_ends_every_session_of_it_and_their_copies(app):
    admin = device(app)
    login(admin, "/desk", "admin.bengkalis", PASSWORD)
    officer = device(app)
    login(officer, "/desk", "siska", PASSWORD)
    copied = cookie_of(officer)
    admin_acts(admin, app, "nonaktifkan", "siska")
    assert not signed_in(holding(app, copied))
    admin_acts(admin, app, "nonaktifkan", "siska")  # enabled again: the sessions it had stay ended
    assert not signed_in(officer) and not signed_in(holding(app, copied))
    assert signed_in(admin)


def test_a_second_factor_reset_ends_every_session_of_the_account_and_their_copies(app):
    admin = device(app)
    login(admin, "/desk", "admin.bengkalis", PASSWORD)
    officer = device(app)
    old_secret = login(officer, "/desk", "rudi", PASSWORD)
    copied = cookie_of(officer)
    admin_acts(admin, app, "reset-kode", "rudi")
    assert not signed_in(holding(app, copied))
    again = device(app)
    assert login(again, "/desk", "rudi", PASSWORD) != old_secret  # enrols anew, and is in
    assert signed_in(again)
    assert not signed_in(officer) and not signed_in(holding(app, copied))  # the factor's sessions stay ended
