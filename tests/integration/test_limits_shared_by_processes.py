"""Two app instances stand for two processes (or pods): with the shared Redis they count one client together,
so the /lacak guess limit and the desk's login failures hold whichever process a request reaches."""

from services.desk.accounts import accounts as acc
from services.desk.app import create_app as create_desk
from services.desk.settings import DeskSettings
from services.intake.app import create_app as create_intake
from services.intake.settings import IntakeSettings
from tests.support.desk import token as desk_token
from tests.support.lacak import wrong_receipt_guess as lacak
from tests.support.migrated import migrated_database


intake_database = migrated_database("intake")
desk_database = migrated_database("desk")


def test_the_lacak_guess_limit_holds_across_processes(intake_database):
    settings = IntakeSettings(database_url=intake_database, rate_limit_tracking="3/minute")
    first, second = (create_intake(settings).test_client() for _ in range(2))
    answers = [lacak(client).status_code for client in (first, second, first, second)]
    assert answers == [404, 404, 404, 429]
    assert "Terlalu banyak percobaan" in lacak(first).text


def test_login_failures_count_across_processes(desk_database, s3):
    settings = DeskSettings(database_url=desk_database)
    apps = [create_desk(settings, store=s3) for _ in range(2)]
    desk = apps[0].extensions["netra.desk"]
    acc.new_account(desk.accounts, desk.units, "budi", next(iter(desk.units)), "petugas", "kata-sandi-yang-panjang")
    answers = []
    for n in range(settings.login_max_failures + 1):
        client = apps[n % 2].test_client()
        page = client.get("/desk/masuk")
        answers.append(client.post("/desk/masuk", data={"csrf_token": desk_token(page), "username": "budi",
                                                        "password": "salah"}).status_code)
    assert answers == [401] * settings.login_max_failures + [429]
