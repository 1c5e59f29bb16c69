"""The chain of steps a case takes, chosen from services/reference/data/chains.yaml, and routing's hand-off
from one step's unit to the next (case.step_completed in, case.step_opened out)."""
from dataclasses import replace
from datetime import datetime, timezone

import pytest
import yaml

from services.common.envelope import new_event, read_payload
from services.common.worker import Permanent
from services.reference.files import DATA
from services.routing.chains import load_chains, planned_steps
from services.routing.events import EvidenceArchived
from services.routing.directory import RoutingDataError
from services.routing.handlers import route_case, transfer_case
from services.routing.legal_facts import Statutes
from services.routing.planning import Router, plan
from services.routing.rules import Situation, assign, load_rules
from services.routing.settings import DATA as ROUTING_DATA
from services.routing.steps import hand_on
from tests.support.routing_events import archived_case
from tests.support.routing_fakes import FakeCases

STATUTES = Statutes.load(None)
NOW = datetime(2026, 11, 10, 3, 0, tzinfo=timezone.utc)


@pytest.fixture(scope="module")
def router(directory):
    return Router(directory, load_rules(ROUTING_DATA / "rules.yaml", directory), STATUTES,
                  chains=load_chains(DATA / "chains.yaml", directory, STATUTES.law.clock_ids()))


@pytest.mark.parametrize("level, contexts, named, chain, units", [
    ("kabupaten_kota", ("pilkada",), True, "bawaslu-kanreg-ppk",
     ["bawaslu-14.03", "bkn-kanreg-12", "bkpsdm-14.03", "bkn-kanreg-12"]),
    ("kabupaten_kota", ("pilkada",), False, "kanreg-ppk", ["bkn-kanreg-12", "bkpsdm-14.03", "bkn-kanreg-12"]),
    ("kabupaten_kota", ("di_luar_pemilihan",), True, "kanreg-ppk", ["bkn-kanreg-12", "bkpsdm-14.03", "bkn-kanreg-12"]),
    ("provinsi", ("pemilu",), True, "bawaslu-kanreg-ppk-provinsi",
     ["bawaslu-14", "bkn-kanreg-12", "bkd-14", "bkn-kanreg-12"]),
    ("provinsi", ("di_luar_pemilihan",), False, "kanreg-ppk-provinsi", ["bkn-kanreg-12", "bkd-14", "bkn-kanreg-12"]),
    ("pusat", ("di_luar_pemilihan",), False, "kanreg-pusat",
     ["bkn-kanreg-12", "biro-kepegawaian-kl", "bkn-kanreg-12"]),
])
def test_the_chain_follows_context_reporter_and_employer(router, level, contexts, named, chain, units):
    case = Situation("unggah_dukungan", level, "14.03", contexts, named)
    rule = router.rules.match(case)
    assignment = assign(rule, "14.03", router.directory, STATUTES.law.kanreg_for)
    picked = router.chains.select(case)
    planned = planned_steps(picked, case, assignment, router.directory, STATUTES.law.kanreg_for)
    assert planned["chain_id"] == chain
    assert [step["unit_id"] for step in planned["steps"]] == units
    assert planned["steps"][0]["unit_id"] == assignment.primary.id  # the first step is the rule's unit


def test_the_ppk_step_runs_on_the_statutory_clock(router):
    case = Situation("unggah_dukungan", "kabupaten_kota", "14.03", ("pemilu",), True)
    steps = router.chains.select(case).steps
    assert [s.clock_for(case.contexts) for s in steps] == ["pemilu-tindak-lanjut", None, "ppk-rekomendasi", None]
    assert [s.outcome for s in steps] == ["rekomendasi", "rekomendasi", "keputusan", "hasil_pemantauan"]


def test_a_bad_chains_file_names_every_problem(directory, tmp_path):
    path = tmp_path / "chains.yaml"
    path.write_text(yaml.safe_dump({"chains": [{"id": "x", "match": {"contexts": ["pemilihan"]}, "steps": [
        {"unit": "ombudsman@region", "task": "periksa", "outcome": "rekomendasi", "clock": {"any": "nope"}},
        {"unit": "bkd@region", "task": "tidur", "outcome": "vonis"}]}]}))
    with pytest.raises(RoutingDataError) as raised:
        load_chains(path, directory, STATUTES.law.clock_ids())
    problems = "\n".join(raised.value.problems)
    for expected in ("ombudsman", "task must be", "outcome must be", "unknown clock 'nope'", "pemilihan"):
        assert expected in problems


def completed(case_id, step, unit_id, outcome=None):
    payload = {"case_id": case_id, "complaint_id": "c", "step": step, "unit_id": unit_id,
               "outcome": outcome or {"kind": "rekomendasi", "summary": "Rekomendasi hukuman disiplin sedang."}}
    return new_event("case.step_completed", payload, correlation_id="c", producer="desk")


@pytest.fixture
def routed(router):
    cases, published = FakeCases(), []
    route_case(archived_case(), router, cases, published.append)
    return cases, published


def test_a_completed_step_opens_the_next_one_once(router, routed):
    cases, published = routed
    case = cases.only_case()
    assert [s["unit_id"] for s in case.dossier["chain"]["steps"]] == ["bkn-kanreg-12", "bkpsdm-14.03", "bkn-kanreg-12"]
    hand = completed(case.case_id, 1, "bkn-kanreg-12")
    hand_on(hand, router.directory, STATUTES, cases, published.append)
    hand_on(hand, router.directory, STATUTES, cases, published.append)  # redelivered
    first, again = published[1:]
    assert first == again  # the same event, id and time: consumers drop the repeat
    assert first["event_type"] == "case.step_opened"
    payload = first["payload"]
    assert payload["step"]["number"] == 2 and payload["step"]["unit_id"] == "bkpsdm-14.03"
    assert payload["step"]["deadline"]["clock"] == "ppk-rekomendasi" and payload["step"]["deadline"]["days"] == 10
    assert payload["previous"]["unit_id"] == "bkn-kanreg-12"
    assert payload["previous"]["outcome"]["summary"] == "Rekomendasi hukuman disiplin sedang."
    assert cases.only_case().primary_unit_id == "bkpsdm-14.03"
    assert len(cases.only_case().routings) == 2


def test_a_hand_off_from_a_unit_that_does_not_own_the_step_is_refused(router, routed):
    cases, published = routed
    case = cases.only_case()
    with pytest.raises(Permanent):
        hand_on(completed(case.case_id, 1, "bkpsdm-14.03"), router.directory, STATUTES, cases, published.append)
    with pytest.raises(Permanent):
        hand_on(completed(case.case_id, 2, "bkn-kanreg-12"), router.directory, STATUTES, cases, published.append)
    assert cases.only_case().primary_unit_id == "bkn-kanreg-12" and len(published) == 1


def test_a_transfer_moves_the_case_within_its_step(router, routed):
    cases, published = routed
    case = cases.only_case()
    hand_on(completed(case.case_id, 1, "bkn-kanreg-12"), router.directory, STATUTES, cases, published.append)
    approved = new_event("case.transfer_approved", {
        "transfer_id": "t-1", "case_id": case.case_id, "complaint_id": "c", "from_unit_id": "bkpsdm-14.03",
        "to_unit_id": "bkd-14"}, correlation_id="c", producer="desk")
    transfer_case(approved, router.directory, cases, published.append)
    hand_on(completed(case.case_id, 2, "bkd-14", {"kind": "keputusan", "sanction_kind": "disiplin_sedang"}),
            router.directory, STATUTES, cases, published.append)
    last = published[-1]["payload"]
    assert last["step"]["number"] == 3 and last["step"]["unit_id"] == "bkn-kanreg-12"
    assert last["previous"]["unit_id"] == "bkd-14" and last["previous"]["name"] == router.directory.units["bkd-14"].name
    hand_on(completed(case.case_id, 3, "bkn-kanreg-12", {"kind": "hasil_pemantauan"}), router.directory, STATUTES,
            cases, published.append)
    assert len(published) == 4  # the last step ends the chain: nothing opens


def planned_for(router, agency, statutes=STATUTES, named=False):
    """plan() for a Bengkalis civil servant of this agency: (the first routing, the chain's step units)."""
    archived = read_payload(EvidenceArchived, archived_case())
    archived["subject"]["agency"], archived["reporter_named"] = agency, named
    assignment, facts = plan(archived, replace(router, statutes=statutes), NOW)
    return assignment, [step["unit_id"] for step in facts.chain["steps"]]


def pilkada_in_riau(folder) -> Statutes:
    """A Pilkada in Riau around the act of archived_case (2026-11-02)."""
    path = folder / "calendar.yaml"
    path.write_text(yaml.safe_dump({"holidays": [], "elections": [{
        "id": "pilkada-riau", "kind": "pilkada", "regions": ["14"], "from": "2026-09-01", "until": "2026-12-31",
        "stages": [], "candidate_heads": []}]}))
    return Statutes.load(path)


def test_a_step_owned_by_the_subjects_own_unit_goes_to_the_body_above_which_the_data_names(router):
    assignment, units = planned_for(router, "BKPSDM Kabupaten Bengkalis")
    assert units == ["bkn-kanreg-12", "bkd-14", "bkn-kanreg-12"]  # bkd@region's conflict: bkd@province
    assert "bkpsdm-14.03" not in [u.id for u in (assignment.primary, *assignment.copies)]
    assignment, units = planned_for(router, "kantor regional XII  BKN, Pekanbaru")  # case and punctuation aside
    assert units == ["bkn-wasdal", "bkpsdm-14.03", "bkn-wasdal"] and assignment.primary.id == "bkn-wasdal"
    assert "bkn-kanreg-12" not in [u.id for u in assignment.copies]


def test_a_conflicted_first_step_changes_who_gets_the_case_first(router, tmp_path):
    assignment, units = planned_for(router, "Bawaslu Kabupaten Bengkalis", pilkada_in_riau(tmp_path), named=True)
    assert units == ["bawaslu-14", "bkn-kanreg-12", "bkpsdm-14.03", "bkn-kanreg-12"]
    assert assignment.primary.id == "bawaslu-14"
    assert "bawaslu-14.03" not in [u.id for u in assignment.copies]


def test_without_a_conflict_the_chain_and_copies_stay_as_the_rules_say(router):
    assignment, units = planned_for(router, "Dinas Pendidikan")
    plain, _ = plan(read_payload(EvidenceArchived, archived_case()), router, NOW)
    assert units == ["bkn-kanreg-12", "bkpsdm-14.03", "bkn-kanreg-12"] and assignment == plain
    assert "bkpsdm-14.03" in [u.id for u in assignment.copies]


def test_a_conflict_role_the_directory_cannot_fill_is_refused(directory, tmp_path):
    path = tmp_path / "chains.yaml"
    path.write_text(yaml.safe_dump({"chains": [{"id": "x", "steps": [
        {"unit": "bkd@region", "conflict": "ombudsman@province", "task": "putusan", "outcome": "keputusan"}]}]}))
    with pytest.raises(RoutingDataError) as raised:
        load_chains(path, directory, STATUTES.law.clock_ids())
    assert "conflict" in "\n".join(raised.value.problems) and "ombudsman" in "\n".join(raised.value.problems)
