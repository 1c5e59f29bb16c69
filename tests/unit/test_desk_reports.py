"""The desk's cases as the rows export, figures and the digest read: no reporter, the case list's order."""
from datetime import date, datetime, timezone

from services.desk.reports.reports import row, rows


def case(code, received, status="diterima", category="unggah_dukungan", region="14.03", due=None, access="primary"):
    return {"case_id": f"id-{code}", "tracking_code": code, "unit_id": "bkpsdm-14.03",
            "received_at": datetime(*received, tzinfo=timezone.utc), "status": status,
            "violation": {"category": category, "description": "uraian"},
            "subject": {"region_code": region, "name": "Nama Terlapor"}, "due_date": due, "access": access}


def test_a_row_carries_codes_dates_and_what_a_unit_reports_on_the_civil_servant():
    found = row(case("A", (2026, 3, 2), due=date(2026, 3, 5)))
    assert found == {"case_id": "id-A", "tracking_code": "A", "unit_id": "bkpsdm-14.03",
                     "category": "unggah_dukungan", "region_code": "14.03", "subject_name": "Nama Terlapor",
                     "subject_nip": None, "subject_agency": None, "status": "diterima", "status_since": None,
                     "received_at": datetime(2026, 3, 2, tzinfo=timezone.utc), "due_on": date(2026, 3, 5),
                     "sanction_kind": None, "decree_number": None, "decree_date": None, "access": "primary",
                     "unit_name": None, "chain": None}


def test_rows_come_nearest_due_date_first_and_final_cases_last():
    cases = [case("final", (2026, 3, 1), status="selesai"), case("later", (2026, 3, 1), due=date(2026, 4, 1)),
             case("late", (2026, 3, 2), due=date(2026, 3, 5))]
    assert [r["tracking_code"] for r in rows(cases)] == ["late", "later", "final"]
