"""Times on the desk's pages in the zone of the signed-in officer's unit (WIB, WITA or WIT), the zone named."""
from __future__ import annotations

from datetime import datetime

from flask import current_app, g

from services.reference.zones import Zone, local_time, zone_of

from .directory import unit_regions


def staff_zone() -> Zone:
    staff = g.get("staff")
    regions = unit_regions(current_app.extensions["netra.desk"].settings.units_file)
    return zone_of(regions.get(staff.unit_id) if staff else None)


def local(moment: datetime | None, pattern: str = "%Y-%m-%d %H.%M") -> str:
    """The `local` template filter: "2026-12-06 09.28 WIB" for the officer of this request."""
    return local_time(moment, staff_zone(), pattern)
