"""The figures page's arithmetic: periods, timeliness per body (working days, holidays included), sanctions,
the charts' bars and the export's rows. Plain data, no server."""
from datetime import date, datetime, timedelta, timezone

import pytest
from werkzeug.datastructures import MultiDict

from services.desk.reports import figure_charts, figures, figures_export, timeliness
from services.desk.reports.periods import Election, PeriodError, Period, period_from
from tests.support.svg_charts import bars, lengths

TODAY = date(2026, 12, 6)
WIB = timezone(timedelta(hours=7))


def at(day: str, hour: int = 9) -> datetime:
    """A moment of an office morning in Jakarta."""
    return datetime.fromisoformat(day).replace(hour=hour, tzinfo=WIB)


def line(case, status, when, previous=None, unit="bkpsdm-14.03", actor="petugas"):
    return {"case_id": case, "unit_id": unit, "status": status, "previous_status": previous, "actor": actor,
            "at": when}


def arrival(case, when, unit="bkpsdm-14.03"):
    return line(case, "diterima", when, unit=unit, actor="sistem")


# -- periods

def test_this_month_runs_from_its_first_day_to_today():
    assert period_from(MultiDict({"periode": "bulan_ini"}), TODAY) == Period("bulan_ini", date(2026, 12, 1), TODAY,
                                                                            "Bulan ini")


def test_without_a_choice_the_period_is_this_month():
    assert period_from(MultiDict(), TODAY).since == date(2026, 12, 1)


def test_the_last_30_days_include_today():
    found = period_from(MultiDict({"periode": "30_hari"}), TODAY)
    assert (found.since, found.until) == (date(2026, 11, 7), TODAY)
    assert (found.until - found.since).days + 1 == 30


def test_the_election_period_is_the_running_election_from_its_start():
    elections = (Election("Pemilu lama", date(2024, 1, 1), date(2024, 12, 31)),
                 Election("Pilkada 2026", date(2026, 9, 1), date(2027, 3, 31)))
    found = period_from(MultiDict({"periode": "pemilihan"}), TODAY, elections)
    assert (found.name, found.since, found.until) == ("Pilkada 2026", date(2026, 9, 1), TODAY)


def test_no_running_election_is_said_plainly():
    with pytest.raises(PeriodError, match="Tidak ada masa pemilihan"):
        period_from(MultiDict({"periode": "pemilihan"}), TODAY, ())


def test_dates_of_ones_own_are_both_included():
    found = period_from(MultiDict({"periode": "pilihan", "dari": "2026-11-01", "sampai": "2026-11-30"}), TODAY)
    assert found.holds(date(2026, 11, 1)) and found.holds(date(2026, 11, 30)) and not found.holds(date(2026, 12, 1))


@pytest.mark.parametrize("args, says", [
    ({"periode": "pilihan", "dari": "2026-13-01", "sampai": "2026-12-01"}, "Dari tanggal tidak valid"),
    ({"periode": "pilihan", "dari": "kemarin", "sampai": "2026-12-01"}, "TTTT-BB-HH"),
    ({"periode": "pilihan", "dari": "2026-11-01"}, "Sampai tanggal wajib diisi"),
    ({"periode": "pilihan", "dari": "2026-12-02", "sampai": "2026-12-01"}, "harus sebelum"),
    ({"periode": "pilihan", "dari": "2000-01-01", "sampai": "2026-12-01"}, "tiga tahun"),
    ({"periode": "minggu_ini"}, "Periode tidak dikenal"),
])
def test_a_bad_period_gets_a_reason_in_indonesian(args, says):
    with pytest.raises(PeriodError, match=says):
        period_from(MultiDict(args), TODAY)


# -- timeliness

def test_a_status_left_on_its_due_date_is_on_time_and_the_day_after_is_late():
    # diverifikasi: 7 working days. Entered Monday 2 Nov 2026, due Wednesday 11 Nov.
    entered = at("2026-11-02")
    on_due = timeliness.StatusPeriod("c", "u", "diverifikasi", entered, at("2026-11-11", 16))
    day_after = timeliness.StatusPeriod("c", "u", "diverifikasi", entered, at("2026-11-12"))
    assert timeliness.on_time(on_due, TODAY) is True
    assert timeliness.on_time(day_after, TODAY) is False


def test_holidays_do_not_count_against_a_unit():
    # diterima: 3 working days. Entered Tuesday 22 Dec 2026; 24 and 25 Dec are holidays (SKB 2026), so the
    # due date is Tuesday 29 Dec, not Friday 25 Dec: leaving on Monday 28 Dec is on time.
    left_monday = timeliness.StatusPeriod("c", "u", "diterima", at("2026-12-22"), at("2026-12-28"))
    assert timeliness.on_time(left_monday, date(2027, 1, 10)) is True


def test_an_open_status_is_late_only_once_past_its_due_date():
    open_since = timeliness.StatusPeriod("c", "u", "diterima", at("2026-12-01"), None)  # due Fri 4 Dec
    assert timeliness.on_time(open_since, date(2026, 12, 4)) is None
    assert timeliness.on_time(open_since, date(2026, 12, 7)) is False


def test_a_final_status_has_no_deadline():
    assert timeliness.on_time(timeliness.StatusPeriod("c", "u", "selesai", at("2026-11-02"), None), TODAY) is None


def test_a_case_stands_late_once_past_its_due_date_and_a_closed_one_by_the_status_it_closed_from():
    assert timeliness.current_verdict(date(2026, 12, 4), [], date(2026, 12, 4)) is None
    assert timeliness.current_verdict(date(2026, 12, 4), [], date(2026, 12, 7)) is False
    # tidak_terbukti: 5 working days from Mon 2 Nov, due Mon 9 Nov
    closed_in_time = [arrival("c", at("2026-10-30")), line("c", "tidak_terbukti", at("2026-11-02"), "diterima"),
                      line("c", "selesai", at("2026-11-09"), "tidak_terbukti", actor="kepala")]
    closed_late = [*closed_in_time[:2], line("c", "selesai", at("2026-11-10"), "tidak_terbukti", actor="kepala")]
    assert timeliness.current_verdict(None, closed_in_time, TODAY) is True
    assert timeliness.current_verdict(None, closed_late, TODAY) is False
    assert timeliness.current_verdict(None, [], TODAY) is None


def test_a_reporters_answer_keeps_the_status_and_starts_no_period():
    lines = [arrival("c", at("2026-11-02")), line("c", "diterima", at("2026-11-03"), "diterima", actor="sistem"),
             line("c", "diverifikasi", at("2026-11-04"), "diterima")]
    found = timeliness.status_periods(lines)
    assert [(p.status, p.entered, p.left) for p in found] == [
        ("diterima", at("2026-11-02"), at("2026-11-04")), ("diverifikasi", at("2026-11-04"), None)]


def test_per_body_counts_each_units_periods_and_medians():
    cases = [{"case_id": "a", "received_at": at("2026-11-02")}, {"case_id": "b", "received_at": at("2026-11-02")}]
    lines = [
        # a: answered after 1 day (on time), verified in time, closed after 10 days by kepala
        arrival("a", at("2026-11-02")), line("a", "diverifikasi", at("2026-11-03"), "diterima"),
        line("a", "tidak_terbukti", at("2026-11-10"), "diverifikasi"),
        line("a", "selesai", at("2026-11-12"), "tidak_terbukti", actor="kepala"),
        # b: answered after 9 days (late: diterima is due Thursday 5 Nov), then transferred to BKD Riau
        arrival("b", at("2026-11-02")), line("b", "bukan_kewenangan", at("2026-11-11"), "diterima"),
        line("b", "dialihkan", at("2026-11-12"), "bukan_kewenangan", actor="kepala"),
        line("b", "diterima", at("2026-11-13"), "dialihkan", unit="bkd-14", actor="sistem"),
    ]
    found = timeliness.per_body(cases, lines, TODAY)
    bengkalis, riau = found["bkpsdm-14.03"], found["bkd-14"]
    # Bengkalis: a diterima, diverifikasi, tidak_terbukti on time; b diterima late, bukan_kewenangan on time,
    # dialihkan (3 working days for the receiving unit) left the next day: on time.
    assert (bengkalis["decided"], bengkalis["on_time"]) == (6, 5)
    assert bengkalis["first_answer_days"] == 5.0  # median of 1 and 9 days
    assert bengkalis["close_days"] == 10.0
    # BKD Riau: diterima since 13 Nov, due 18 Nov, still open on 6 Dec: late.
    assert (riau["decided"], riau["on_time"], riau["rate"]) == (1, 0, 0.0)
    assert riau["first_answer_days"] is None and riau["close_days"] is None


def test_lines_of_cases_outside_the_period_are_ignored():
    lines = [arrival("elsewhere", at("2026-11-02")), line("elsewhere", "diverifikasi", at("2026-11-03"), "diterima")]
    assert timeliness.per_body([], lines, TODAY) == {}


# -- sanctions, charts, export

def test_sanctions_are_counted_per_kind_with_every_kind_listed():
    found = figures.sanctions([{"sanction_kind": "disiplin_ringan"}, {"sanction_kind": "disiplin_ringan"},
                               {"sanction_kind": "moral"}, {"sanction_kind": None}])
    assert {code: entry["count"] for code, entry in found.items()} == {
        "moral": 1, "disiplin_ringan": 2, "disiplin_sedang": 0, "disiplin_berat": 0}
    assert found["moral"]["label"] == "Sanksi moral"


def test_bars_scale_to_the_largest_value_and_a_zero_draws_nothing():
    svg = figure_charts.bar_svg([("a", 4), ("b", 2), ("c", 0)])
    assert bars(svg) == [("a", "4"), ("b", "2"), ("c", "0")]  # top to bottom, as the table lists them
    a, b, c = lengths(svg)
    assert a == pytest.approx(2 * b) and c == 0
    assert b"<script" not in svg and b'viewBox="0 0 420 192"' in svg and figure_charts.size(3) == (420, 192)


def test_a_rate_chart_scales_to_100_percent_and_long_labels_are_shortened():
    svg = figure_charts.bar_svg([("Badan Kepegawaian Daerah Provinsi Riau", 100), ("b", 50)], top=100, unit="%")
    assert bars(svg) == [("Badan Kepegawaian Dae…", "100%"), ("b", "50%")]
    full, half = lengths(svg)
    assert full == pytest.approx(2 * half)
    (alone,), (whole,) = (lengths(figure_charts.bar_svg([("a", n)], top=100)) for n in (50, 100))
    assert alone == pytest.approx(whole / 2)  # a lone 50% still reaches half way, not the full width


def test_the_export_has_a_row_per_number_and_escapes_formulas():
    counted = {"period": Period("bulan_ini", date(2026, 12, 1), TODAY, "Bulan ini"), "total": 2,
               "per_status": {"diterima": {"label": "Diterima", "count": 2}},
               "per_category": {"lainnya": {"label": "=cmd", "count": 2}}, "sanctions": {},
               "per_month": {"2026-12": 2}, "per_region": {"14": {"name": "Riau", "count": 2, "regions": {}}},
               "timeliness": [{"unit_id": "bkd-14", "name": "BKD Riau", "decided": 4, "on_time": 3, "rate": 0.75,
                               "first_answer_days": 1.5, "close_days": None}]}
    text = figures_export.to_csv_bytes(counted).decode("utf-8-sig").splitlines()
    assert text[0].startswith("Bagian,Kode,Nama,Jumlah,Tepat waktu")
    assert "Kategori,lainnya,'=cmd,2" in text
    assert "Ketepatan waktu,bkd-14,BKD Riau,4,3,75.0,1.5," in text
