"""Who may open which case: the unit working it writes; units in copy, the former unit and pengawas read; a
regional supervisor (pengawas_wilayah) reads the cases its province's units hold (services/desk/cases/regional.py).

Everyone else gets None, which every page and API route answers as 404: a case of another unit does
not exist for them.
"""
from __future__ import annotations

from dataclasses import dataclass

WRITERS = ("petugas", "kepala")
REGIONAL = "pengawas_wilayah"
ROLES_ALL = ("petugas", "kepala", "admin", "pengawas", REGIONAL, "kustodian")


@dataclass(frozen=True)
class Staff:
    id: int
    username: str
    unit_id: str
    role: str
    region_units: frozenset[str] = frozenset()  # a regional supervisor's: the units of its province


def access_to(staff: Staff, accesses: dict[str, str]) -> str | None:
    """"write", "read" or None, from the case's units and their kind of access."""
    if staff.role == "kustodian":  # decides on identity requests and opens no case (services/desk/disclosure/)
        return None
    if staff.role == "pengawas":
        return "read"
    if staff.role == REGIONAL:
        return "read" if staff.region_units & accesses.keys() else None
    kind = accesses.get(staff.unit_id)
    if kind == "primary":
        return "write" if staff.role in WRITERS else "read"
    return "read" if kind in ("copy", "former") else None


def reads_audit(staff: Staff) -> bool:
    return staff.role in ("kepala", "admin")


def manages_accounts(staff: Staff) -> bool:
    return staff.role == "admin"
