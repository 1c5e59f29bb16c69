"""The regional supervisor (`pengawas_wilayah`): a province's Kesbangpol, BKD or governor's office reads the
cases of every unit in its province, and works none.

Its province is the region of its own unit, which must be a provincial unit (region code "14", not
"14.03"): a regency's unit never sees its neighbours' cases. The units in the province are read from the
units directory when the officer's session is read, and the case queries keep the cases one of them holds
(working it, in copy, or having transferred it away).
"""
from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from sqlalchemy import literal, select

from services.reference.regions import province_of

from ..directory import unit_regions
from ..tables import case_access, cases
from .access import REGIONAL, Staff

NOT_PROVINCIAL = "Pengawas wilayah hanya dapat diundang oleh unit tingkat provinsi (kode wilayah provinsi)."


def province_of_unit(units_file: Path, unit_id: str) -> str | None:
    """The province a unit stands for, or None for a regency's, a city's or a central unit."""
    region = str(unit_regions(units_file).get(unit_id) or "")
    return region if region.isdigit() else None


def units_in_province(units_file: Path, province: str | None) -> frozenset[str]:
    if not province:
        return frozenset()
    return frozenset(unit for unit, region in unit_regions(units_file).items()
                     if region and str(region) != "pusat" and province_of(str(region)) == province)


def with_region(staff: Staff, units_file: Path) -> Staff:
    """A regional supervisor with the units of its province; anyone else unchanged."""
    if staff.role != REGIONAL:
        return staff
    return replace(staff, region_units=units_in_province(units_file, province_of_unit(units_file, staff.unit_id)))


def regional_cases(staff: Staff):
    """The select of cases one of the supervisor's province's units holds; `access` is None (read only)."""
    held = select(case_access.c.case_id).where(case_access.c.unit_id.in_(sorted(staff.region_units)))
    return select(cases, literal(None).label("access")).where(cases.c.case_id.in_(held))


CASE_PATHS = ("/desk/kasus/", "/desk/api/v1/cases")
CHECKS = ("/periksa",)  # recomputing an evidence file's SHA-256 changes nothing: every reader may
READ_ONLY = "Pengawas wilayah hanya dapat membaca kasus; tindakan atas kasus dilakukan unit yang menanganinya."


def acts_on_a_case(staff: Staff, method: str, path: str) -> bool:
    """A regional supervisor's request that would change a case: refused (403) before any view runs."""
    reading = method in ("GET", "HEAD") or path.endswith(CHECKS)
    return staff.role == REGIONAL and not reading and path.startswith(CASE_PATHS)
