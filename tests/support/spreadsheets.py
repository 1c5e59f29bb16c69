"""Hostile XLSX manifests, built from their XML parts on every run: a sheet that declares the largest size
a spreadsheet can have, and files no spreadsheet program could open (entities, damaged XML or ZIP)."""
from __future__ import annotations

import io
import struct
import zipfile

from openpyxl.utils import get_column_letter

from services.intake.teams.manifest import COLUMNS

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
RELS = "http://schemas.openxmlformats.org/package/2006/relationships"
OFFICE_RELS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
SHEET = "xl/worksheets/sheet1.xml"
UNKNOWN_METHOD = 99  # no ZIP compression method has this number


def text_cell(reference: str, text: str) -> str:
    return f'<c r="{reference}" t="inlineStr"><is><t>{text}</t></is></c>'


def header_row() -> str:
    cells = "".join(text_cell(f"{get_column_letter(i)}1", column) for i, column in enumerate(COLUMNS, 1))
    return f'<row r="1">{cells}</row>'


def sheet_xml(rows: str, dimension: str = "A1:N2", doctype: str = "") -> str:
    return (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>{doctype}<worksheet xmlns="{MAIN}">'
            f'<dimension ref="{dimension}"/><sheetData>{header_row()}{rows}</sheetData></worksheet>')


def xlsx(sheet: str | bytes, method: int = zipfile.ZIP_DEFLATED) -> bytes:
    """A workbook of one sheet, its parts as Excel writes them (inline strings, no shared strings)."""
    parts = {
        "[Content_Types].xml": (
            '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
            'content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
            'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/'
            'workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"'
            '/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-'
            'officedocument.spreadsheetml.worksheet+xml"/></Types>'),
        "_rels/.rels": (f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{RELS}"><Relationship '
                        f'Id="rId1" Type="{OFFICE_RELS}/officeDocument" Target="xl/workbook.xml"/></Relationships>'),
        "xl/workbook.xml": (f'<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="{MAIN}" xmlns:r="{OFFICE_RELS}">'
                            '<sheets><sheet name="temuan" sheetId="1" r:id="rId1"/></sheets></workbook>'),
        "xl/_rels/workbook.xml.rels": (
            f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{RELS}"><Relationship Id="rId1" '
            f'Type="{OFFICE_RELS}/worksheet" Target="worksheets/sheet1.xml"/></Relationships>'),
        SHEET: sheet,
    }
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name, content in parts.items():
            archive.writestr(name, content, compress_type=method if name == SHEET else zipfile.ZIP_DEFLATED)
    return out.getvalue()


def one_item(external_id: str = "NTB-1") -> str:
    return '<row r="2">' + text_cell("A2", external_id) + "</row>"


def far_corner() -> bytes:
    """The template's header, and one cell in the last row and column a spreadsheet may have: about 2 KB."""
    return xlsx(sheet_xml('<row r="1048576">' + text_cell("XFD1048576", "x") + "</row>", "A1:XFD1048576"))


def external_entity(path: str) -> bytes:
    """XXE: a cell whose text is an entity standing for a file on the server."""
    doctype = f'<!DOCTYPE worksheet [<!ENTITY secret SYSTEM "file://{path}">]>'
    return xlsx(sheet_xml('<row r="2">' + text_cell("A2", "&secret;") + "</row>", doctype=doctype))


def billion_laughs() -> bytes:
    """Ten entities of ten each: 10^9 "lol"s, 3 GB once expanded, in a few hundred bytes."""
    entities = ['<!ENTITY lol0 "lol">'] + [f'<!ENTITY lol{i} "{f"&lol{i - 1};" * 10}">' for i in range(1, 10)]
    return xlsx(sheet_xml('<row r="2">' + text_cell("A2", "&lol9;") + "</row>",
                          doctype=f'<!DOCTYPE worksheet [{"".join(entities)}]>'))


def truncated_xml() -> bytes:
    whole = sheet_xml(one_item())
    return xlsx(whole[:len(whole) * 2 // 3])


def unknown_compression() -> bytes:
    """The sheet's ZIP entry names a compression method no reader knows (stored bytes behind it)."""
    data = bytearray(xlsx(sheet_xml(one_item()), zipfile.ZIP_STORED))
    with zipfile.ZipFile(io.BytesIO(bytes(data))) as archive:
        local = archive.getinfo(SHEET).header_offset
    struct.pack_into("<H", data, local + 8, UNKNOWN_METHOD)
    central = data.index(b"PK\x01\x02")  # the central directory's entries, until the sheet's
    while data[central + 46:central + 46 + len(SHEET)] != SHEET.encode():
        central = data.index(b"PK\x01\x02", central + 4)
    struct.pack_into("<H", data, central + 10, UNKNOWN_METHOD)
    return bytes(data)


def damaged_deflate() -> bytes:
    """The sheet's deflate stream starts with a block type deflate does not have (0b11): zlib refuses it."""
    data = bytearray(xlsx(sheet_xml(one_item())))
    with zipfile.ZipFile(io.BytesIO(bytes(data))) as archive:
        info = archive.getinfo(SHEET)
    name_length, extra_length = struct.unpack_from("<HH", data, info.header_offset + 26)
    data[info.header_offset + 30 + name_length + extra_length] = 0xFF
    return bytes(data)


UNREADABLE = {"billion_laughs": billion_laughs, "truncated_xml": truncated_xml,
              "unknown_compression": unknown_compression, "damaged_deflate": damaged_deflate}
