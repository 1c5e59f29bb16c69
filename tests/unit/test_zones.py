"""A time shows in the zone of its province, named: WIB, WITA or WIT."""
from datetime import datetime, timezone

import pytest

from services.reference.zones import local_time, zone_of

MOMENT = datetime(2026, 12, 6, 2, 28, tzinfo=timezone.utc)


@pytest.mark.parametrize("region, shown", [
    ("14.03", "06/12/2026 09.28 WIB"), ("31", "06/12/2026 09.28 WIB"), ("62.10", "06/12/2026 09.28 WIB"),
    ("51", "06/12/2026 10.28 WITA"), ("64.71", "06/12/2026 10.28 WITA"), ("73", "06/12/2026 10.28 WITA"),
    ("81", "06/12/2026 11.28 WIT"), ("94", "06/12/2026 11.28 WIT"), ("pusat", "06/12/2026 09.28 WIB"),
    (None, "06/12/2026 09.28 WIB")])
def test_each_province_has_its_zone(region, shown):
    assert local_time(MOMENT, zone_of(region)) == shown


def test_a_naive_moment_is_utc_and_none_is_nothing():
    assert local_time(MOMENT.replace(tzinfo=None), zone_of("14")) == "06/12/2026 09.28 WIB"
    assert local_time(None, zone_of("14")) == ""
