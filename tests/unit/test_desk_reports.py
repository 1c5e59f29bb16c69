"""The hooks the export, figures and digest modules plug into: filters and due/overdue, on plain dicts."""
from datetime import date, datetime, timezone

from services.desk.reports import due_and_overdue, filtered


def case(code, received, status="diterima", category="unggah_dukungan", region="14.03", due=None, access="primary"):
    return {"tracking_code": code, "received_at": datetime(*received, tzinfo=timezone.utc), "status": status,
            "violation": {"category": category}, "subject": {"region_code": region}, "due_date": due,
            "access": access}


CASES = [case("A", (2026, 3, 2)), case("B", (2026, 3, 20), status="selesai", region="14"),
         case("C", (2026, 4, 1), category="alat_peraga", region="62.10")]


def test_filters_by_period_status_category_and_region_including_the_regions_inside():
    codes = lambda found: [c["tracking_code"] for c in found]  # noqa: E731
    assert codes(filtered(CASES, since=date(2026, 3, 10), until=date(2026, 3, 31))) == ["B"]
    assert codes(filtered(CASES, status="diterima")) == ["A", "C"]
    assert codes(filtered(CASES, category="alat_peraga")) == ["C"]
    assert codes(filtered(CASES, region="14")) == ["A", "B"]


def test_due_and_overdue_for_the_digest_leave_out_closed_and_read_only_cases():
    today = date(2026, 3, 30)
    cases = [case("D", (2026, 3, 1), due=today), case("E", (2026, 3, 1), due=date(2026, 3, 27)),
             case("F", (2026, 3, 1), due=None, status="selesai"), case("G", (2026, 3, 1), due=date(2026, 3, 1),
                                                                        access="copy")]
    due, overdue = due_and_overdue(cases, today)
    assert [c["tracking_code"] for c in due] == ["D"] and [c["tracking_code"] for c in overdue] == ["E"]
