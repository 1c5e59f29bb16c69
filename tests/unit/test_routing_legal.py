"""A case's legal facts and its route by today's law: context from the calendar, conflict of interest,
bases in force on the act's date, statutory deadlines in working days, and the anonymous path."""
from datetime import date, datetime, timezone

import pytest
import yaml

from services.reference.files import UNITS_FILE
from services.routing.directory import load_directory
from services.routing.legal_facts import Statutes, ppk_region
from services.routing.planning import Router, plan
from services.routing.rules import load_rules
from services.routing.settings import DATA

CALENDAR = {"elections": [
    {"id": "pemilu-2026", "kind": "pemilu", "regions": ["*"], "from": "2026-06-01", "until": "2026-09-30",
     "stages": [], "candidate_heads": []},
    {"id": "pilkada-2026", "kind": "pilkada", "regions": ["14", "14.03", "95"], "from": "2026-08-01",
     "until": "2026-12-31", "stages": [], "candidate_heads": [{"region_code": "14.03", "office": "bupati"}]},
], "holidays": []}
NOW = datetime(2026, 11, 20, 3, 0, tzinfo=timezone.utc)  # a Friday in Jakarta


@pytest.fixture(scope="module")
def statutes(tmp_path_factory):
    path = tmp_path_factory.mktemp("calendar") / "calendar.yaml"
    path.write_text(yaml.safe_dump(CALENDAR))
    return Statutes.load(path)


@pytest.fixture(scope="module")
def router(statutes):
    directory = load_directory(UNITS_FILE)
    return Router(directory, load_rules(DATA / "rules.yaml", directory), statutes)


def subject(region="14.03", level="kabupaten_kota"):
    return {"name": "Budi", "employer_level": level, "region_code": region}


def archived(on="2026-11-02", region="14.03", level="kabupaten_kota", category="unggah_dukungan", named=True):
    return {"complaint_id": "c-1", "tracking_code": "NTR-AAAA-BBBB", "subject": subject(region, level),
            "violation": {"category": category, "occurred_on": on}, "reporter_named": named}


def units(assignment):
    return [assignment.primary.id] + [unit.id for unit in assignment.copies]


@pytest.mark.parametrize("region, on, contexts", [
    ("32.04", "2026-07-01", ("pemilu",)),               # the national election only
    ("14.71", "2026-11-02", ("pilkada",)),              # Riau's pilkada, after the pemilu window
    ("14.71", "2026-08-20", ("pemilu", "pilkada")),     # both running
    ("32.04", "2026-11-02", ("di_luar_pemilihan",)),    # no election there then
])
def test_the_context_comes_from_the_calendar_by_region_and_date(statutes, region, on, contexts):
    assert statutes.facts("unggah_dukungan", subject(region), date.fromisoformat(on)).contexts == contexts


def test_breach_kinds_and_bases_follow_the_context(statutes):
    election = statutes.facts("unggah_dukungan", subject(), date(2026, 11, 2))
    assert election.breach_kinds == ("etika", "disiplin")
    assert ("pp-94-2021", "Pasal 5 huruf n") in {(b["source"], b["article"]) for b in election.legal_basis}
    outside = statutes.facts("unggah_dukungan", subject("32.04"), date(2026, 11, 2))
    assert outside.breach_kinds == ("etika",)
    assert "pp-94-2021" not in {b["source"] for b in outside.legal_basis}
    offence = statutes.facts("hadir_kampanye", subject("14.71"), date(2026, 8, 20))
    assert "pidana_pemilu" in offence.breach_kinds
    assert {"uu-7-2017", "uu-10-2016"} <= {b["source"] for b in offence.legal_basis}


def test_only_the_asn_law_in_force_on_the_acts_date_is_cited(statutes):
    after = {b["source"] for b in statutes.facts("lainnya", subject("32.04"), date(2026, 1, 5)).legal_basis}
    before = {b["source"] for b in statutes.facts("lainnya", subject("32.04"), date(2023, 5, 2)).legal_basis}
    assert "uu-20-2023" in after and "uu-5-2014" not in after
    assert "uu-5-2014" in before and "uu-20-2023" not in before


def test_conflict_of_interest_only_for_the_candidate_heads_region_while_the_election_runs(statutes):
    assert statutes.facts("lainnya", subject("14.03"), date(2026, 11, 2)).conflict_of_interest["office"] == "bupati"
    assert statutes.facts("lainnya", subject("14.71"), date(2026, 11, 2)).conflict_of_interest is None
    assert statutes.facts("lainnya", subject("14.03"), date(2027, 1, 5)).conflict_of_interest is None
    # a provincial employee's PPK is the governor, not the bupati
    assert statutes.facts("lainnya", subject("14.03", "provinsi"), date(2026, 11, 2)).conflict_of_interest is None
    assert (ppk_region(subject("14.03", "provinsi")), ppk_region(subject(None, "pusat"))) == ("14", None)


def test_conflict_of_interest_on_adds_bkn_and_kemendagri(router):
    assignment, facts = plan(archived(), router, NOW)
    assert units(assignment) == ["bawaslu-14.03", "bkn-kanreg-12", "bkpsdm-14.03", "kesbangpol-14.03",
                                 "bkn-wasdal", "kemendagri"]
    assert facts.conflict_of_interest["region_code"] == "14.03"


def test_conflict_of_interest_off_leaves_the_ordinary_route(router):
    assignment, facts = plan(archived(region="14.71"), router, NOW)
    assert units(assignment) == ["bawaslu-14.71", "bkn-kanreg-12", "bkpsdm-14.71", "kesbangpol-14.71"]
    assert facts.conflict_of_interest is None


def test_a_named_election_complaint_goes_to_bawaslu_with_its_statutory_clocks(router):
    assignment, facts = plan(archived(region="14.71"), router, NOW)
    assert assignment.primary.kind == "bawaslu"
    assert [(d["clock"], d["start"], d["due"]) for d in facts.deadlines] == [
        ("pilkada-laporan", "2026-11-02", "2026-11-09"),            # 7 days from the act
        ("pilkada-tindak-lanjut", "2026-11-20", "2026-11-23"),      # 3 days from routing
        ("pilkada-keterangan-tambahan", "2026-11-23", "2026-11-25"),  # 2 more days
    ]


def test_an_anonymous_election_complaint_goes_to_the_kanreg_and_bawaslu_gets_nothing(router):
    assignment, facts = plan(archived(region="95.01", named=False), router, NOW)
    assert assignment.primary.id == "bkn-kanreg-9"          # Papua Pegunungan (2022) -> Kanreg IX Jayapura
    assert "bawaslu" not in {unit.kind for unit in (assignment.primary, *assignment.copies)}
    assert facts.contexts == ("pilkada",) and facts.deadlines == ()


def test_working_day_clocks_skip_weekends_and_lokal_id_holidays(statutes):
    [report] = [d for d in statutes.deadlines(("pemilu",), date(2026, 8, 14), date(2026, 8, 14))
                if d["clock"] == "pemilu-laporan"]
    # 17 August (Independence Day) and 25 August (Maulid Nabi) are days off in lokal-id's 2026 decree
    assert (report["due"], report["day_kind"], report["estimate"]) == ("2026-08-27", "working", False)


def test_a_year_without_published_holidays_gives_an_estimate(statutes):
    [report] = [d for d in statutes.deadlines(("pemilu",), date(2029, 8, 10), date(2029, 8, 10))
                if d["clock"] == "pemilu-laporan"]
    assert (report["due"], report["estimate"]) == ("2029-08-21", True)
    assert "pemilu-temuan" not in {d["clock"] for d in statutes.deadlines(("pemilu",), date(2029, 8, 10),
                                                                           date(2029, 8, 10))}


def test_without_a_calendar_every_case_is_outside_an_election():
    assert Statutes.load(None).facts("hadir_kampanye", subject(), date(2026, 11, 2)).contexts == (
        "di_luar_pemilihan",)
