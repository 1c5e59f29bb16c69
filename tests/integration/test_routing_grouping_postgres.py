"""Grouping against the real PostgreSQL: the fingerprints table, the window, perceptual hashes matched by
distance in the query, and two reports of one act routed at the same moment by two workers still ending in
one group."""
import threading
from datetime import timedelta

import pytest

from services.common.db import make_engine
from services.routing.directory import load_directory
from services.routing.grouping import GroupPolicy
from services.routing.handlers import route_case
from services.routing.legal_facts import Statutes
from services.routing.planning import Router
from services.routing.repository import SqlCases
from services.routing.rules import load_rules
from services.reference.files import UNITS_FILE
from services.routing.settings import DATA as ROUTING_DATA
from tests.support.migrated import migrated, migrated_database
from tests.support.routing_events import archived

database_url = migrated_database("routing")  # services never create their tables
POLICY = GroupPolicy(timedelta(days=30), phash_distance=6)


@pytest.fixture
def cases(database_url):
    engine = make_engine(database_url)
    yield SqlCases(engine)
    engine.dispose()


@pytest.fixture(scope="module")
def routing_data():
    directory = load_directory(UNITS_FILE)
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


def flip(phash: str, bits: int, lowest: int = 0) -> str:
    """`phash` with `bits` bits inverted from bit `lowest` up: exactly that Hamming distance away."""
    return f"{int(phash, 16) ^ (((1 << bits) - 1) << lowest):0{len(phash)}x}"


@pytest.fixture(params=["postgresql", "sqlite"])
def any_cases(request, database_url, tmp_path):
    """PostgreSQL matches hashes in the query; a SQLite file (a service's default database) here."""
    url = database_url if request.param == "postgresql" else f"sqlite:///{tmp_path}/routing.db"
    engine = make_engine(migrated("routing", url))
    yield SqlCases(engine)
    engine.dispose()


def test_a_hash_within_the_distance_joins_and_one_bit_further_does_not(routing_data, any_cases):
    first = route(routing_data, any_cases, archived(1, url=None, phash="c3a1e4f0b2d59687"))
    near = route(routing_data, any_cases, archived(2, url=None, sha="b" * 64, phash=flip("c3a1e4f0b2d59687", 6)))
    far = route(routing_data, any_cases, archived(3, url=None, sha="c" * 64, phash=flip("c3a1e4f0b2d59687", 7, 32)))
    assert near["group"]["group_id"] == first["case_id"] and near["group"]["matched_on"] == ["phash"]
    assert far["group"]["group_id"] == far["case_id"], "7 bits from the first, 13 from the second: another picture"


def test_hashes_of_another_length_or_not_hex_neither_match_nor_break_the_lookup(routing_data, any_cases):
    route(routing_data, any_cases, archived(1, url=None, phash="c3a1e4f0"))
    route(routing_data, any_cases, archived(2, url=None, sha="b" * 64, phash="zz" * 8))
    long = route(routing_data, any_cases, archived(3, url=None, sha="c" * 64, phash="c3a1e4f0" * 2))
    assert long["group"]["size"] == 1, "a 64-bit hash is not compared with a 32-bit one"
    short = route(routing_data, any_cases, archived(4, url=None, sha="d" * 64, phash="c3a1e4f1"))
    assert short["group"]["matched_on"] == ["phash"] and short["group"]["size"] == 2
    exact = route(routing_data, any_cases, archived(5, url=None, sha="b" * 64, phash="zz" * 8))
    assert exact["group"]["matched_on"] == ["sha256"], "a malformed hash is left out, the file's SHA-256 still counts"


def test_a_post_url_longer_than_the_stored_key_still_finds_its_group(routing_data, any_cases):
    url = "https://www.facebook.com/permalink.php?story_fbid=" + "7" * 180 + "&id=100064"
    first = route(routing_data, any_cases, archived(1, url=url))
    again = route(routing_data, any_cases, archived(2, url=url.replace("www.", "m."), sha="b" * 64))
    assert again["group"]["group_id"] == first["case_id"] and again["group"]["matched_on"] == ["post_url"]
