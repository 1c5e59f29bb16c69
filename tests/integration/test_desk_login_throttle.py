"""Login throttling on the real PostgreSQL and the shared Redis, behind one trusted proxy (X-Forwarded-For).

Nobody learns which usernames exist, and nobody's failures lock the officer out from another address.
"""
import re


from services.desk.accounts import accounts as acc
from services.desk.app import create_app
from services.desk.settings import DeskSettings
from tests.support.desk import token
from tests.support.migrated import migrated_database

PASSWORD = "kata-sandi-yang-panjang"
ATTACKER, OFFICER = "203.0.113.66", "198.51.100.7"

database_url = migrated_database("desk")  # services never create their tables


def make_app(database_url, s3, **settings):
    """The desk as the shipped Kubernetes manifests run it: behind the ingress, one trusted proxy."""
    app = create_app(DeskSettings(database_url=database_url, trusted_proxies=1, **settings), store=s3)
    desk = app.extensions["netra.desk"]
    acc.new_account(desk.accounts, desk.units, "budi", next(iter(desk.units)), "petugas", PASSWORD)
    return app


def attempt(app, address: str, username: str, password: str):
    """One login attempt from a fresh browser at `address`, as the proxy reports it."""
    client = app.test_client()
    headers = {"X-Forwarded-For": address}
    page = client.get("/desk/masuk", headers=headers)
    return client.post("/desk/masuk", headers=headers,
                       data={"csrf_token": token(page), "username": username, "password": password})


def seen(answer) -> tuple[int, str]:
    """What a visitor sees, without the form's own CSRF token."""
    return answer.status_code, re.sub(r'name="csrf_token" value="[^"]+"', "", answer.text)


def test_known_and_unknown_usernames_get_identical_answers_and_the_wait(database_url, s3):
    app = make_app(database_url, s3)
    known = [seen(attempt(app, "192.0.2.10", "budi", "salah")) for _ in range(6)]
    unknown = [seen(attempt(app, "192.0.2.10", "tidak-ada", "salah")) for _ in range(6)]
    assert known == unknown
    assert [status for status, _ in known] == [401] * 5 + [429]
    assert "Nama pengguna, kata sandi atau kode salah." in known[0][1]
    assert "Coba lagi dalam 15 menit." in known[-1][1]
    assert 0 < int(attempt(app, "192.0.2.10", "tidak-ada", PASSWORD).headers["Retry-After"]) <= 15 * 60


def test_one_clients_failures_do_not_lock_the_officer_out_from_elsewhere(database_url, s3):
    app = make_app(database_url, s3)
    answers = [attempt(app, ATTACKER, "budi", "salah").status_code for _ in range(6)]
    assert answers == [401] * 5 + [429]
    assert attempt(app, ATTACKER, "budi", PASSWORD).status_code == 429  # that client waits, even when right
    officer = attempt(app, OFFICER, "budi", PASSWORD)
    assert officer.status_code == 302 and officer.headers["Location"].endswith("/desk/masuk/daftar-kode")


def test_a_forwarded_for_the_client_wrote_itself_changes_nothing(database_url, s3):
    """Each attempt claims another address in front of the trusted proxy's entry: only the last one counts."""
    app = make_app(database_url, s3)
    answers = [attempt(app, f"10.0.0.{n}, {ATTACKER}", "budi", "salah").status_code for n in range(6)]
    assert answers == [401] * 5 + [429]


def test_guessing_one_username_from_many_addresses_is_limited_too(database_url, s3):
    app = make_app(database_url, s3, login_failures_per_username="3 per hour")
    answers = [attempt(app, f"192.0.2.{n}", "tidak-ada", "salah").status_code for n in range(1, 5)]
    assert answers == [401, 401, 401, 429]
