"""Cases with a past, for the figures page's tests: each arrives the way cases arrive (case.routed through the
desk's handler), is dated back to its day of arrival, then moved by its unit's kepala through the desk's own
casework on the days given. The days are in November 2026, on the office clock (WIB, 09.00), so every verdict
below is fixed whatever day the tests run after it.

Expected for the Bengkalis unit, November 2026 (three cases; what the tests check):
  A  unggah_dukungan  every status left in time, sanction disiplin_ringan, closed after 24 days
  B  alat_peraga      first answered after 8 days (diterima was due 5 Nov: late), closed after 14 days
  C  hadir_kampanye   still diterima since 16 Nov (due 19 Nov): late
  -> 10 status periods judged, 8 on time (80%); median first answer 4.5 days, median close 19.0 days.
BKD Riau: D (moral sanction, every status in time, 5 of 5). Gunung Mas (Central Kalimantan): E.
"""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

from sqlalchemy import update

from services.desk.cases import casework, lifecycle
from services.desk.cases.access import Staff
from services.desk.cases.arrivals import case_arrived
from services.desk.tables import cases as cases_table
from services.desk.tables import history
from tests.support.desk import routed

WIB = timezone(timedelta(hours=7))


def day(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(hour=9, tzinfo=WIB)


def decree(kind: str, on: str) -> dict:
    return {"sanction_kind": kind, "decree_number": f"800/{kind}/2026", "decree_date": on}


STORY = {
    "A": ("bkpsdm-14.03", "14.03", "unggah_dukungan", "2026-11-02",
          [("diverifikasi", "2026-11-03"), ("dalam_pemeriksaan", "2026-11-06"), ("direkomendasikan", "2026-11-20"),
           ("sanksi_dijatuhkan", "2026-11-24", decree("disiplin_ringan", "2026-11-24")), ("selesai", "2026-11-26")]),
    "B": ("bkpsdm-14.03", "14.03", "alat_peraga", "2026-11-02",
          [("diverifikasi", "2026-11-10"), ("dalam_pemeriksaan", "2026-11-11"), ("tidak_terbukti", "2026-11-13"),
           ("selesai", "2026-11-16")]),
    "C": ("bkpsdm-14.03", "14.03", "hadir_kampanye", "2026-11-16", []),
    "D": ("bkd-14", "14", "unggah_dukungan", "2026-11-09",
          [("diverifikasi", "2026-11-10"), ("dalam_pemeriksaan", "2026-11-12"), ("direkomendasikan", "2026-11-20"),
           ("sanksi_dijatuhkan", "2026-11-23", decree("moral", "2026-11-23")), ("selesai", "2026-11-25")]),
    "E": ("bkpsdm-62.10", "62.10", "lainnya", "2026-11-05", [("diverifikasi", "2026-11-06")]),
}


def seed_story(repository) -> dict[str, dict]:
    """The five cases above; name -> their case.routed payload."""
    return {name: seed_case(repository, *entry) for name, entry in STORY.items()}


def seed_case(repository, unit_id: str, region: str, category: str, received: str | datetime, moves) -> dict:
    payload = routed(unit_id, region, b"", category=category)
    payload["payload"].pop("chain")  # a past from before chains of steps: the sanction was a status move
    case_arrived(payload, repository)
    case_id, arrived = payload["payload"]["case_id"], received if isinstance(received, datetime) else day(received)
    with repository.engine.begin() as conn:
        conn.execute(update(cases_table).where(cases_table.c.case_id == case_id)
                     .values(received_at=arrived, status_since=arrived))
        conn.execute(update(history).where(history.c.case_id == case_id).values(at=arrived))
    kepala = Staff(0, f"kepala-{unit_id}", unit_id, "kepala")
    for target, on, *details in moves:
        move = lifecycle.Move(target, kepala.username, "kepala", "Catatan berkas.", None, *(details or [{}]))
        casework.move_case(repository, case_id, kepala, move, day(on))
    return payload["payload"]
