"""Grouping against the real PostgreSQL: the fingerprints table, the window, and two reports of one act
routed at the same moment by two workers still ending in one group."""
import threading
from datetime import timedelta

import pytest

from services.common.db import make_engine
from services.routing.directory import load_directory
from services.routing.grouping import GroupPolicy
from services.routing.handlers import route_case
from services.routing.legal import Statutes
from services.routing.planning import Router
from services.routing.repository import SqlCases
from services.routing.rules import load_rules
from services.routing.settings import DATA as ROUTING_DATA
from tests.unit.test_routing_grouping import archived
from tests.support.migrated import migrated_database

pytestmark = pytest.mark.integration
database_url = migrated_database("routing")  # services never create their tables
POLICY = GroupPolicy(timedelta(days=30), phash_distance=6)


@pytest.fixture
def cases(database_url):
    engine = make_engine(database_url)
    yield SqlCases(engine)
    engine.dispose()


@pytest.fixture(scope="module")
def routing_data():
    directory = load_directory(ROUTING_DATA / "units.yaml")
    return directory, load_rules(ROUTING_DATA / "rules.yaml", directory)


def route(routing_data, cases, event) -> dict:
    published = []
    route_case(event, Router(*routing_data, Statutes.load(None), POLICY), cases, published.append)
    return published[-1]["payload"]


def test_resized_copies_and_the_same_post_join_the_first_report(routing_data, cases):
    first = route(routing_data, cases, archived(1, url=None, phash="c3a1e4f0b2d59687"))
    resized = route(routing_data, cases, archived(2, url=None, sha="b" * 64, phash="c3a1e4f0b2d5968f"))
    post = route(routing_data, cases, archived(3, sha="c" * 64, url="https://m.facebook.com/budi/posts/1?s=1"))
    route(routing_data, cases, archived(4, sha="d" * 64, url="https://www.facebook.com/budi/posts/1"))
    assert resized["group"]["group_id"] == first["case_id"] and resized["group"]["matched_on"] == ["phash"]
    assert post["group"]["size"] == 1, "a post nobody reported before is a new act"
    fourth = route(routing_data, cases, archived(5, sha="e" * 64, url="https://facebook.com/budi/posts/1/"))
    assert fourth["group"]["group_id"] == post["case_id"] and fourth["group"]["size"] == 3
    assert route(routing_data, cases, archived(5, sha="e" * 64)) == fourth, "a redelivery changes nothing"


def test_two_workers_routing_the_same_act_at_once_make_one_group(routing_data, cases):
    barrier, results = threading.Barrier(8), []

    def work(n):
        barrier.wait()
        results.append(route(routing_data, cases, archived(n, sha=f"{n:x}" * 64)))
    threads = [threading.Thread(target=work, args=(n,)) for n in range(1, 9)]
    [thread.start() for thread in threads]
    [thread.join() for thread in threads]
    assert len({r["group"]["group_id"] for r in results}) == 1
    assert sorted(r["group"]["size"] for r in results) == list(range(1, 9))
