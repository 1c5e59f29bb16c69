"""What the login steps say on the real PostgreSQL and Redis: a wrong code after the right password is named
as such, while a wrong password still reads the same as an unknown username."""
import pytest

from services.desk.accounts import accounts as acc
from services.desk.app import create_app
from services.desk.settings import DeskSettings
from tests.support.desk import FlaskBrowser, login, token
from tests.support.migrated import migrated_database

PASSWORD = "kata-sandi-yang-panjang"

database_url = migrated_database("desk")  # services never create their tables


@pytest.fixture
def desk(database_url, s3):
    app = create_app(DeskSettings(database_url=database_url), store=s3)
    service = app.extensions["netra.desk"]
    acc.new_account(service.accounts, service.units, "budi", next(iter(service.units)), "petugas", PASSWORD)
    app.secret = login(FlaskBrowser(app.test_client()), "/desk", "budi", PASSWORD)
    return app


def password_step(client, username, password):
    page = client.get("/desk/masuk")
    return client.post("/desk/masuk", data={"csrf_token": token(page), "username": username, "password": password},
                       follow_redirects=True)


def test_a_wrong_code_after_the_right_password_says_the_code_is_wrong(desk):
    client = desk.test_client()
    page = password_step(client, "budi", PASSWORD)
    answer = client.post("/desk/masuk/kode", data={"csrf_token": token(page), "code": "000000"})
    assert answer.status_code == 401
    assert "Kode salah atau sudah dipakai" in answer.text
    assert "kata sandi" not in answer.text.split("<main", 1)[-1].split("</main>")[0].lower()


def test_a_wrong_password_still_reads_like_an_unknown_username(desk):
    wrong = password_step(desk.test_client(), "budi", "salah-sekali")
    unknown = password_step(desk.test_client(), "tidak-ada", "salah-sekali")
    assert wrong.status_code == unknown.status_code == 401
    assert acc.WRONG in wrong.text and acc.WRONG in unknown.text
    assert "Kode salah" not in wrong.text
