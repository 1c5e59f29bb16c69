"""The unit's cases exported: CSV and XLSX read back, formula escaping, filters, figures."""
import csv
import io
from datetime import date, datetime, timezone

import pytest
from openpyxl import load_workbook

from services.desk.reports import export, figures

TODAY = date(2026, 4, 1)


def case(tracking_code, *, category="alat_peraga", region_code="14.03", status="dalam_pemeriksaan",
         received_at="2026-03-13T02:00:00+00:00", due_on="2026-03-31", **extra):
    return {"case_id": f"id-{tracking_code}", "tracking_code": tracking_code, "unit_id": "bkpsdm-14.03",
            "subject_name": "Budi Santoso", "subject_nip": "198503122010011002",
            "subject_agency": "Dinas Pendidikan Kabupaten Bengkalis", "category": category,
            "region_code": region_code, "status": status, "status_since": received_at,
            "received_at": received_at, "due_on": due_on, **extra}


CASES = [
    case("NTR-AAAA-0001"),
    case("NTR-AAAA-0002", category="unggah_dukungan", region_code="14.71", status="diverifikasi",
         received_at=datetime(2026, 2, 27, 3, 0, tzinfo=timezone.utc), due_on=date(2026, 4, 6)),
    case("NTR-AAAA-0003", category="hadir_kampanye", region_code="62.10", status="selesai",
         received_at="2026-01-05T01:00:00+00:00", due_on=None, sanction_kind="disiplin_sedang",
         decree_number="800/123/BKPSDM/2026", decree_date="2026-01-20"),
]
SUBJECT = ["Budi Santoso", "198503122010011002", "Dinas Pendidikan Kabupaten Bengkalis"]
BENGKALIS = ["NTR-AAAA-0001", *SUBJECT, "Memasang alat peraga kampanye (spanduk, baliho)", "Kabupaten Bengkalis",
             "Dalam pemeriksaan", "2026-03-13", "2026-03-13", "2026-03-31", "terlambat", "", "", "", ""]


def read_csv(text):
    return list(csv.reader(io.StringIO(text)))


def read_xlsx(data):
    return load_workbook(io.BytesIO(data)).active


def test_the_csv_reads_back_with_indonesian_headers_labels_and_the_overdue_mark():
    rows = read_csv(export.to_csv(CASES, TODAY))
    assert rows[0] == ["Kode pelacakan", "Nama ASN", "NIP", "Instansi", "Kategori", "Wilayah", "Status",
                       "Tanggal masuk", "Status sejak", "Tenggat", "Tepat waktu", "Jenis sanksi", "Nomor keputusan",
                       "Tanggal keputusan", "Langkah"]
    assert rows[1] == BENGKALIS
    assert rows[2][5:11] == ["Kota Pekanbaru", "Diverifikasi", "2026-02-27", "2026-02-27", "2026-04-06", ""]
    assert rows[3][5:] == ["Kabupaten Gunung Mas", "Selesai", "2026-01-05", "2026-01-05", "", "",
                           "Hukuman disiplin sedang", "800/123/BKPSDM/2026", "2026-01-20", ""]
    assert len(rows) == 4


def test_the_csv_download_starts_with_a_byte_order_mark_for_spreadsheets():
    data = export.to_csv_bytes(CASES[:1], TODAY)
    assert data.startswith(b"\xef\xbb\xbf")
    assert read_csv(data.decode("utf-8-sig"))[1] == BENGKALIS


def test_the_xlsx_reads_back_with_a_bold_frozen_header_real_dates_and_fitting_widths():
    sheet = read_xlsx(export.to_xlsx(CASES, TODAY))
    values = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert values[0] == list(export.COLUMNS)
    assert values[1][:7] == BENGKALIS[:7] and values[1][10] == "terlambat"
    assert values[1][7] == datetime(2026, 3, 13) and values[1][9] == datetime(2026, 3, 31)
    assert values[3][9] is None and values[3][13] == datetime(2026, 1, 20)
    assert sheet.freeze_panes == "A2"
    assert all(cell.font.bold for cell in sheet[1])
    assert sheet.auto_filter.ref == "A1:O4"
    category_width = sheet.column_dimensions["E"].width
    assert len(BENGKALIS[4]) <= category_width <= export.MAX_WIDTH
    assert sheet.column_dimensions["K"].width >= export.MIN_WIDTH


@pytest.mark.parametrize("danger", ['=HYPERLINK("http://evil.example","klik")', "+1+1", "-2+3",
                                    "@SUM(A1)", "\t=1"])
def test_cells_a_spreadsheet_would_run_are_escaped_in_the_csv_and_stay_text_in_the_xlsx(danger):
    hostile = [case(danger, region_code=danger)]
    row = read_csv(export.to_csv(hostile, TODAY))[1]
    assert row[0] == "'" + danger and row[5] == "'" + danger
    cell = read_xlsx(export.to_xlsx(hostile, TODAY))["A2"]
    assert cell.data_type == "s" and cell.value == danger


def test_ordinary_text_is_not_escaped():
    assert export.escape_formula("NTR-7K4M-Q2XP") == "NTR-7K4M-Q2XP"
    assert export.escape_formula("Kabupaten Bengkalis") == "Kabupaten Bengkalis"


def test_nothing_about_the_reporter_is_exported_even_when_the_row_carries_it():
    leaky = [case("NTR-AAAA-0009", reporter_name="Siti Aminah", reporter_email="siti@example.id")]
    text = export.to_csv(leaky, TODAY)
    sheet = read_xlsx(export.to_xlsx(leaky, TODAY))
    cells = " ".join(str(c.value) for row in sheet.iter_rows() for c in row)
    for secret in ("Siti", "siti@example.id"):
        assert secret not in text and secret not in cells


def codes_of(rows):
    return [row["tracking_code"][-4:] for row in rows]


def test_filters_by_period_status_category_and_region():
    assert codes_of(export.filter_cases(CASES, since=date(2026, 2, 1))) == ["0001", "0002"]
    assert codes_of(export.filter_cases(CASES, until=date(2026, 2, 27))) == ["0002", "0003"]
    assert codes_of(export.filter_cases(CASES, since=date(2026, 3, 13), until=date(2026, 3, 13))) == ["0001"]
    assert codes_of(export.filter_cases(CASES, statuses=["selesai", "diverifikasi"])) == ["0002", "0003"]
    assert codes_of(export.filter_cases(CASES, categories=["alat_peraga"])) == ["0001"]
    assert codes_of(export.filter_cases(CASES, regions=["14.71"])) == ["0002"]
    assert codes_of(export.filter_cases(CASES, regions=["14"])) == ["0001", "0002"]  # Riau holds both
    assert codes_of(export.filter_cases(CASES)) == ["0001", "0002", "0003"]
    assert export.filter_cases(CASES, regions=["62"], statuses=["diterima"]) == []


def test_filters_read_dates_and_single_codes_as_a_form_sends_them():
    found = export.filter_cases(CASES, since="2026-02-01", until="2026-03-31", statuses="diverifikasi")
    assert codes_of(found) == ["0002"]
    with pytest.raises(export.FilterError, match="tanggal awal tidak valid: '31/03/2026'"):
        export.filter_cases(CASES, since="31/03/2026")


def test_the_period_is_read_in_jakarta_time():
    late = [case("NTR-AAAA-0010", received_at="2026-02-28T18:30:00+00:00")]  # 1 March, 01:30 WIB
    assert export.filter_cases(late, since=date(2026, 3, 1), until=date(2026, 3, 1)) == late


def test_a_filter_that_cannot_apply_says_every_problem_in_bahasa_indonesia():
    with pytest.raises(export.FilterError) as refused:
        export.filter_cases(CASES, since=date(2026, 3, 2), until=date(2026, 3, 1), statuses=["ditutup"],
                            categories=["kampanye"], regions=["14.3"])
    message = str(refused.value)
    for expected in ("tanggal awal sesudah tanggal akhir", "status tidak dikenal: ditutup",
                     "kategori tidak dikenal: kampanye", "wilayah tidak dikenal: 14.3"):
        assert expected in message


def test_figures_count_a_units_cases_per_status_category_and_month():
    found = figures.unit_figures(CASES)
    assert found["total"] == 3
    assert found["per_status"]["dalam_pemeriksaan"] == {"label": "Dalam pemeriksaan", "count": 1}
    assert found["per_status"]["diterima"]["count"] == 0  # every status shows, even with no case
    assert found["per_category"]["unggah_dukungan"]["count"] == 1
    assert found["per_month"] == {"2026-01": 1, "2026-02": 1, "2026-03": 1}


def test_figures_per_region_for_the_national_supervisor_roll_regencies_up_to_provinces():
    more = CASES + [case("NTR-AAAA-0011", region_code="14")]
    found = figures.region_figures(more)
    assert found["14"] == {"name": "Riau", "count": 3,
                           "regions": {"14": 1, "14.03": 1, "14.71": 1}}
    assert found["62"]["count"] == 1 and found["62"]["regions"] == {"62.10": 1}
    assert list(found) == ["14", "62"]


def test_months_without_cases_show_as_zero_and_odd_region_codes_do_not_break_the_count():
    spread = [case("A", received_at="2026-11-03T03:00:00+00:00"), case("B", received_at="2027-02-01T03:00:00+00:00"),
              case("C", region_code="=1+1"), case("D", region_code=None)]
    assert figures.per_month(spread[:2]) == {"2026-11": 1, "2026-12": 0, "2027-01": 0, "2027-02": 1}
    found = figures.region_figures(spread)
    assert found["14"]["count"] == 2 and found["=1+1"]["count"] == 1 and found[""]["count"] == 1
    assert figures.unit_figures([])["per_month"] == {}
