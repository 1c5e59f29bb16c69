"""The batch template a team fills in: CSV (columns and the example row) or XLSX (plus a sheet of codes).

The example row has external_id CONTOH and is skipped on upload, so a team may leave it where it is.
"""
from __future__ import annotations

import csv
import io

from services.reference import regions, vocabulary

from .manifest import COLUMNS, EXAMPLE_ID

CODE_KINDS = (("employer_level", "employer_levels"), ("category", "categories"), ("platform", "platforms"))
TEXT_COLUMNS = ("external_id", "subject_nip", "region_code", "occurred_on", "post_urls", "screenshots")


def example_row() -> list[str]:
    return [EXAMPLE_ID if column == "external_id" else example for column, (_, _, example) in COLUMNS.items()]


def template_csv() -> bytes:
    """UTF-8 with a byte order mark, so spreadsheet programs open it as UTF-8."""
    out = io.StringIO(newline="")
    writer = csv.writer(out)
    writer.writerow(list(COLUMNS))
    writer.writerow(example_row())
    return out.getvalue().encode("utf-8-sig")


def code_rows() -> list[tuple[str, str, str]]:
    """(column, code, label): every code the template's columns accept, regions as the reference data has them."""
    rows = [(column, code, label) for column, kind in CODE_KINDS
            for code, label in vocabulary.labels(kind).items()]
    for province in regions.regions(None):
        rows.append(("region_code", province["code"], province["name"]))
        rows += [("region_code", r["code"], r["name"]) for r in regions.regions(province["code"])]
    return rows


def template_xlsx() -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font
    book = Workbook()
    sheet = book.active
    sheet.title = "temuan"
    sheet.append(list(COLUMNS))
    sheet.append(example_row())
    for index, column in enumerate(COLUMNS, start=1):
        cell = sheet.cell(row=1, column=index)
        cell.font = Font(bold=True)
        sheet.column_dimensions[cell.column_letter].width = max(14, len(column) + 4)
        if column in TEXT_COLUMNS:  # typed as text: a NIP or "52.10" must not become a number
            for row in range(2, 1002):
                sheet.cell(row=row, column=index).number_format = "@"
    sheet.freeze_panes = "A2"
    codes = book.create_sheet("kode")
    codes.append(["kolom", "kode", "arti"])
    for row in code_rows():
        codes.append(list(row))
    guide = book.create_sheet("petunjuk")
    guide.append(["kolom", "isi"])
    for column, (_, hint, _) in COLUMNS.items():
        guide.append([column, hint])
    guide.append(["", f"Baris contoh dengan external_id {EXAMPLE_ID} dilewati saat diunggah."])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
