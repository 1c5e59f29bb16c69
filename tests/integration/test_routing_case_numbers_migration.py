"""Routing's migration 0004 against the real PostgreSQL: cases stored before case numbers existed get theirs,
in the order they were first routed, and the counters go on from there."""
import json
from datetime import datetime, timezone

import pytest
from sqlalchemy import select, text

from services.common import migrations
from services.common.db import make_engine
from services.routing.handlers import route_case
from services.routing.numbering import JAKARTA
from services.routing.repository import SqlCases, cases
from tests.support.migrated import upgrade_to
from tests.support.routing_events import complaint_number as complaint
from tests.support.routing_events import archived_case as archived

pytestmark = pytest.mark.integration


def test_cases_stored_before_numbers_get_theirs_in_routing_order_and_the_counter_goes_on(database_url, router):
    fresh = database_url
    engine = make_engine(fresh)
    upgrade_to("routing", fresh, "0003")
    with engine.begin() as conn:
        for n, region, hour in ((1, "14.03", 9), (2, None, 8), (3, "14.03", 7)):
            conn.execute(text("INSERT INTO cases (case_id, complaint_id, tracking_code, primary_unit_id, dossier) "
                              "VALUES (:id, :id, 'NTR-OLD', 'bkn-kanreg-12', :dossier)"),
                         {"id": f"old-{n}", "dossier": json.dumps({"subject": {"region_code": region}})})
            conn.execute(text("INSERT INTO case_routings (case_id, primary_unit, copies, matched_rule, fallback, "
                              "routed_at) VALUES (:id, '{}', '[]', 'r', '[]', :at)"),
                         {"id": f"old-{n}", "at": datetime(2026, 3, 2, hour, tzinfo=timezone.utc)})
    migrations.upgrade("routing", fresh)
    with engine.connect() as conn:
        numbers = dict(conn.execute(select(cases.c.case_id, cases.c.case_number)).all())
    assert numbers == {"old-3": "NTR-2026-1403-00001", "old-1": "NTR-2026-1403-00002", "old-2": "NTR-2026-0000-00001"}

    published = []
    route_case(archived(complaint(1)), router, SqlCases(engine), published.append)
    year = datetime.now(JAKARTA).year
    assert published[0]["payload"]["case_number"] == f"NTR-{year}-1403-{3 if year == 2026 else 1:05d}"
    engine.dispose()
