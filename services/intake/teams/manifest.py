"""A team's batch manifest (JSON, CSV or XLSX) read into rows, and a row turned into a complaint document.

The columns are the template's (team_template.py): one flat row per finding. The manifest's bytes are
limited before parsing; rows are read one at a time and reading stops at the first item over the limit.
An XLSX is read within the bounds of spreadsheet.py: its unpacked size, the template's columns, a last row.
"""
from __future__ import annotations

import csv
import io
import json
import re
from datetime import date, datetime

from .spreadsheet import SheetError, sheet_rows

COLUMNS = {  # column: (field path in the complaint document, hint, example)
    "external_id": (None, "Nomor temuan tim sendiri, unik per tim (huruf, angka, . _ - / :)", "NTB-2026-0001"),
    "subject_name": ("subject.name", "Nama ASN terlapor", "Budi Santoso"),
    "subject_nip": ("subject.nip", "NIP 18 digit (isi sebagai teks), boleh kosong", "198703122010011004"),
    "subject_position": ("subject.position", "Jabatan, boleh kosong", "Kepala Seksi Pelayanan"),
    "subject_agency": ("subject.agency", "Instansi", "Dinas Kependudukan dan Pencatatan Sipil Kota Mataram"),
    "employer_level": ("subject.employer_level", "Kode tingkat instansi (lembar kode)", "kabupaten_kota"),
    "region_code": ("subject.region_code", "Kode wilayah Kemendagri (lembar kode)", "52.71"),
    "category": ("violation.category", "Kode kategori pelanggaran (lembar kode)", "unggah_dukungan"),
    "platform": ("violation.platform", "Kode platform (lembar kode)", "facebook"),
    "post_urls": ("violation.post_urls", "Tautan unggahan, pisahkan dengan spasi", "https://www.facebook.com/p/1"),
    "occurred_on": ("violation.occurred_on", "Tanggal kejadian, YYYY-MM-DD", "2026-11-02"),
    "location": ("violation.location", "Lokasi, boleh kosong", "Mataram"),
    "description": ("violation.description", "Uraian temuan (10 sampai 5000 huruf)",
                    "Mengunggah foto bersama pasangan calon wali kota dengan simbol jari."),
    "screenshots": ("evidence", "Nama berkas tangkapan layar yang diunggah bersama, pisahkan dengan ;",
                    "ntb-0001.png"),
}
EXAMPLE_ID = "CONTOH"  # the template's example row: skipped, so a team may leave it in place
EXTERNAL_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._:/-]{0,99}")
# Rows of an XLSX read beyond the items: blank rows between and below them (the template formats 1,000).
XLSX_SPARE_ROWS = 10_000


class ManifestError(Exception):
    """The manifest as a whole cannot be read: 422, nothing filed."""


def read_manifest(filename: str, data: bytes, max_rows: int) -> list[tuple[int, dict]]:
    """(row number as the team sees it, row) for every non-empty row; the example row skipped."""
    kind = filename.rsplit(".", 1)[-1].lower() if "." in filename else ""
    readers = {"json": json_rows, "csv": csv_rows, "xlsx": lambda d: xlsx_rows(d, max_rows + XLSX_SPARE_ROWS)}
    if kind not in readers:
        raise ManifestError("The manifest must be a .json, .csv or .xlsx file.")
    rows = []
    for number, row in readers[kind](data):
        if is_item(row):
            rows.append((number, row))
        if len(rows) > max_rows:
            raise ManifestError(f"At most {max_rows} items per batch; this manifest has more.")
    if not rows:
        raise ManifestError("The manifest has no items.")
    return rows


def is_item(row: dict) -> bool:
    return any(v not in (None, "") for v in row.values()) and str(row.get("external_id") or "").strip() != EXAMPLE_ID


def json_rows(data: bytes):
    try:
        items = json.loads(data.decode("utf-8-sig"))
    except (UnicodeDecodeError, ValueError, RecursionError):
        raise ManifestError("The JSON manifest is not valid UTF-8 JSON.") from None
    items = items.get("items") if isinstance(items, dict) else items
    if not isinstance(items, list) or not all(isinstance(item, dict) for item in items):
        raise ManifestError('The JSON manifest must be a list of objects, or {"items": [...]}.')
    for item in items:
        known_columns(item.keys())
    return list(enumerate(items, start=1))


def csv_rows(data: bytes):
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ManifestError("The CSV manifest must be UTF-8 (save as “CSV UTF-8”).") from None
    delimiter = ";" if text.split("\n", 1)[0].count(";") > text.split("\n", 1)[0].count(",") else ","
    try:
        reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
        header = [h.strip() for h in next(reader, [])]
        known_columns(header)
        return [(number, dict(zip(header, values))) for number, values in enumerate(reader, start=2)]
    except csv.Error as exc:
        raise ManifestError(f"The CSV manifest cannot be read: {exc}.") from None


def xlsx_rows(data: bytes, last_row: int):
    """Lazily: rows of values in the template's columns (twice as many read, for blank columns between)."""
    try:
        rows = sheet_rows(data, 2 * len(COLUMNS), last_row)
        header = [str(h).strip() if h is not None else "" for h in next(rows, ())]
        known_columns(h for h in header if h)
        for number, values in enumerate(rows, start=2):
            if any(v is not None for v in values):
                yield number, {h: cell_text(v) for h, v in zip(header, values) if h}
    except SheetError as exc:
        raise ManifestError(str(exc)) from None


def cell_text(value):
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return NumberCell(int(value))
    if isinstance(value, (int, float)):
        return NumberCell(value)
    return value


class NumberCell(str):
    """A cell the spreadsheet stored as a number: exact only to 15 digits, so never a NIP."""

    def __new__(cls, value):
        return super().__new__(cls, str(value))


def known_columns(names) -> None:
    unknown = sorted(set(names) - set(COLUMNS))
    if unknown:
        raise ManifestError(f"Unknown column(s): {', '.join(n[:40] for n in unknown[:10])}. "
                            f"Columns: {', '.join(COLUMNS)}.")


def finding_document(row: dict) -> tuple[dict, list[str]]:
    """The complaint document of a row (no reporter: a team is not a person) and its screenshots' names."""
    document: dict = {"subject": {}, "violation": {}, "declaration": True}
    for column, (path, _, _) in COLUMNS.items():
        value = row.get(column)
        if path is None or path == "evidence" or value is None or value == "" or value == []:
            continue
        if column == "post_urls":
            value = value if isinstance(value, list) else str(value).split()
        part, name = path.split(".")
        document[part][name] = value
    return document, names_of(row.get("screenshots"))


def names_of(value) -> list[str]:
    names = value if isinstance(value, list) else re.split(r"[;\n]", str(value or ""))
    return list(dict.fromkeys(str(n).strip() for n in names if str(n).strip()))


def column_of(path: str) -> str:
    """The column a validation error's field path belongs to ("subject.nip" → "subject_nip")."""
    head = ".".join(path.split(".")[:2])
    for column, (field, _, _) in COLUMNS.items():
        if field and (head == field or path.split(".")[0] == field):
            return column
    return path


def defused(value) -> str:
    """A value echoed back, safe to open in a spreadsheet: no leading formula character."""
    text = str(value)[:100]
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text
