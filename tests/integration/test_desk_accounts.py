"""Accounts on the real PostgreSQL: the CLI an office starts with, the admin's page (an officer invited by mail),
login throttling."""
import io
import sys
import uuid

import pytest

from services.desk import cli
from services.desk.app import create_app
from services.desk.settings import DeskSettings
from tests.support.desk import FlaskBrowser, login, token
from tests.support.account_links import accept, mailed_link, stored_in
from tests.support.migrated import migrated_database
from tests.support.servers import Mailbox

PASSWORD = "kata-sandi-yang-panjang"


database_url = migrated_database("desk")  # services never create their tables


@pytest.fixture
def desk_env(database_url, monkeypatch):
    monkeypatch.setenv("NETRA_DATABASE_URL", database_url)
    return database_url


def make(argv):
    """The CLI as an operator runs it, the password on stdin."""
    sys.stdin = io.StringIO(PASSWORD + "\n")
    try:
        return cli.main(argv)
    finally:
        sys.stdin = sys.__stdin__


def test_the_first_admin_enrols_and_manages_the_units_accounts(desk_env, s3, capsys):
    assert make(["create-admin", "--unit", "bkpsdm-14.03", "--username", "admin.bengkalis"]) == 0
    assert "admin.bengkalis (admin, bkpsdm-14.03) dibuat" in capsys.readouterr().out
    assert make(["create-admin", "--unit", "bkpsdm-14.03", "--username", "admin.bengkalis"]) == 1
    assert "sudah dipakai" in capsys.readouterr().err
    app = create_app(DeskSettings(database_url=desk_env), store=s3)
    admin = FlaskBrowser(app.test_client())
    login(admin, "/desk", "admin.bengkalis", PASSWORD)
    page = admin.get("/desk/akun")
    email = f"siska-{uuid.uuid4().hex[:8]}@example.go.id"
    page = admin.post("/desk/akun/undang", data={"csrf_token": token(page), "email": email, "role": "petugas"})
    assert f"Undangan dikirim ke {email}" in page.text
    officer, secret, _ = accept(app, mailed_link(Mailbox(), email, stored_in(app))[0], "siska", PASSWORD)
    assert officer.get("/desk/akun").status_code == 404  # only admins manage accounts
    siska = app.extensions["netra.desk"].accounts.by_username("siska")
    admin.post(f"/desk/akun/{siska['id']}/nonaktifkan", data={"csrf_token": token(page)})
    assert officer.get("/desk/", allow_redirects=False).status_code == 302  # a disabled account's session ends
    assert make(["enable", "siska"]) == 0 and make(["reset-otp", "siska"]) == 0
    again = FlaskBrowser(app.test_client())
    assert login(again, "/desk", "siska", PASSWORD) != secret  # enrolled anew after the reset
    audit = admin.get("/desk/audit")
    assert audit.status_code == 200
    for action in ("account.created", "account.invited", "account.disabled", "account.enable", "account.reset-otp", "login"):
        assert action in audit.text


def test_logins_are_throttled(database_url, s3):
    app = create_app(DeskSettings(database_url=database_url, login_rate="3 per minute"), store=s3)
    client = app.test_client()
    page = client.get("/desk/masuk")
    answers = [client.post("/desk/masuk", data={"csrf_token": token(page), "username": "siapa", "password": "x"})
               for _ in range(4)]
    assert [a.status_code for a in answers] == [401, 401, 401, 429]
    assert "Terlalu banyak percobaan" in answers[-1].text
