"""The units directory as a sheet operators keep: read from and written to CSV or XLSX (openpyxl), and the
difference an import would make, shown before anything is written.

Columns: unit_id, kind (the body: bkd, bawaslu, ...), region_code, region (its name, written for the
reader and ignored on import), name, email, and invite: the addresses of the officers to invite to the
desk for that unit, separated by semicolons or spaces (optional; the import lists them).
"""
from __future__ import annotations

import csv
from pathlib import Path

from openpyxl import Workbook, load_workbook

from services.reference.regions import region_name
from services.routing.directory import PUSAT, Unit

COLUMNS = ("unit_id", "kind", "name", "email", "region_code")
SHEET_COLUMNS = ("unit_id", "kind", "region_code", "region", "name", "email", "invite")


def read_table(path: Path) -> tuple[list[str], list[tuple[int, dict]]]:
    """(the header, each row with its line number), from a .xlsx or a CSV (UTF-8, with or without BOM)."""
    if path.suffix.lower() == ".xlsx":
        sheet = load_workbook(path, read_only=True, data_only=True).worksheets[0]
        lines = [["" if cell is None else str(cell) for cell in row] for row in sheet.iter_rows(values_only=True)]
    else:
        with open(path, newline="", encoding="utf-8-sig") as handle:
            lines = list(csv.reader(handle))
    header = [name.strip() for name in (lines[0] if lines else [])]
    rows = [(n, {name: (values[i] if i < len(values) else "").strip() for i, name in enumerate(header)})
            for n, values in enumerate(lines[1:], start=2) if any(v.strip() for v in values)]
    return header, rows


def write_table(units: list[Unit], path: Path) -> None:
    """The directory as a sheet (.xlsx by the suffix, else CSV), one unit a row, invite left empty."""
    rows = [[u.id, u.kind, u.region_code, "" if u.region_code == PUSAT else region_name(u.region_code) or "",
             u.name, u.email, ""] for u in units]
    if path.suffix.lower() == ".xlsx":
        book = Workbook()
        book.active.title = "units"
        for row in [list(SHEET_COLUMNS), *rows]:
            book.active.append(row)
        book.save(path)
        return
    with open(path, "w", newline="", encoding="utf-8") as handle:
        csv.writer(handle).writerows([SHEET_COLUMNS, *rows])


def invitations(rows: list[tuple[int, dict]]) -> dict[str, list[str]]:
    """unit_id -> the addresses its row asks to invite."""
    found = {}
    for _, row in rows:
        addresses = (row.get("invite") or "").replace(";", " ").replace(",", " ").split()
        if addresses:
            found[row["unit_id"]] = addresses
    return found


def difference(before: dict[str, Unit], after: list[Unit]) -> list[str]:
    """What an import changes, one line each: + a new unit, ~ a changed name or address."""
    lines = []
    for unit in after:
        old = before.get(unit.id)
        if old is None:
            lines.append(f"+ {unit.id} ({unit.kind}, {unit.region_code}): {unit.name} <{unit.email}>")
            continue
        lines += [f"~ {unit.id}: {field} {getattr(old, field)!r} -> {getattr(unit, field)!r}"
                  for field in ("name", "email") if getattr(old, field) != getattr(unit, field)]
    return lines
