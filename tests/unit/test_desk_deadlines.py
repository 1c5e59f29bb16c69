"""Working days and due dates: Idul Fitri 2026 with its cuti bersama, weekends, the turn of the year."""
from datetime import date, datetime, timedelta, timezone

import pytest
import yaml

from services.common import workdays
from services.common.workdays import add_working_days, is_working_day, working_days_between
from services.desk.cases import deadlines
from services.desk.cases.deadlines import days_left, due_date, is_overdue

LIFECYCLE = ("diterima", "diverifikasi", "dalam_pemeriksaan", "direkomendasikan", "diteruskan",
             "tidak_terbukti", "bukan_kewenangan", "dialihkan", "sanksi_dijatuhkan", "langkah_selesai", "selesai")


def march(day: int) -> date:
    return date(2026, 3, day)


def test_the_idul_fitri_week_of_2026_has_two_working_days_before_it_and_none_until_the_25th():
    # Nyepi (cuti 18, libur 19), Idulfitri 1447 H (cuti 20, 23, 24; libur 21, 22), weekend 21-22.
    open_days = [d for d in range(16, 26) if is_working_day(march(d))]
    assert open_days == [16, 17, 25]


def test_one_working_day_after_the_tuesday_before_idul_fitri_is_the_wednesday_after_it():
    assert add_working_days(march(17), 1) == march(25)
    assert add_working_days(march(25), -1) == march(17)
    assert working_days_between(march(17), march(25)) == 1


def test_a_verification_received_the_friday_before_idul_fitri_is_due_seven_working_days_later():
    # 16, 17, 25, 26, 27, 30, 31 March
    assert due_date("diverifikasi", march(13)) == march(31)


def test_a_case_received_on_a_holiday_starts_counting_on_the_next_working_day():
    assert due_date("diterima", march(20)) == march(27)  # 25, 26, 27
    assert due_date("diterima", march(19)) == due_date("diterima", march(18))


def test_days_left_counts_down_through_the_holidays_and_goes_negative_when_overdue():
    due = march(25)
    assert days_left(due, march(16)) == 2
    assert days_left(due, march(17)) == 1
    assert days_left(due, march(23)) == 1  # cuti bersama: the 25th is still one working day away
    assert days_left(due, march(25)) == 0
    assert days_left(due, march(26)) == -1
    assert days_left(due, march(30)) == -3


def test_the_due_date_is_on_time_and_the_day_after_is_overdue():
    assert not is_overdue(march(25), march(24))
    assert not is_overdue(march(25), march(25))
    assert is_overdue(march(25), march(26))


def test_weekends_are_skipped_whichever_day_the_count_starts():
    friday, saturday, monday = date(2026, 11, 20), date(2026, 11, 21), date(2026, 11, 23)
    assert not is_working_day(saturday)
    assert add_working_days(friday, 1) == monday
    assert add_working_days(saturday, 1) == monday
    assert working_days_between(friday, monday) == 1
    assert working_days_between(monday, friday) == -1
    assert working_days_between(monday, date(2026, 11, 27)) == 4


def test_deadlines_cross_the_year_over_christmas_and_new_year():
    # 24 Dec cuti bersama, 25 Dec Natal, 1 Jan 2027 Tahun Baru
    start = date(2026, 12, 23)
    assert add_working_days(start, 3) == date(2026, 12, 30)
    assert due_date("tidak_terbukti", start) == date(2027, 1, 4)
    assert working_days_between(start, date(2027, 1, 4)) == 5
    assert days_left(date(2027, 1, 4), date(2026, 12, 31)) == 1


def test_counting_back_and_forth_agrees_for_every_start_and_length():
    for start in (march(1) + timedelta(days=k) for k in range(0, 300, 7)):
        for n in (0, 1, 5, 14):
            assert working_days_between(start, add_working_days(start, n)) == n


def test_a_year_without_a_published_decree_is_an_estimate_of_weekends_and_the_operators_days_off(tmp_path):
    holiday_file = tmp_path / "libur.yaml"
    holiday_file.write_text("2028-01-03: Libur perkiraan\n", encoding="utf-8")
    workdays.estimate_with(workdays.load_holiday_file(holiday_file))
    try:
        # 2027-12-30 is a Thursday: Fri 31, then Sat 1 and Sun 2, Mon 3 off by the file, Tue 4, Wed 5.
        assert add_working_days(date(2027, 12, 30), 3) == date(2028, 1, 5)
        assert not is_working_day(date(2028, 1, 1)) and not is_working_day(date(2028, 1, 3))
        assert is_working_day(date(2028, 1, 4))
        assert working_days_between(date(2027, 12, 30), date(2028, 1, 5)) == 3
        assert workdays.is_estimate(date(2028, 1, 5)) and not workdays.is_estimate(date(2027, 12, 31))
        assert deadlines.due_date("diterima", date(2030, 6, 3)) > date(2030, 6, 3)
        with pytest.raises(workdays.HolidaysNotPublished) as refused:
            workdays.decree(2028)  # an estimate has no decree to cite
        assert refused.value.year == 2028 and "2028" in str(refused.value)
    finally:
        workdays.estimate_with({})


def test_without_a_holiday_file_an_unpublished_year_counts_weekends_only():
    assert add_working_days(date(2028, 1, 3), 5) == date(2028, 1, 10)
    assert workdays.last_published_day() == date(max(workdays.covered_years()), 12, 31)


def test_a_holiday_file_that_is_not_a_mapping_of_dates_is_refused_by_name(tmp_path):
    bad = tmp_path / "libur.yaml"
    bad.write_text("- 2028-01-03\n", encoding="utf-8")
    with pytest.raises(ValueError, match="libur.yaml"):
        workdays.load_holiday_file(bad)
    bad.write_text("bukan-tanggal: x\n", encoding="utf-8")
    with pytest.raises(ValueError, match="libur.yaml"):
        workdays.load_holiday_file(bad)


def test_every_day_of_the_published_years_agrees_with_lokal_id():
    from lokal import holidays
    for year in workdays.covered_years():
        day = date(year, 1, 1)
        while day.year == year:
            assert is_working_day(day) == holidays.is_working_day(day, cuti_bersama=True), day
            day += timedelta(days=1)


def test_counting_between_two_days_agrees_with_lokal_id_for_any_pair_of_the_published_years():
    from lokal import holidays
    first = date(2026, 1, 1)
    for a_offset, b_offset in ((0, 729), (17, 18), (75, 83), (80, 81), (350, 380), (5, 5), (100, 460)):
        a, b = first + timedelta(days=a_offset), first + timedelta(days=b_offset)
        expected = holidays.count_working_days(a + timedelta(days=1), b) if b > a else 0
        assert working_days_between(a, b) == expected, (a, b)


def test_each_year_names_the_decree_its_holidays_come_from():
    found = workdays.decree(2026)
    assert "SKB" in found["decree"] and found["source"].startswith("https://")
    assert workdays.days_off(2026)[march(20)].startswith("Idulfitri")


def test_a_final_status_has_no_due_date_and_is_never_overdue():
    assert due_date("selesai", march(17)) is None
    assert not is_overdue(None, date(2026, 12, 31))


def test_every_status_of_the_lifecycle_has_a_sourced_duration():
    assert set(deadlines.statuses()) == set(LIFECYCLE)
    for status in LIFECYCLE:
        found = deadlines.duration(status)
        assert found.source, status
        assert (found.working_days is None) == (found.basis == "final"), status
    assert deadlines.duration("dalam_pemeriksaan").working_days == 14  # UU 7/2017 Pasal 454 ayat (8)


def test_an_unknown_status_is_a_clear_error():
    with pytest.raises(deadlines.UnknownStatus, match="ditutup"):
        due_date("ditutup", march(17))


def test_a_moment_is_counted_on_its_day_in_jakarta():
    evening_utc = datetime(2026, 3, 24, 18, 0, tzinfo=timezone.utc)  # 01:00 WIB on the 25th
    assert deadlines.office_day(evening_utc) == march(25)
    assert due_date("diterima", evening_utc) == march(30)  # 26, 27, 30


def test_the_case_list_sorts_by_due_date_with_final_cases_last():
    cases = [{"tracking_code": "final", "due_on": None, "received_at": "2026-01-02T01:00:00+00:00"},
             {"tracking_code": "later", "due_on": "2026-03-31", "received_at": "2026-03-13T01:00:00+00:00"},
             {"tracking_code": "late", "due_on": date(2026, 3, 13), "received_at": "2026-03-02T01:00:00+00:00"},
             {"tracking_code": "twin", "due_on": "2026-03-31", "received_at": "2026-03-12T01:00:00+00:00"}]
    assert [c["tracking_code"] for c in deadlines.by_due_date(cases)] == ["late", "twin", "later", "final"]


@pytest.mark.parametrize("entry", [{"working_days": 0, "basis": "law", "source": "x"},
                                   {"working_days": 5, "basis": "final", "source": "x"},
                                   {"working_days": None, "basis": "law", "source": "x"},
                                   {"working_days": 5, "basis": "guess", "source": "x"},
                                   {"working_days": 5, "basis": "project_default"}])
def test_a_duration_without_a_source_or_a_sensible_number_is_refused_when_the_file_is_read(entry, tmp_path):
    path = tmp_path / "durations.yaml"
    path.write_text(yaml.safe_dump({"statuses": {"selesai": {"working_days": None, "basis": "final",
                                                             "source": "closed"}, "diterima": entry}}))
    with pytest.raises(ValueError, match="durations.yaml: diterima"):
        deadlines.load_durations(path)


def test_the_shipped_durations_file_reads_back_whole():
    assert deadlines.load_durations(deadlines.DURATIONS_FILE) == deadlines.durations()
