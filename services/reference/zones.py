"""Indonesia's three time zones (Keppres 41/1987), by province: what a unit calls its own time.

WIB (UTC+7) for Sumatra, Java, West and Central Kalimantan; WITA (UTC+8) for Bali, Nusa Tenggara, South,
East and North Kalimantan and Sulawesi; WIT (UTC+9) for Maluku and Papua. A central body, with no region,
keeps Jakarta's time.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo


@dataclass(frozen=True)
class Zone:
    name: str  # WIB, WITA, WIT: as an Indonesian reader writes it after a time
    tz: ZoneInfo

    def shows(self, moment: datetime) -> str:
        """`06/12/2026 14.05 WITA`: the moment on this zone's clock, named."""
        return f"{moment.astimezone(self.tz).strftime('%d/%m/%Y %H.%M')} {self.name}"


WIB = Zone("WIB", ZoneInfo("Asia/Jakarta"))
WITA = Zone("WITA", ZoneInfo("Asia/Makassar"))
WIT = Zone("WIT", ZoneInfo("Asia/Jayapura"))
WITA_PROVINCES = {"51", "52", "53", "63", "64", "65", "71", "72", "73", "74", "75", "76"}
WIT_PROVINCES = {"81", "82", "91", "92", "93", "94", "95", "96"}


def zone_of(region_code: str | None) -> Zone:
    """The zone of a province ("73") or a regency or city in it ("73.71"); WIB without a region."""
    province = (region_code or "").split(".")[0]
    if province in WITA_PROVINCES:
        return WITA
    return WIT if province in WIT_PROVINCES else WIB
