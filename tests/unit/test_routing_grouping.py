"""The same act reported many times ends in one group per unit; each report keeps its own case."""
from datetime import datetime, timedelta, timezone

import pytest

from services.routing import handlers
from services.routing.grouping import GroupPolicy, fingerprint, normalise_url
from services.routing.handlers import route_case
from services.routing.legal_facts import Statutes
from services.routing.planning import Router
from tests.support.routing_events import archived

POLICY = GroupPolicy(timedelta(days=30), phash_distance=6)
STATUTES = Statutes.load(None)  # no election calendar: every case is outside an election


@pytest.fixture
def route(directory, rules, cases):
    published = []

    def handle(n, policy=POLICY, **changes):
        route_case(archived(n, **changes), Router(directory, rules, STATUTES, policy), cases, published.append)
        return published[-1]["payload"]
    return handle


@pytest.mark.parametrize("spelling", [
    "https://m.facebook.com/budi/posts/1/?ref=share&mibextid=abc",
    "http://WWW.FACEBOOK.COM/budi/posts/1#comments",
    "https://web.facebook.com/budi/posts/1",
])
def test_one_post_has_one_spelling(spelling):
    assert normalise_url(spelling) == normalise_url("https://www.facebook.com/budi/posts/1")


def test_the_parameters_that_name_a_post_are_kept():
    assert normalise_url("https://www.youtube.com/watch?v=abc&t=42") == "https://youtube.com/watch?v=abc"
    assert normalise_url("https://youtube.com/watch?v=abc") != normalise_url("https://youtube.com/watch?v=xyz")


def test_the_fingerprint_names_url_files_and_nip():
    keys = fingerprint(archived(1, phash="c3a1e4f0b2d59687", nip="198703122010011004")["payload"])
    assert [kind for kind, _ in keys] == ["nip", "phash", "post_url", "sha256"]


def test_the_first_report_leads_its_own_group(route):
    group = route(1)["group"]
    assert group["size"] == 1 and group["matched_on"] == [] and group["lead_tracking_code"] == "NTR-0000-0001"


def test_an_exact_duplicate_screenshot_joins_the_first_case(route, cases):
    first = route(1, url=None)
    second = route(2, url=None)
    assert second["case_id"] != first["case_id"], "each reporter keeps their own case"
    assert second["group"] == {"group_id": first["case_id"], "lead_case_id": first["case_id"],
                               "lead_tracking_code": "NTR-0000-0001", "size": 2, "matched_on": ["sha256"]}
    assert len(cases.cases) == 2


def test_different_people_reporting_the_same_post_are_one_group(route):
    first = route(1, sha="a" * 64)
    later = [route(n, sha=f"{n:x}" * 64, url=f"https://m.facebook.com/budi/posts/1?ref=share{n}")
             for n in range(2, 6)]
    assert {c["group"]["group_id"] for c in later} == {first["case_id"]}
    assert [c["group"]["size"] for c in later] == [2, 3, 4, 5]
    assert all(c["group"]["matched_on"] == ["post_url"] for c in later)


def test_a_resized_screenshot_matches_by_perceptual_hash_within_the_distance(route):
    first = route(1, url=None, phash="c3a1e4f0b2d59687")
    near = route(2, url=None, sha="b" * 64, phash="c3a1e4f0b2d59686")  # one bit apart
    far = route(3, url=None, sha="c" * 64, phash="3c5e1b0f4d2a6978")  # most bits apart
    assert near["group"]["group_id"] == first["case_id"] and near["group"]["matched_on"] == ["phash"]
    assert far["group"]["size"] == 1


def test_the_same_civil_servant_within_the_window_is_one_group(route):
    first = route(1, url="https://x.com/a/status/1", nip="198703122010011004")
    second = route(2, url="https://x.com/a/status/2", sha="b" * 64, nip="198703122010011004")
    assert second["group"]["group_id"] == first["case_id"] and second["group"]["matched_on"] == ["nip"]


def test_nothing_in_common_or_another_unit_is_a_new_group(route):
    route(1)
    other = route(2, url="https://www.facebook.com/other/posts/9", sha="b" * 64)
    elsewhere = route(3, region="52.01")  # the same post, reported about a civil servant of another unit
    assert other["group"]["size"] == 1 and elsewhere["group"]["size"] == 1


def test_reports_older_than_the_window_start_a_new_group(route, monkeypatch):
    route(1)
    later = datetime.now(timezone.utc) + timedelta(days=31)
    monkeypatch.setattr(handlers, "_now", lambda: later)
    assert route(2)["group"]["size"] == 1


def test_a_redelivery_announces_the_same_group(route):
    route(1)
    second = route(2)
    assert route(2) == second


def test_grouping_off_leaves_cases_ungrouped(route):
    off = GroupPolicy(timedelta(0), phash_distance=6)
    route(1, policy=off)
    assert "group" not in route(2, policy=off)
