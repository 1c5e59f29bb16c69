"""Accounts people manage themselves, on the real PostgreSQL and the loopback SMTP server: invitations mailed
as one-time links, each person's own password and TOTP, recovery codes, a reset by mailed link, and an admin
who can disable and revoke but never set a password or sign in as anyone."""
import uuid

import pytest

from services.desk import cli
from services.desk.app import create_app
from services.desk.settings import DeskSettings
from tests.support.account_links import accept as accept_link
from tests.support.account_links import mailed_link, path_of, stored_in
from tests.support.desk import SECRET, TOKEN, FlaskBrowser, login, token
from tests.support.migrated import migrated_database
from tests.support.servers import Mailbox

pytestmark = pytest.mark.integration
PASSWORD = "kata-sandi-yang-panjang"
NEW_PASSWORD = "kata-sandi-baru-yang-panjang"
UNIT, UNIT_ADDRESS = "bkpsdm-14.03", "bkpsdm-14.03@unit.netra.invalid"

database_url = migrated_database("desk")


@pytest.fixture
def app(database_url, s3, monkeypatch):
    monkeypatch.setenv("NETRA_DATABASE_URL", database_url)  # the CLI's database too
    return create_app(DeskSettings(database_url=database_url), store=s3)


def accept(app, link: str, username: str, password: str = PASSWORD):
    return accept_link(app, link, username, password)


def stored(app):
    return stored_in(app)


def invite_officer(app, admin: FlaskBrowser, email: str, role: str = "petugas") -> str:
    page = admin.get("/desk/akun")
    page = admin.post("/desk/akun/undang", data={"csrf_token": token(page), "email": email, "role": role})
    assert f"Undangan dikirim ke {email}" in page.text, page.text[:2000]
    return mailed_link(Mailbox(), email, stored(app))[0]


def first_admin(app, capsys) -> tuple[FlaskBrowser, str]:
    """The operator invites the unit's first admin from the CLI; the admin accepts from the unit's mailbox."""
    assert cli.main(["invite-admin", UNIT]) == 0
    assert "1 undangan admin dikirim (bkpsdm-14.03)" in capsys.readouterr().out
    link, mail = mailed_link(Mailbox(), UNIT_ADDRESS, stored(app))
    assert mail["To"] == UNIT_ADDRESS and "BKPSDM Kabupaten Bengkalis" in mail["Subject"]
    username = f"admin-{uuid.uuid4().hex[:6]}"
    browser, _, _ = accept(app, link, username)
    return browser, username


def test_invited_people_set_their_own_password_and_totp_and_get_recovery_codes(app, capsys):
    admin, _ = first_admin(app, capsys)
    assert cli.main(["invite-admin", UNIT]) == 0  # a rerun skips a unit that has its admin
    out = capsys.readouterr().out
    assert "0 undangan admin dikirim" in out and "1 unit sudah punya admin" in out
    email = f"siska-{uuid.uuid4().hex[:6]}@bengkalis.example.go.id"
    link = invite_officer(app, admin, email)
    officer, secret, codes = accept(app, link, "siska")
    assert "Daftar kasus" in officer.get("/desk/").text
    again = FlaskBrowser(app.test_client())
    assert again.get(path_of(link)).status_code == 404  # the link worked once
    siska = app.extensions["netra.desk"].accounts.by_username("siska")
    assert (siska["email"], siska["name"], siska["role"], siska["unit_id"]) == (email, "Nama siska", "petugas", UNIT)
    assert PASSWORD not in str(siska) and all(code not in str(siska) for code in codes)
    fresh = FlaskBrowser(app.test_client())
    login(fresh, "/desk", "siska", PASSWORD, secret)  # password and TOTP, as every day
    audit = admin.get("/desk/audit").text
    for action in ("account.invited", "account.invitation_accepted", "account.second_factor_enrolled", "login"):
        assert action in audit


def test_a_recovery_code_signs_in_once_in_place_of_the_totp_code(app, capsys):
    admin, _ = first_admin(app, capsys)
    _, _, codes = accept(app, invite_officer(app, admin, f"{uuid.uuid4().hex[:8]}@example.go.id"), "budi")
    for attempt, expected in ((codes[0], 200), (codes[0], 401)):
        browser = FlaskBrowser(app.test_client())
        page = browser.get("/desk/masuk")
        page = browser.post("/desk/masuk", data={"csrf_token": token(page), "username": "budi", "password": PASSWORD})
        page = browser.post("/desk/masuk/kode", data={"csrf_token": token(page), "code": attempt})
        assert page.status_code == expected
    assert "Daftar kasus" not in page.text


def without_token(text: str) -> str:
    return text.replace(TOKEN.search(text).group(1), "")


def test_a_forgotten_password_is_reset_by_a_mailed_link_once(app, capsys, mailbox):
    admin, _ = first_admin(app, capsys)
    email = f"rina-{uuid.uuid4().hex[:6]}@example.go.id"
    _, secret, _ = accept(app, invite_officer(app, admin, email), "rina")
    stranger = FlaskBrowser(app.test_client())
    page = stranger.get("/desk/masuk/lupa")
    unknown = stranger.post("/desk/masuk/lupa", data={"csrf_token": token(page), "email": f"x{email}"})
    known = stranger.post("/desk/masuk/lupa", data={"csrf_token": token(page), "email": email.upper()})
    assert unknown.status_code == known.status_code == 200
    # Nothing tells whether an address has an account: the pages differ only in their fresh CSRF token, which
    # carries the second it was signed.
    assert without_token(unknown.text) == without_token(known.text)
    link, mail = mailed_link(mailbox, email, stored(app))
    assert mail["To"] == email and "/desk/masuk/atur-ulang/" in link
    assert not mailbox.matching(f"x{email}")
    page = stranger.get(path_of(link))
    short = stranger.post(path_of(link), data={"csrf_token": token(page), "password": "pendek", "confirm": "pendek"})
    assert short.status_code == 422 and "paling sedikit 12" in short.text  # a typo does not spend the link
    done = stranger.post(path_of(link), data={"csrf_token": token(page), "password": NEW_PASSWORD,
                                              "confirm": NEW_PASSWORD})
    assert "Kata sandi diganti" in done.text
    assert stranger.get(path_of(link)).status_code == 404
    old = FlaskBrowser(app.test_client())
    page = old.get("/desk/masuk")
    assert old.post("/desk/masuk", data={"csrf_token": token(page), "username": "rina",
                                         "password": PASSWORD}).status_code == 401
    login(FlaskBrowser(app.test_client()), "/desk", "rina", NEW_PASSWORD, secret)  # the TOTP is still asked
    assert "account.password_reset" in admin.get("/desk/audit").text


def test_reset_requests_for_one_address_are_throttled(app):
    browser = FlaskBrowser(app.test_client())
    page = browser.get("/desk/masuk/lupa")
    email = f"{uuid.uuid4().hex[:8]}@example.go.id"
    answers = [browser.post("/desk/masuk/lupa", data={"csrf_token": token(page), "email": email}).status_code
               for _ in range(4)]
    assert answers == [200, 200, 200, 429]  # NETRA_RESET_RATE, 3 per hour as shipped
    other = browser.post("/desk/masuk/lupa", data={"csrf_token": token(page), "email": "lain@example.go.id"})
    assert other.status_code == 200


def test_an_officer_changes_their_own_password(app, capsys):
    admin, _ = first_admin(app, capsys)
    officer, secret, _ = accept(app, invite_officer(app, admin, f"{uuid.uuid4().hex[:8]}@example.go.id"), "tono")
    other_device = FlaskBrowser(app.test_client())
    login(other_device, "/desk", "tono", PASSWORD, secret)
    page = officer.get("/desk/sandi")
    wrong = officer.post("/desk/sandi", data={"csrf_token": token(page), "current": "salah-salah-salah",
                                              "password": NEW_PASSWORD, "confirm": NEW_PASSWORD})
    assert wrong.status_code == 422 and "Kata sandi saat ini salah" in wrong.text
    done = officer.post("/desk/sandi", data={"csrf_token": token(page), "current": PASSWORD,
                                             "password": NEW_PASSWORD, "confirm": NEW_PASSWORD})
    assert "Kata sandi diganti" in done.text and "Daftar kasus" in officer.get("/desk/").text
    assert other_device.get("/desk/", allow_redirects=False).status_code == 302  # signed out elsewhere
    assert "account.password_changed" in admin.get("/desk/audit").text


def test_an_admin_revokes_a_second_factor_and_disables_but_never_sets_a_password(app, capsys):
    admin, _ = first_admin(app, capsys)
    officer, secret, codes = accept(app, invite_officer(app, admin, f"{uuid.uuid4().hex[:8]}@example.go.id"), "dewi")
    dewi = app.extensions["netra.desk"].accounts.by_username("dewi")
    page = admin.get("/desk/akun")
    assert "dewi" in page.text and "password" not in page.text.lower().replace('type="password"', "")
    # No page takes a password for someone else: the old "create with a password" form is gone.
    created = admin.post("/desk/akun", data={"csrf_token": token(page), "username": "boneka", "role": "petugas",
                                             "password": PASSWORD})
    assert created.status_code == 405
    assert app.extensions["netra.desk"].accounts.by_username("boneka") is None
    for path in (f"/desk/akun/{dewi['id']}/sandi", f"/desk/akun/{dewi['id']}/masuk-sebagai"):
        assert admin.post(path, data={"csrf_token": token(page), "password": NEW_PASSWORD}).status_code == 404
    admin.post(f"/desk/akun/{dewi['id']}/reset-kode", data={"csrf_token": token(page)})
    assert officer.get("/desk/", allow_redirects=False).status_code == 302  # the old factor's session ended
    again = FlaskBrowser(app.test_client())
    page = again.get("/desk/masuk")
    page = again.post("/desk/masuk", data={"csrf_token": token(page), "username": "dewi", "password": PASSWORD})
    new_secret = SECRET.search(page.text).group(1)  # the owner enrols anew, with her own password
    assert new_secret != secret
    page = again.post("/desk/masuk/kode", data={"csrf_token": token(page), "code": codes[1]})
    assert "Daftar kasus" not in page.text  # the revoked factor's recovery codes went with it
    admin.post(f"/desk/akun/{dewi['id']}/nonaktifkan", data={"csrf_token": token(admin.get('/desk/akun'))})
    blocked = FlaskBrowser(app.test_client())
    page = blocked.get("/desk/masuk")
    assert blocked.post("/desk/masuk", data={"csrf_token": token(page), "username": "dewi",
                                             "password": PASSWORD}).status_code == 401
    audit = admin.get("/desk/audit").text
    assert "account.second_factor_reset" in audit and "account.disabled" in audit


def test_bulk_invitations_skip_units_done_and_name_unknown_ones(app, capsys):
    assert cli.main(["invite-admin", "bkpsdm-14.03", "kesbangpol-14.03", "tidak-ada"]) == 1
    out, err = capsys.readouterr()
    assert "2 undangan admin dikirim (bkpsdm-14.03, kesbangpol-14.03)" in out and "'tidak-ada'" in err
    assert cli.main(["invite-admin", "bkpsdm-14.03", "kesbangpol-14.03"]) == 0  # each has its open invitation
    out = capsys.readouterr().out
    assert "0 undangan admin dikirim" in out and "2 sudah diundang" in out
    assert cli.main(["invite-admin", "bkpsdm-14.03", "--all-units"]) == 2


def test_the_operator_invites_the_officers_a_directory_sheet_lists_once(app, capsys):
    first, second = (f"{name}-{uuid.uuid4().hex[:6]}@bengkalis.example.go.id" for name in ("tono", "wati"))
    assert cli.main(["invite-officers", f"{UNIT}={first},{second}"]) == 0
    assert "2 undangan petugas dikirim" in capsys.readouterr().out
    link, mail = mailed_link(Mailbox(), first, stored(app))
    assert mail["To"] == first and "BKPSDM Kabupaten Bengkalis" in mail["Subject"]
    officer, _, _ = accept(app, link, f"tono-{uuid.uuid4().hex[:4]}")
    assert "Daftar kasus" in officer.get("/desk/").text
    account = app.extensions["netra.desk"].accounts.by_email(first)[0]
    assert (account["role"], account["unit_id"]) == ("petugas", UNIT)
    assert cli.main(["invite-officers", f"{UNIT}={first},{second}"]) == 0  # a rerun sends nothing again
    assert "0 undangan petugas dikirim; 1 sudah punya akun di unitnya; 1 sudah diundang." in capsys.readouterr().out
    assert cli.main(["invite-officers", "unit-yang-tidak-ada=x@example.go.id"]) == 1
    assert "unit 'unit-yang-tidak-ada' tidak ada" in capsys.readouterr().err
    assert cli.main(["invite-officers", "tanpa-alamat"]) == 2
    assert "bukan UNIT=SUREL" in capsys.readouterr().err
