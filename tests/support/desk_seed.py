"""Many cases in a desk database the way they arrive (case.routed through the desk's own handler), for the
case list's tests: each with its own civil servant, NIP, category and day of arrival."""
from __future__ import annotations

import copy
from datetime import datetime, timedelta, timezone

from sqlalchemy import update

from services.desk.cases.arrivals import case_arrived
from services.desk.tables import cases as cases_table
from services.reference.vocabulary import codes
from tests.support.desk import routed

NAMES = ("Budi Santoso", "Siti Aminah", "Agus Pratama", "Dewi Lestari", "Rudi Hartono")


def seed_cases(repository, unit_id: str, region: str, count: int) -> list[dict]:
    """`count` cases for `unit_id`; each payload is returned, with the day its case arrived."""
    categories = codes("categories")
    made = []
    for n in range(count):
        event = routed(unit_id, region, b"", category=categories[n % len(categories)])
        payload = event["payload"]
        payload["subject"] = {**copy.deepcopy(payload["subject"]), "name": f"{NAMES[n % len(NAMES)]} {n:04d}",
                              "nip": f"19850312201001{n:04d}"}
        case_arrived(event, repository)
        arrived = datetime(2026, 11, 1, 3, tzinfo=timezone.utc) + timedelta(hours=6 * n)
        with repository.engine.begin() as conn:
            conn.execute(update(cases_table).where(cases_table.c.case_id == payload["case_id"])
                         .values(received_at=arrived))
        made.append({**payload, "received_at": arrived})
    return made
