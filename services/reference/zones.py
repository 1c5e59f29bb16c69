"""Indonesia's three time zones (Keppres 41/1987), by province: a time is shown in the zone of the unit that
reads or handles it, with the zone named (WIB, WITA, WIT).

Kemendagri province codes: Sumatra (1x, 21), Java (3x), West and Central Kalimantan (61, 62) keep WIB (UTC+7);
Bali and Nusa Tenggara (5x), South, East and North Kalimantan (63-65) and Sulawesi (7x) keep WITA (UTC+8);
Maluku (8x) and Papua (9x) keep WIT (UTC+9). A central body, or a code that names no province, keeps
Jakarta's time.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timezone
from zoneinfo import ZoneInfo


@dataclass(frozen=True)
class Zone:
    name: str  # WIB, WITA, WIT: as an Indonesian reader writes it after a time
    tz: ZoneInfo

    def shows(self, moment: datetime) -> str:
        """`06/12/2026 14.05 WITA`: the moment on this zone's clock, named."""
        return local_time(moment, self)


WIB = Zone("WIB", ZoneInfo("Asia/Jakarta"))
WITA = Zone("WITA", ZoneInfo("Asia/Makassar"))
WIT = Zone("WIT", ZoneInfo("Asia/Jayapura"))
WITA_PROVINCES = ("63", "64", "65")


def zone_of(region_code: str | None) -> Zone:
    """The zone of a province ("73") or a regency or city in it ("73.71"); WIB for anything that is not one."""
    province = (region_code or "").split(".")[0]
    if not province.isdigit():
        return WIB
    if province[0] in "89":
        return WIT
    if province[0] in "57" or province in WITA_PROVINCES:
        return WITA
    return WIB


def local_time(moment: datetime | None, zone: Zone, pattern: str = "%d/%m/%Y %H.%M") -> str:
    """`moment` in `zone`, its name after it: "06/12/2026 09.28 WIB". A naive moment is taken as UTC."""
    if moment is None:
        return ""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    return f"{moment.astimezone(zone.tz).strftime(pattern)} {zone.name}"
