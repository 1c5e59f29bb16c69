"""One pending transfer per case on the real PostgreSQL: two requests at once leave one waiting, and the
other officer reads the desk's refusal on the case page, not an error page."""
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor

import pytest
from alembic import command
from sqlalchemy import create_engine, text
from sqlalchemy.exc import IntegrityError

from services.common import migrations
from services.desk.cases.case import ONE_PENDING
from services.desk.cases.changes import Change, Refused
from tests.support import servers
from tests.support.desk import desk_with_a_case, signed_in, token
from tests.support.migrated import migrated_database

pytestmark = pytest.mark.integration
UNIT = "bkpsdm-14.03"
REQUESTED = "Pengalihan diajukan; menunggu persetujuan kepala unit."


database_url = migrated_database("desk")  # services never create their tables


@pytest.fixture
def desk(database_url, s3):
    app = desk_with_a_case(database_url, s3, {"petugas-14.03": "petugas", "kepala-14.03": "kepala"}, seed=11,
                           unit=UNIT, desk_url="http://127.0.0.1:8090")
    app.config["RATELIMIT_ENABLED"] = False
    app.case_id = app.case["case_id"]
    return app


def waiting_for_the_lock(engine, count: int, timeout: float = 30) -> None:
    """Until `count` sessions of this database wait for a row lock: both requests are in their transaction."""
    deadline = time.monotonic() + timeout
    query = text("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                 "AND wait_event_type = 'Lock'")
    while time.monotonic() < deadline:
        with engine.connect() as conn:
            if conn.execute(query).scalar() >= count:
                return
        time.sleep(0.05)
    raise AssertionError(f"{count} requests never waited for the case's row lock")


def pending_transfers(engine, case_id: str) -> list[str]:
    with engine.connect() as conn:
        return list(conn.execute(text("SELECT to_unit_id FROM transfers WHERE case_id = :case AND state = 'diajukan'"),
                                 {"case": case_id}).scalars())


def test_two_transfer_requests_at_once_leave_one_pending_and_the_other_officer_reads_why(desk, database_url):
    case_url = f"/desk/kasus/{desk.case_id}"
    officers = [signed_in(desk, "petugas-14.03"), signed_in(desk, "kepala-14.03")]
    forms = [{"csrf_token": token(officer.get(case_url)), "to_unit_id": "bkd-14", "reason": f"Alasan {n}."}
             for n, officer in enumerate(officers)]
    engine = create_engine(database_url)
    start = threading.Barrier(2)

    def request(n):
        start.wait()
        return officers[n].post(f"{case_url}/pengalihan", data=forms[n])

    with engine.connect() as holder, ThreadPoolExecutor(2) as pool:
        held = holder.begin()
        holder.execute(text("SELECT 1 FROM cases WHERE case_id = :case FOR UPDATE"), {"case": desk.case_id})
        answers = [pool.submit(request, n) for n in range(2)]
        waiting_for_the_lock(engine, 2)  # both requests are past their checks' start, inside the transaction
        held.rollback()
        pages = [answer.result(timeout=60) for answer in answers]
    assert [page.status_code for page in pages] == [200, 200]
    assert sorted((REQUESTED in page.text, ONE_PENDING in page.text) for page in pages) == [(False, True),
                                                                                             (True, False)]
    assert pending_transfers(engine, desk.case_id) == ["bkd-14"]
    engine.dispose()


def test_the_index_refuses_a_second_pending_transfer_the_lock_did_not_see(desk, database_url):
    cases = desk.extensions["netra.desk"].cases

    def transfer():
        return {"transfer_id": str(uuid.uuid4()), "case_id": desk.case_id, "from_unit_id": UNIT, "to_unit_id": "bkd-14",
                "reason": "alasan", "requested_by": "budi", "requested_at": "2026-12-07T03:00:00+00:00",
                "state": "diajukan"}
    cases.act(desk.case_id, lambda case: Change(case.case_id, new_transfer=transfer()))
    with pytest.raises(Refused) as refused:  # an action that skips the Case's own check
        cases.act(desk.case_id, lambda case: Change(case.case_id, new_transfer=transfer()))
    assert refused.value.reasons == [ONE_PENDING]
    engine = create_engine(database_url)
    with pytest.raises(IntegrityError, match="ix_transfers_one_pending"), engine.begin() as conn:
        conn.execute(text("INSERT INTO transfers (transfer_id, case_id, from_unit_id, to_unit_id, reason, "
                          "requested_by, requested_at, state) VALUES (:id, :case, 'x', 'y', 'r', 'b', now(), "
                          "'diajukan')"), {"id": str(uuid.uuid4()), "case": desk.case_id})
    assert pending_transfers(engine, desk.case_id) == ["bkd-14"]
    engine.dispose()


@pytest.fixture
def unmigrated_url():
    name, url = servers.new_database()
    yield url
    servers.drop_database(name)


def test_the_upgrade_stops_and_names_a_case_that_already_holds_two_pending_transfers(unmigrated_url):
    """The desk's 0006 on a database an earlier version let collect two requests for one case."""
    engine = create_engine(unmigrated_url)
    with engine.connect() as conn:
        command.upgrade(migrations.alembic_config("desk", conn), "0005")
        conn.commit()
    with engine.begin() as conn:
        for n in range(2):
            conn.execute(text("INSERT INTO transfers (transfer_id, case_id, from_unit_id, to_unit_id, reason, "
                              "requested_by, requested_at, state) VALUES (:id, 'case-doubled', 'x', 'y', 'r', 'b', "
                              "now(), 'diajukan')"), {"id": f"t-{n}"})
    with pytest.raises(RuntimeError, match="case-doubled"):
        migrations.upgrade("desk", unmigrated_url)
    with engine.connect() as conn:
        assert migrations.current(conn, "desk") == "0005"
    engine.dispose()
