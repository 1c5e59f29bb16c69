"""An XLSX file's first sheet, read lazily and within bounds: a hostile file is refused before it costs much.

A sheet declares its size (`<dimension ref="A1:XFD1048576"/>`), and openpyxl hands out every row and column
up to it, present in the file or not: one cell in the far corner of a 19 KB file makes a million rows of
16,384 cells. Here only `width` columns are read, the rows end at `last_row`, and a caller that has had
enough stops reading. openpyxl reads read-only, values only, never formulas, and parses with defusedxml
(a dependency for this): a DTD entity, external (XXE) or nested (billion laughs), is refused, never expanded.

Whatever openpyxl, zipfile, zlib or the XML parser raise on a file they cannot read (damaged or truncated
XML or ZIP, an unknown compression method, a forbidden entity, a missing part) is one SheetError: the
file is not a readable spreadsheet.
"""
from __future__ import annotations

import io
import zipfile
from collections.abc import Iterator

import structlog

log = structlog.get_logger("netra.intake.teams")
MAX_UNPACKED = 50 * 1024 * 1024
UNREADABLE = "The XLSX manifest is not a readable spreadsheet; use the template (template.xlsx)."


class SheetError(Exception):
    """The file is not a readable spreadsheet, or is larger than allowed."""


def sheet_rows(data: bytes, width: int, last_row: int) -> Iterator[tuple]:
    """The first sheet's rows from row 1, `width` values each; SheetError for a sheet with rows past `last_row`."""
    try:
        unpacked_within_limit(data)
        book = open_book(data)
        try:
            rows = book.worksheets[0].iter_rows(max_col=width, max_row=last_row + 1, values_only=True)
            for number, values in enumerate(rows, start=1):
                if number > last_row:  # openpyxl gives row last_row + 1 only when the sheet goes on
                    raise SheetError(f"The XLSX manifest goes on past row {last_row}; at most {last_row} rows are "
                                     "read (the items, and blank rows between and below them). Delete the rows "
                                     "below the items.")
                yield values
        finally:
            book.close()
    except SheetError:
        raise
    except Exception as exc:  # noqa: BLE001 - a hostile file makes these libraries raise almost any type: none is a 500
        log.info("manifest.unreadable", error_type=type(exc.__cause__ or exc).__name__)
        raise SheetError(UNREADABLE) from None


def unpacked_within_limit(data: bytes) -> None:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        if sum(info.file_size for info in archive.infolist()) > MAX_UNPACKED:
            raise SheetError(f"The XLSX manifest unpacks to more than {MAX_UNPACKED // 1024 // 1024} MB.")


def open_book(data: bytes):
    from openpyxl import load_workbook
    return load_workbook(io.BytesIO(data), read_only=True, data_only=True)
