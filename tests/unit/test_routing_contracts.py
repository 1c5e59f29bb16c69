"""Routing against the event contract: it reads every example it consumes, and emits case.routed as documented."""
import copy
from datetime import timedelta
from pathlib import Path

import pytest

from services.common.envelope import read_payload
from services.routing.chains import load_chains
from services.routing.events import EvidenceArchived, StepCompleted, TransferApproved
from services.routing.grouping import GroupPolicy
from services.routing.handlers import route_case, transfer_case
from services.routing.queues import queues
from services.routing.settings import RoutingSettings
from services.routing.legal_facts import Statutes
from services.routing.planning import Router
from services.routing.steps import hand_on
from services.reference.files import DATA
from tests.support.contracts import assert_matches_example, example
from tests.support.routing_fakes import FakeCases

GROUPING = GroupPolicy(timedelta(days=30), phash_distance=6)
CALENDAR = Path(__file__).resolve().parents[1] / "support" / "data" / "election_calendar.yaml"


@pytest.mark.parametrize("name, schema", [
    ("evidence.archived", EvidenceArchived),
    ("case.transfer_approved", TransferApproved),
    ("case.step_completed", StepCompleted),
])
def test_routing_reads_every_example_it_consumes(name, schema):
    read = read_payload(schema, example(name))
    assert read["complaint_id"] == example(name)["payload"]["complaint_id"]


def test_routing_reads_no_notification_intakes_timeline_is_the_record_of_the_unit_being_told():
    consumed = {event_type for spec in queues(RoutingSettings()) for event_type in spec.event_types}
    assert consumed == {"evidence.archived", "case.transfer_approved", "case.step_completed"}


def test_the_sanitised_copy_passes_through():
    files = read_payload(EvidenceArchived, example("evidence.archived"))["files"]
    assert files == example("evidence.archived")["payload"]["files"]


def router_of(directory, rules) -> Router:
    statutes = Statutes.load(CALENDAR)
    return Router(directory, rules, statutes, GROUPING, load_chains(DATA / "chains.yaml", directory,
                                                                  statutes.law.clock_ids()))


def routed_from_the_archived_example(directory, rules, cases):
    published = []
    route_case(example("evidence.archived"), router_of(directory, rules), cases, published.append)
    return published[-1]


def test_what_routing_emits_matches_case_routed(directory, rules):
    emitted = routed_from_the_archived_example(directory, rules, FakeCases())
    assert_matches_example(emitted, "case.routed")


def test_a_transfer_emits_what_case_routed_transfer_documents(directory, rules):
    cases = FakeCases()
    routed = routed_from_the_archived_example(directory, rules, cases)
    approved = copy.deepcopy(example("case.transfer_approved"))
    approved["payload"]["case_id"] = routed["payload"]["case_id"]
    approved["payload"]["from_unit_id"] = routed["payload"]["units"]["primary"]["unit_id"]
    published = []
    transfer_case(approved, directory, cases, published.append)
    assert_matches_example(published[-1], "case.routed.transfer")


def test_a_hand_off_emits_what_case_step_opened_documents(directory, rules):
    cases = FakeCases()
    routed = routed_from_the_archived_example(directory, rules, cases)
    completed = copy.deepcopy(example("case.step_completed"))
    completed["payload"].update(case_id=routed["payload"]["case_id"], step=1,
                                unit_id=routed["payload"]["units"]["primary"]["unit_id"])
    published = []
    router = router_of(directory, rules)
    hand_on(completed, directory, router.statutes, cases, published.append)
    assert_matches_example(published[-1], "case.step_opened")
