"""Case numbers against the real PostgreSQL: cases routed at the same moment in one region get 1..n, with no
gap and no number twice, even when redeliveries of the same complaints race them (a redelivery stores no case,
and gives back the number its transaction took)."""
import threading
from datetime import datetime

import pytest
from sqlalchemy import select

from services.routing.handlers import route_case
from services.routing.numbering import JAKARTA
from services.routing.repository import SqlCases, case_number_counters, cases
from tests.support.migrated import migrated_database
from tests.support.routing_events import archived_case as archived, complaint_number as complaint

pytestmark = pytest.mark.integration
database_url = migrated_database("routing")  # services never create their tables
CASES = 50


def test_fifty_cases_routed_at_once_in_one_region_are_numbered_1_to_50(engine, router):
    deliveries = [archived(complaint(n)) for n in range(CASES)] + [archived(complaint(n)) for n in range(0, CASES, 5)]
    barrier, announced, failures = threading.Barrier(len(deliveries)), [], []

    def deliver(event):
        barrier.wait()
        try:
            route_case(event, router, SqlCases(engine), announced.append)
        except Exception as error:  # noqa: BLE001 - the assertion below names it
            failures.append(error)
    threads = [threading.Thread(target=deliver, args=(event,)) for event in deliveries]
    [thread.start() for thread in threads]
    [thread.join(timeout=120) for thread in threads]

    year = datetime.now(JAKARTA).year
    assert failures == []
    with engine.connect() as conn:
        stored = dict(conn.execute(select(cases.c.complaint_id, cases.c.case_number)).all())
        counter = conn.execute(select(case_number_counters.c.last)
                               .where(case_number_counters.c.region == "1403")).scalar_one()
    assert sorted(stored.values()) == [f"NTR-{year}-1403-{n:05d}" for n in range(1, CASES + 1)]
    assert counter == CASES
    by_complaint = {event["payload"]["complaint_id"]: event["payload"]["case_number"] for event in announced}
    assert len(announced) == len(deliveries) and by_complaint == stored, "a redelivery announces the stored number"
