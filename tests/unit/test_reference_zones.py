"""A unit's own time zone, named the way its officers write it."""
from datetime import datetime, timezone

import pytest
from lokal.provinces import PROVINCES

from services.reference.zones import WIB, WIT, WITA, zone_of

MOMENT = datetime(2026, 12, 6, 7, 5, tzinfo=timezone.utc)


@pytest.mark.parametrize("region, zone, shown", [
    ("14.03", WIB, "06/12/2026 14.05 WIB"), ("61", WIB, "06/12/2026 14.05 WIB"),
    ("73.71", WITA, "06/12/2026 15.05 WITA"), ("51", WITA, "06/12/2026 15.05 WITA"),
    ("91.71", WIT, "06/12/2026 16.05 WIT"), ("82", WIT, "06/12/2026 16.05 WIT"), (None, WIB, "06/12/2026 14.05 WIB")])
def test_a_region_keeps_its_provinces_time(region, zone, shown):
    assert zone_of(region) is zone and zone.shows(MOMENT) == shown


def test_every_province_of_the_region_data_has_a_zone_and_all_three_are_used():
    assert {zone_of(code).name for code in PROVINCES} == {"WIB", "WITA", "WIT"}
    assert sum(zone_of(code) is WIB for code in PROVINCES) == 18
