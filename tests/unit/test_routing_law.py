"""Reading the law data as routing will: context from the calendar, Kanreg, bases, clocks and due dates."""
from datetime import date

import pytest
import yaml

from services.routing.directory import RoutingDataError
from services.routing.law_data import ElectionCalendar, Law, add_working_days
from services.routing.settings import DATA

EXAMPLE = DATA / "election_calendar.example.yaml"


@pytest.fixture(scope="module")
def law():
    return Law()


@pytest.fixture(scope="module")
def calendar():
    return ElectionCalendar.load(EXAMPLE)


def test_context_follows_the_calendar(calendar):
    assert calendar.contexts("52.03", date(2029, 11, 1)) == ["pilkada"]          # its province elects
    assert calendar.contexts("32.04", date(2029, 11, 1)) == ["pilkada"]          # the regency elects
    assert calendar.contexts("32.05", date(2029, 11, 1)) == ["di_luar_pemilihan"]
    assert calendar.contexts("32.05", date(2029, 2, 1)) == ["pemilu"]            # a national election
    assert calendar.contexts("52.01", date(2029, 2, 1)) == ["pemilu", "pilkada"]
    assert calendar.contexts(None, date(2026, 1, 1)) == ["di_luar_pemilihan"]


def test_a_candidate_head_is_found_only_while_the_election_runs(calendar):
    assert calendar.candidate_head("52.01", date(2029, 11, 1))["running_for"] == "gubernur"
    assert calendar.candidate_head("52.01", date(2030, 1, 1)) is None
    assert calendar.candidate_head("52", date(2029, 11, 1)) is None
    election = next(e for e in calendar.elections if e.kind == "pilkada")
    assert election.stage_on(date(2029, 11, 1)) == "kampanye"


def test_a_bad_calendar_names_every_problem(tmp_path):
    bad = {"elections": [
        {"id": "x", "kind": "pilpres", "regions": ["14.3"], "from": "2029-02-01", "until": "2029-01-01",
         "stages": [], "candidate_heads": [{"region_code": "52.01"}]},
        {"id": "x", "kind": "pemilu", "regions": ["*"], "from": "2029-01-01"}],
        "holidays": ["17-08-2029"]}
    path = tmp_path / "calendar.yaml"
    path.write_text(yaml.safe_dump(bad))
    with pytest.raises(RoutingDataError) as raised:
        ElectionCalendar.load(path)
    problems = "; ".join(raised.value.problems)
    for expected in ("kind 'pilpres' is not pemilu or pilkada", "region '14.3' is not a region code",
                     "from is after until", "candidate head '52.01' is not one of the election's regions",
                     "election #2 (x): expected id, kind, regions, from, until", "holidays: expected ISO dates"):
        assert expected in problems


def test_every_province_and_regency_has_a_kanreg(law):
    assert law.kanreg_for("73.71") == "bkn-kanreg-4"   # Makassar
    assert law.kanreg_for("11") == "bkn-kanreg-13"     # Aceh
    assert law.kanreg_for("96") == "bkn-kanreg-14"     # Papua Barat Daya
    assert law.kanreg_for(None) is None


def test_basis_by_category_and_context(law):
    reaction = law.basis("tanggapi_unggahan", "pilkada")
    assert reaction["breach_kinds"] == ["etika"]
    assert {(b["source"], b["article"]) for b in reaction["bases"]} >= {("pp-42-2004", "Pasal 15 ayat (1)-(3)")}
    assert "pidana_pemilu" in law.basis("hadir_kampanye", "pemilu")["breach_kinds"]
    assert law.basis("a_new_code", "pemilu") == law.basis("lainnya", "pemilu")
    assert law.source("uu-7-2017")["short"] == "UU 7/2017"


def test_due_dates_count_working_days_without_holidays(law):
    report = next(c for c in law.clocks("pemilu") if c["id"] == "pemilu-laporan")
    friday = date(2029, 8, 10)
    assert law.due(report, friday) == date(2029, 8, 21)                        # 7 working days
    assert law.due(report, friday, {date(2029, 8, 17)}) == date(2029, 8, 22)   # Independence Day skipped
    follow_up = next(c for c in law.clocks("pilkada") if c["id"] == "pilkada-tindak-lanjut")
    assert law.due(follow_up, friday) == date(2029, 8, 13)
    assert add_working_days(date(2029, 8, 11), 1) == date(2029, 8, 13)        # Saturday -> Monday
    assert {c["context"] for c in law.clocks("di_luar_pemilihan")} == {"any"}
