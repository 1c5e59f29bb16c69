"""A locked login on the real PostgreSQL and the shared Redis: the unit's admin sees until when, in the unit's
own time, and can unlock it (audited); the waiting client is told how long, the same for any username."""
import re

from services.desk.accounts import accounts as acc
from services.desk.app import create_app
from services.desk.settings import DeskSettings
from tests.support.desk import FlaskBrowser, login, token
from tests.support.migrated import migrated_database

PASSWORD = "kata-sandi-yang-panjang"
CLIENT = "203.0.113.77"

database_url = migrated_database("desk")  # services never create their tables


def make_app(database_url, s3):
    app = create_app(DeskSettings(database_url=database_url, trusted_proxies=1), store=s3)
    desk = app.extensions["netra.desk"]
    acc.new_account(desk.accounts, desk.units, "budi", "bkpsdm-14.03", "petugas", PASSWORD)
    acc.new_account(desk.accounts, desk.units, "admin-14.03", "bkpsdm-14.03", "admin", PASSWORD)
    return app


def attempt(app, username: str, password: str, address: str = CLIENT):
    client = app.test_client()
    headers = {"X-Forwarded-For": address}
    page = client.get("/desk/masuk", headers=headers)
    return client.post("/desk/masuk", headers=headers,
                       data={"csrf_token": token(page), "username": username, "password": password})


def state_of(page, username: str) -> str:
    row = re.search(rf"<tr><td data-label=\"Nama pengguna\">{username}</td>.*?</tr>", page.text, re.S).group(0)
    return re.sub(r"<[^>]+>", "", re.search(r'class="account-state">(.*?)</td>', row, re.S).group(1)).strip()


def test_the_admin_sees_a_locked_login_until_when_and_unlocks_it(database_url, s3):
    app = make_app(database_url, s3)
    assert [attempt(app, "budi", "salah").status_code for _ in range(5)] == [401] * 5
    waiting = attempt(app, "budi", PASSWORD)
    assert waiting.status_code == 429 and "Coba lagi dalam 15 menit." in waiting.text
    admin = FlaskBrowser(app.test_client())
    login(admin, "/desk", "admin-14.03", PASSWORD)
    page = admin.get("/desk/akun")
    assert re.fullmatch(r"terkunci sampai \d{4}-\d\d-\d\d \d\d\.\d\d WIB", state_of(page, "budi")), state_of(page, "budi")
    assert state_of(page, "admin-14.03") == "aktif"
    budi_id = app.extensions["netra.desk"].accounts.by_username("budi")["id"]
    unlocked = admin.post(f"/desk/akun/{budi_id}/buka-kunci", data={"csrf_token": token(page)})
    assert "Kunci masuk budi dibuka" in unlocked.text and state_of(unlocked, "budi") == "aktif"
    assert attempt(app, "budi", PASSWORD).status_code == 302  # the same client, at once
    audit = admin.get("/desk/audit").text
    assert "Membuka kunci masuk akun" in audit and "budi" in audit


def test_the_wait_reads_the_same_for_an_unknown_username(database_url, s3):
    app = make_app(database_url, s3)
    known = [attempt(app, "budi", "salah", "192.0.2.31") for _ in range(6)]
    unknown = [attempt(app, "tidak-ada", "salah", "192.0.2.32") for _ in range(6)]
    assert [a.status_code for a in known] == [a.status_code for a in unknown] == [401] * 5 + [429]
    without_token = [re.sub(r'name="csrf_token" value="[^"]+"', "", a.text) for a in (known[-1], unknown[-1])]
    assert without_token[0] == without_token[1] and "Coba lagi dalam 15 menit." in without_token[0]
