"""The figures page as a file: one row per number shown, CSV (UTF-8 with a byte-order mark) or XLSX."""
from __future__ import annotations

import csv
import io

from openpyxl import Workbook
from openpyxl.styles import Font

from .export import escape_formula

COLUMNS = ("Bagian", "Kode", "Nama", "Jumlah", "Tepat waktu", "Persen tepat waktu",
           "Median hari sampai tanggapan pertama", "Median hari sampai selesai")
SECTIONS = (("per_status", "Status"), ("per_category", "Kategori"), ("sanctions", "Jenis sanksi"),
            ("per_step", "Langkah saat ini"))


def figure_rows(figures: dict) -> list[tuple]:
    """The period first, then every count (the current step's too), the months, the provinces, per body that
    owned a step its cases and its steps' timeliness, and each body's timeliness in its statuses."""
    period = figures["period"]
    name = period.name
    found: list[tuple] = [("Periode", period.kind, f"{name}: {period.since} s.d. {period.until}", figures["total"])]
    for key, section in SECTIONS:
        found += [(section, code, entry["label"], entry["count"]) for code, entry in figures[key].items()]
    found += [("Bulan masuk", month, month, count) for month, count in figures["per_month"].items()]
    found += [("Wilayah", code, entry["name"], entry["count"]) for code, entry in figures["per_region"].items()]
    found += [row for entry in figures["step_bodies"] for row in _step_body_rows(entry)]
    return found + [_timeliness_row(entry) for entry in figures["timeliness"]]


def _step_body_rows(entry: dict) -> list[tuple]:
    """A body's cases with a step of its own, and its steps judged against their deadline, on time and the rate."""
    rate = None if entry["rate"] is None else round(entry["rate"] * 100, 1)
    return [("Kasus per instansi langkah", entry["unit_id"], entry["name"], entry["cases"]),
            ("Ketepatan waktu langkah", entry["unit_id"], entry["name"], entry["judged"], entry["on_time"], rate)]


def _timeliness_row(entry: dict) -> tuple:
    rate = None if entry["rate"] is None else round(entry["rate"] * 100, 1)
    return ("Ketepatan waktu", entry["unit_id"], entry["name"], entry["decided"], entry["on_time"], rate,
            entry["first_answer_days"], entry["close_days"])


def to_csv_bytes(figures: dict) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    for cells in figure_rows(figures):
        writer.writerow(["" if value is None else escape_formula(str(value)) for value in cells])
    return out.getvalue().encode("utf-8-sig")


def to_xlsx(figures: dict) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = "Angka"
    sheet.append(COLUMNS)
    for cells in figure_rows(figures):
        sheet.append(cells)
    for row in sheet.iter_rows(min_row=2):
        for cell in row:
            if isinstance(cell.value, str):
                cell.data_type = "s"  # text stays text, never a formula
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    sheet.freeze_panes = "A2"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
