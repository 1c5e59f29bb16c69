"""The abuse-limit store goes away: intake and the desk keep answering (never a 500), and each process goes
on counting the general per-client limit in its own memory until the store is back (docs/operations.md)."""

from services.desk.app import create_app as create_desk
from services.desk.settings import DeskSettings
from services.intake.app import create_app as create_intake
from services.intake.settings import IntakeSettings
from tests.support.desk import token as desk_token
from tests.support.lacak import wrong_receipt_guess as lacak
from tests.support.migrated import migrated_database
from tests.support.redis_server import own_redis


intake_database = migrated_database("intake")
desk_database = migrated_database("desk")


def test_intake_answers_while_the_store_is_down_and_still_counts_in_memory(intake_database):
    with own_redis() as store:
        # The general limit is what the outage leaves counting: small here so the test can reach it.
        settings = IntakeSettings(database_url=intake_database, rate_limit_storage_url=store.url,
                                  rate_limit_default="8/minute")
        client = create_intake(settings).test_client()
        assert lacak(client).status_code == 404
        assert any(b"netra-intake" in name for name in store.client().keys()), "counted in the store first"
        store.stop()
        answers = [client.get("/api/v1/reference/categories").status_code for _ in range(9)]
    assert answers == [200] * 8 + [429]
    assert lacak(client).status_code == 404  # another route: its own count in memory


def test_the_desk_login_answers_while_the_store_is_down(desk_database, s3):
    with own_redis() as store:
        app = create_desk(DeskSettings(database_url=desk_database, rate_limit_storage_url=store.url), store=s3)
        client = app.test_client()
        page = client.get("/desk/masuk")
        store.stop()
        answer = client.post("/desk/masuk", data={"csrf_token": desk_token(page), "username": "siapa",
                                                  "password": "salah"})
    assert answer.status_code == 401 and "kata sandi atau kode salah" in answer.text
