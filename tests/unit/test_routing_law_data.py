"""The shipped law data: complete for every category and context, sourced, and consistent with the regions."""
from datetime import date

import pytest
import yaml

from services.reference.files import DATA
from services.reference.regions import is_region, province_of, regions
from services.reference.vocabulary import codes
from services.routing.settings import DATA as ROUTING_DATA

CONTEXTS = ("pemilu", "pilkada", "di_luar_pemilihan")
KINDS = {"etika", "disiplin", "pidana_pemilu"}


def load(name, folder=DATA):
    return yaml.safe_load((folder / name).read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def law():
    return load("legal_basis.yaml")


def category_bases(law):
    for category, contexts in law["categories"].items():
        for context, entry in contexts.items():
            yield category, context, entry


def all_bases(law):
    yield from law["neutrality"]
    for step in law["path"]:
        yield from step["bases"]
    for _, _, entry in category_bases(law):
        yield from entry["bases"]


def test_every_category_has_a_basis_for_every_context(law):
    assert tuple(law["contexts"]) == CONTEXTS
    assert set(law["categories"]) == set(codes("categories"))
    for category in codes("categories"):
        assert set(law["categories"][category]) == set(CONTEXTS), category
        for context in CONTEXTS:
            entry = law["categories"][category][context]
            assert entry["bases"], (category, context)
            assert set(entry["breach_kinds"]) <= KINDS, (category, context)


def test_breach_kinds_are_the_kinds_of_the_bases(law):
    for category, context, entry in category_bases(law):
        assert set(entry["breach_kinds"]) == {basis["kind"] for basis in entry["bases"]}, (category, context)


def test_every_basis_names_a_known_source_and_an_article(law):
    for basis in all_bases(law):
        assert basis["source"] in law["sources"], basis
        assert isinstance(basis["article"], str) and basis["article"].strip(), basis


def test_an_unverified_article_is_marked_unverified(law):
    for basis in all_bases(law):
        if basis["article"].startswith("unverified"):
            assert basis.get("verified") is False, basis
        if basis.get("verified") is False and "note" not in basis:
            assert basis.get("unconfirmed"), basis


def test_every_source_is_https_with_a_date_and_says_what_is_unconfirmed(law):
    for name, source in law["sources"].items():
        for url in [source["url"], *source.get("see_also", [])]:
            assert url.startswith("https://"), (name, url)
        start = date.fromisoformat(source["applies_from"])
        if "applies_until" in source:
            assert date.fromisoformat(source["applies_until"]) > start, name
        assert isinstance(source["verified"], bool), name
        if not source["verified"]:
            assert source["unconfirmed"].strip(), name


def test_the_replaced_asn_law_ends_where_its_successor_starts(law):
    old, new = law["sources"]["uu-5-2014"], law["sources"]["uu-20-2023"]
    assert old["applies_until"] == new["applies_from"]


def test_the_path_runs_bawaslu_bkn_ppk_then_blocking(law):
    steps = [step["step"] for step in law["path"]]
    assert steps == ["bawaslu_review", "bkn_supervision", "ppk_sanction", "bkn_blocking"]
    assert "di_luar_pemilihan" not in law["path"][0]["contexts"]


@pytest.fixture(scope="module")
def offices():
    return load("bkn_offices.yaml")


def test_every_province_is_covered_by_exactly_one_bkn_office(offices):
    covered = [code for office in offices["offices"] for code in office["provinces"]]
    provinces = [p["code"] for p in regions()]
    assert len(provinces) == 38
    assert sorted(covered) == sorted(provinces)
    for code in ("93", "94", "95", "96"):  # the Papua provinces formed in 2022
        assert covered.count(code) == 1


def test_bkn_offices_are_the_fourteen_kanreg_with_sources(offices):
    ids = [office["unit_id"] for office in offices["offices"]]
    assert ids == [f"bkn-kanreg-{n}" for n in range(1, 15)]
    for office in offices["offices"]:
        assert all(province_of(code) == code and is_region(code) for code in office["provinces"]), office
        assert set(office["sources"]) <= set(offices["sources"]), office
        if not office["verified"]:
            assert office["unconfirmed"].strip(), office
    assert all(url.startswith("https://") for url in offices["sources"].values())


@pytest.fixture(scope="module")
def deadlines():
    return load("deadlines.yaml")


def test_every_clock_is_sourced_and_counts_days_of_a_known_kind(deadlines):
    assert all(url.startswith("https://") for url in deadlines["sources"].values())
    for clock in deadlines["clocks"]:
        assert clock["context"] in (*CONTEXTS, "any"), clock
        assert clock["day_kind"] in deadlines["day_kinds"], clock
        assert isinstance(clock["days"], int) and clock["days"] > 0, clock
        assert clock["basis"]["source"] in deadlines["sources"], clock
        if not clock["verified"]:
            assert clock["unconfirmed"].strip(), clock


def test_the_pemilu_reporting_clock_is_seven_working_days_under_pasal_454(deadlines):
    clock = next(c for c in deadlines["clocks"] if c["id"] == "pemilu-laporan")
    assert (clock["days"], clock["day_kind"], clock["basis"]["article"]) == (7, "working", "Pasal 454 ayat (6)")
    assert {c["context"] for c in deadlines["clocks"]} >= {"pemilu", "pilkada"}


def test_the_election_calendar_example_parses():
    calendar = load("election_calendar.example.yaml", ROUTING_DATA)
    assert {e["kind"] for e in calendar["elections"]} == {"pemilu", "pilkada"}
    assert len({e["id"] for e in calendar["elections"]}) == len(calendar["elections"])
    for election in calendar["elections"]:
        start, end = date.fromisoformat(election["from"]), date.fromisoformat(election["until"])
        assert start <= end, election["id"]
        assert all(code == "*" or is_region(code) for code in election["regions"]), election["id"]
        for stage in election["stages"]:
            assert start <= date.fromisoformat(stage["from"]) <= date.fromisoformat(stage["until"]) <= end, stage
        for head in election["candidate_heads"]:
            assert head["region_code"] in election["regions"], head
    assert all(date.fromisoformat(day) for day in calendar["holidays"])
