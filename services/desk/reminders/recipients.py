"""Who a reminder reaches: the unit's shared address from the directory, and the own address of each of the
unit's officers (petugas and kepala, enabled, with an email) from the desk's accounts. The desk gives a case
to a unit, not to one officer, so every officer of the unit works its cases and hears of them."""
from __future__ import annotations

from email.headerregistry import Address
from email.utils import parseaddr
from typing import Mapping

from ..cases.access import WRITERS
from ..ports import Accounts


def officer_addresses(accounts: Accounts) -> dict[str, list[dict]]:
    """unit_id -> [{"name", "email"}] of its officers."""
    found: dict[str, list[dict]] = {}
    for row in accounts.active_with_email(WRITERS):
        if "@" in parseaddr(row["email"] or "")[1]:
            found.setdefault(row["unit_id"], []).append({"name": row["name"] or "", "email": row["email"]})
    return found


def with_officers(units: Mapping[str, dict], officers: Mapping[str, list[dict]]) -> dict[str, dict]:
    """The directory's units, each with its "officers" added (a copy: the directory is parsed once and shared)."""
    return {unit_id: {**unit, "officers": officers.get(unit_id, [])} for unit_id, unit in units.items()}


def recipients(unit: Mapping) -> list[Address]:
    """The unit's own address first, then its officers', each once; empty when none is usable."""
    found, seen = [], set()
    for name, email in [(unit.get("name", ""), unit.get("email")),
                        *((o.get("name", ""), o.get("email")) for o in unit.get("officers", ()))]:
        address = parseaddr(email or "")[1]
        if "@" in address and address.lower() not in seen:
            seen.add(address.lower())
            found.append(Address(name or "", addr_spec=address))
    return found
