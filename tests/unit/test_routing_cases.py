from datetime import datetime

import pytest

from services.common.envelope import derived_event_id, new_event
from services.common.worker import Permanent
from services.routing.handlers import route_case, transfer_case
from services.routing.legal_facts import Statutes
from services.routing.numbering import JAKARTA
from services.routing.planning import Router
from services.routing.rules import load_rules
from tests.support.routing_events import archived_case as archived

COMPLAINT = "5b1f0c3e-0000-4000-8000-000000000001"
TRANSFER = "a1b2c3d4-e5f6-4a7b-8c9d-0e1f2a3b4c5d"
STATUTES = Statutes.load(None)  # no election calendar: every case is outside an election


@pytest.fixture
def route(directory, rules, cases):
    published = []

    def handle(event):
        route_case(event, Router(directory, rules, STATUTES), cases, published.append)
    handle.published = published
    return handle


def transfer_approved(case_id, to_unit="bkd-14", from_unit="bkn-kanreg-12", transfer_id=TRANSFER):
    payload = {"transfer_id": transfer_id, "case_id": case_id, "complaint_id": COMPLAINT,
               "tracking_code": "NTR-7K4M-Q2XP", "from_unit_id": from_unit, "to_unit_id": to_unit,
               "reason": "Bukan kewenangan kabupaten.", "approved_at": "2026-11-10T04:00:00+00:00"}
    return new_event("case.transfer_approved", payload, correlation_id=COMPLAINT, producer="desk")


def test_an_archived_complaint_becomes_one_routed_case(route, cases):
    route(archived())
    case = cases.only_case()
    [event] = route.published
    assert event["event_type"] == "case.routed"
    assert event["event_id"] == derived_event_id("case.routed", COMPLAINT)
    assert event["correlation_id"] == COMPLAINT
    payload = event["payload"]
    assert payload["case_id"] == case.case_id
    assert payload["units"]["primary"] == {"unit_id": "bkn-kanreg-12", "kind": "bkn_kanreg",
                                           "name": "Kantor Regional XII BKN Pekanbaru",
                                           "email": "bkn-kanreg-12@unit.netra.invalid", "region_code": "14"}
    assert [u["unit_id"] for u in payload["units"]["copies"]] == ["bkpsdm-14.03", "kesbangpol-14.03"]
    assert payload["files"][0]["sanitised"]["sha256"] == "cd" and payload["manifest_key"].endswith("manifest.json")
    assert "added_later" not in payload["subject"] and "transfer" not in payload
    assert case.primary_unit_id == "bkn-kanreg-12"
    assert cases.statuses() == ["routed"]


def test_a_redelivery_republishes_the_same_event_and_changes_nothing(route, cases):
    route(archived())
    route(archived())
    assert len(cases.cases) == 1
    first, second = route.published
    assert first == second
    assert cases.statuses() == ["routed"]


def test_each_case_gets_the_next_number_of_its_region_and_a_redelivery_keeps_it(route, cases):
    year = datetime.now(JAKARTA).year
    route(archived())
    route(archived("5b1f0c3e-0000-4000-8000-000000000002"))
    route(archived("5b1f0c3e-0000-4000-8000-000000000003", region="14.71"))
    route(archived())
    assert [event["payload"]["case_number"] for event in route.published] == [
        f"NTR-{year}-1403-00001", f"NTR-{year}-1403-00002", f"NTR-{year}-1471-00001", f"NTR-{year}-1403-00001"]


def test_the_fallback_is_recorded_as_a_code(route, cases):
    route(archived(region="31.71"))
    case = cases.only_case()
    assert case.primary_unit_id == "bkn-kanreg-5"
    assert case.routing.fallback[0] == {"wanted": "bkd@31.71", "used": "bkd@31", "reason": "no_unit_in_region"}
    assert route.published[0]["payload"]["fallback"] == list(case.routing.fallback)


@pytest.mark.parametrize("event, reason", [
    (archived(region="99.99"), "unknown region code"),
    (archived(region="14.3"), "unknown region code"),
    (archived(region="14.03.01"), "unknown region code"),
    (archived(level="desa"), "payload is invalid"),
])
def test_unroutable_complaints_are_permanent_failures_and_store_nothing(route, cases, event, reason):
    with pytest.raises(Permanent, match=reason):
        route(event)
    assert cases.cases == {} and route.published == []


def test_no_matching_rule_is_a_permanent_failure(directory, cases, tmp_path):
    path = tmp_path / "rules.yaml"
    path.write_text("rules:\n- {id: riau, match: {regions: ['14']}, primary: bkd@region}\n")
    published = []
    with pytest.raises(Permanent, match="no routing rule matches"):
        route_case(archived(region="62.10"), Router(directory, load_rules(path, directory), STATUTES), cases,
                   published.append)
    assert cases.cases == {} and published == []


def test_an_approved_transfer_reroutes_the_case_once(route, directory, cases):
    route(archived())
    case_id, published = cases.only_case().case_id, []
    event = transfer_approved(case_id)
    transfer_case(event, directory, cases, published.append)
    transfer_case(event, directory, cases, published.append)
    first, second = published
    assert first == second and first["event_id"] == derived_event_id("case.routed", TRANSFER)
    payload = first["payload"]
    assert payload["units"]["primary"]["unit_id"] == "bkd-14" and payload["units"]["copies"] == []
    assert payload["transfer"] == {"transfer_id": TRANSFER, "from_unit_id": "bkn-kanreg-12"}
    assert payload["case_id"] == case_id and payload["files"][0]["sanitised"]["sha256"] == "cd"
    case = cases.only_case()
    assert case.primary_unit_id == "bkd-14"
    assert cases.statuses() == ["routed", "transferred"]
    assert "bkn-kanreg-12 -> bkd-14" in cases.history[-1][2]


def test_a_redelivery_after_a_transfer_re_announces_the_transfer_and_changes_nothing(route, directory, cases):
    route(archived())
    transferred = []
    transfer_case(transfer_approved(cases.only_case().case_id), directory, cases, transferred.append)
    route(archived())  # a re-drive of the complaint: the transfer's mail is the one owed now
    assert route.published[1] == transferred[0]
    assert route.published[1]["event_id"] == derived_event_id("case.routed", TRANSFER)
    assert len(cases.cases) == 1 and cases.statuses() == ["routed", "transferred"]


@pytest.mark.parametrize("change, reason", [
    ({"from_unit": "bawaslu-14.03"}, "case is with bkn-kanreg-12"),
    ({"to_unit": "nobody"}, "not in the units directory"),
    ({"to_unit": "bkn-kanreg-12"}, "already with"),
])
def test_a_transfer_that_does_not_fit_the_case_is_refused(route, directory, cases, change, reason):
    route(archived())
    published = []
    with pytest.raises(Permanent, match=reason):
        transfer_case(transfer_approved(cases.only_case().case_id, **change), directory, cases, published.append)
    assert published == [] and cases.only_case().primary_unit_id == "bkn-kanreg-12"
    assert cases.statuses() == ["routed"]


def test_a_transfer_of_an_unknown_case_is_permanent(directory, cases):
    with pytest.raises(Permanent, match="no case"):
        transfer_case(transfer_approved("no-such-case"), directory, cases, [].append)
