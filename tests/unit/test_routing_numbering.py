"""Case numbers: their shape, and that routing gives each stored case the next one of its region and year."""
from datetime import datetime, timezone

import pytest

from services.routing.numbering import Series, region_digits, series_of


@pytest.mark.parametrize("region, digits", [("14.03", "1403"), ("14", "1400"), (None, "0000"), ("91.71", "9171")])
def test_the_region_is_four_digits(region, digits):
    assert region_digits(region) == digits


def test_a_number_names_prefix_year_region_and_a_five_digit_sequence():
    assert Series("1403", 2026).number(123) == "NTR-2026-1403-00123"


def test_the_year_is_the_year_in_jakarta():
    new_year_in_wib = datetime(2026, 12, 31, 17, 30, tzinfo=timezone.utc)  # 1 January 2027, 00.30 WIB
    assert series_of("14.03", new_year_in_wib) == Series("1403", 2027)
