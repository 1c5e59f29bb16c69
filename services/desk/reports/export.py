"""A unit's cases as CSV and XLSX, with columns in Bahasa Indonesia.

Input: a list of plain dicts, one per case, with these keys (more are ignored):
    case_id        str                 the desk's case id (not exported: it only builds links)
    tracking_code  str                 the public tracking code, e.g. "NTR-7K4M-Q2XP"
    unit_id        str                 the unit that holds the case
    subject_name, subject_nip, subject_agency   str | None   the civil servant reported, their NIP and agency
    category       str                 a code of vocabulary kind "categories"
    region_code    str                 a province "14" or a regency/city "14.03"
    status         str                 a desk status code (deadlines.statuses())
    received_at    datetime | ISO str  when the unit received the case
    due_on         date | ISO str | None   the current status's due date (None: final status)
    status_since   datetime | ISO str | None   when the case entered its current status
    sanction_kind, decree_number, decree_date   str | None   the sanction imposed and its decree, once decided
    unit_name      str | None          the body that works the case now (so owns its current step)
    chain          dict | None         the case's chain of steps (services/desk/chain/steps.py), if it has one
    on_time        bool | None         optional: the verdict on the current (or, closed, the last) status's
                                       deadline (timeliness.current_verdict); without it, overdue is late
Nothing about the reporter is ever among them, so nothing about the reporter can be exported.
"""
from __future__ import annotations

import csv
import io
from datetime import date

from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from services.reference.regions import ancestors, is_region, region_name
from services.reference.vocabulary import codes, label

from ..cases.deadlines import as_day, is_overdue
from ..cases.deadlines import statuses as known_statuses
from ..cases.lifecycle import sanction_kinds
from ..chain.steps import TASK_WORDS

COLUMNS = ("Kode pelacakan", "Nama ASN", "NIP", "Instansi", "Kategori", "Wilayah", "Status", "Tanggal masuk",
           "Status sejak", "Tenggat", "Tepat waktu", "Jenis sanksi", "Nomor keputusan", "Tanggal keputusan",
           "Langkah")
VERDICTS = {True: "tepat waktu", False: "terlambat", None: ""}
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
DATE_FORMAT = "DD/MM/YYYY"
MIN_WIDTH, MAX_WIDTH = 10, 60


class FilterError(ValueError):
    """A filter the export cannot apply; the message, in Bahasa Indonesia, is for the officer."""


def filter_cases(cases: list[dict], *, since: date | str | None = None, until: date | str | None = None,
                 statuses=(), categories=(), regions=()) -> list[dict]:
    """The cases received from `since` to `until` (both included; dates or YYYY-MM-DD) whose status,
    category and region are among those chosen (one code or several); an empty choice keeps every case.
    A province keeps its regencies and cities too."""
    since, until = _bound(since, "awal"), _bound(until, "akhir")
    chosen = tuple(_codes(choice) for choice in (statuses, categories, regions))
    _check_filters(since, until, *chosen)
    return [case for case in cases if _in_period(case, since, until) and _chosen(case, *chosen)]


def table(cases: list[dict], today: date) -> list[tuple]:
    """One tuple of cell values per case, in COLUMNS order; dates stay dates."""
    return [_cells(case, today) for case in cases]


def to_csv(cases: list[dict], today: date) -> str:
    """CSV text, comma-separated, dates as YYYY-MM-DD; cells that a spreadsheet would run are escaped."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    for cells in table(cases, today):
        writer.writerow([_csv_cell(value) for value in cells])
    return out.getvalue()


def to_csv_bytes(cases: list[dict], today: date) -> bytes:
    """The CSV for a download: UTF-8 with a byte-order mark, so spreadsheets read the words right."""
    return to_csv(cases, today).encode("utf-8-sig")


def to_xlsx(cases: list[dict], today: date) -> bytes:
    """An XLSX workbook: a bold header row, frozen below it, with filters and widths that fit."""
    book = Workbook()
    sheet = book.active
    sheet.title = "Kasus"
    sheet.append(COLUMNS)
    for cells in table(cases, today):
        sheet.append(cells)
    _as_text_and_dates(sheet)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = sheet.dimensions
    _fit_widths(sheet)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def escape_formula(text: str) -> str:
    """A leading quote makes a spreadsheet show `=cmd|...` instead of running it (OWASP CSV injection)."""
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def _bound(value: date | str | None, word: str) -> date | None:
    try:
        return as_day(value)
    except (TypeError, ValueError):
        raise FilterError(f"tanggal {word} tidak valid: {value!r} (contoh: 2026-03-31)") from None


def _codes(choice) -> set[str]:
    return {choice} if isinstance(choice, str) else set(choice or ())


def _check_filters(since, until, statuses, categories, regions) -> None:
    problems = []
    if since and until and since > until:
        problems.append("tanggal awal sesudah tanggal akhir")
    for word, chosen, known in (("status", statuses, known_statuses()),
                                ("kategori", categories, codes("categories"))):
        if unknown := sorted(set(chosen) - set(known)):
            problems.append(f"{word} tidak dikenal: {', '.join(unknown)}")
    if unknown := sorted(code for code in regions if not is_region(code)):
        problems.append(f"wilayah tidak dikenal: {', '.join(unknown)}")
    if problems:
        raise FilterError("; ".join(problems))


def _in_period(case: dict, since: date | None, until: date | None) -> bool:
    received = as_day(case.get("received_at"))
    if received is None:
        return since is None and until is None
    return (since is None or received >= since) and (until is None or received <= until)


def _chosen(case: dict, statuses: set, categories: set, regions: set) -> bool:
    region = case.get("region_code") or ""
    in_region = region in regions or any(parent in regions for parent in ancestors(region))
    return ((not statuses or case.get("status") in statuses)
            and (not categories or case.get("category") in categories)
            and (not regions or (bool(region) and in_region)))


def _cells(case: dict, today: date) -> tuple:
    due = as_day(case.get("due_on"))
    region = case.get("region_code") or ""
    kind = case.get("sanction_kind")
    return (str(case.get("tracking_code") or ""),
            _text(case.get("subject_name")), _text(case.get("subject_nip")), _text(case.get("subject_agency")),
            label("categories", case.get("category")) if case.get("category") else "",
            region_name(region) or region,
            label("case_statuses", case.get("status")) if case.get("status") else "",
            as_day(case.get("received_at")),
            as_day(case.get("status_since")),
            due,
            VERDICTS[case["on_time"] if "on_time" in case else (False if is_overdue(due, today) else None)],
            sanction_kinds().get(kind, kind) if kind else "",
            _text(case.get("decree_number")),
            _decree_day(case.get("decree_date")),
            _step(case))


def _step(case: dict) -> str:
    """"2 dari 3: BKPSDM Kabupaten Bengkalis (memutus)": the current step and the body that owns it."""
    chain = case.get("chain")
    if not chain:
        return ""
    step = chain["steps"][chain["current"] - 1]
    task = TASK_WORDS.get(step.get("task"), step.get("task") or "")
    return f"{chain['current']} dari {len(chain['steps'])}: {case.get('unit_name') or step['name']} ({task})"


def _text(value) -> str:
    return str(value) if value else ""


def _decree_day(value) -> date | str | None:
    """The decree's date as a date; text an officer typed that is no date stays text."""
    try:
        return as_day(value)
    except (TypeError, ValueError):
        return str(value)


def _csv_cell(value) -> str:
    if value is None:
        return ""
    return value.isoformat() if isinstance(value, date) else escape_formula(str(value))


def _as_text_and_dates(sheet) -> None:
    # openpyxl stores any string starting with "=" as a formula; text must stay text.
    for row in sheet.iter_rows(min_row=2):
        for cell in row:
            if isinstance(cell.value, date):
                cell.number_format = DATE_FORMAT
            elif isinstance(cell.value, str):
                cell.data_type = "s"


def _fit_widths(sheet) -> None:
    for index, column in enumerate(sheet.iter_cols(), start=1):
        longest = max(len(_shown(cell.value)) for cell in column)
        sheet.column_dimensions[get_column_letter(index)].width = min(max(longest + 2, MIN_WIDTH), MAX_WIDTH)


def _shown(value) -> str:
    return "dd/mm/yyyy" if isinstance(value, date) else str(value or "")
