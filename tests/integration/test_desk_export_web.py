"""Export and figures through the desk app on the real PostgreSQL: CSV and XLSX downloaded and read back,
the filters, the audit line of every export, and another unit's cases never in them."""
import copy
import csv
import io
import json

import pytest
from openpyxl import load_workbook
from sqlalchemy import create_engine, text

from services.desk.accounts import accounts as acc
from services.desk.cases.arrivals import case_arrived
from tests.support.complaints import png_bytes
from tests.support.contracts import example
from tests.support.desk import desk_app, FlaskBrowser, routed, signed_in, token
from tests.support.migrated import migrated_database

PASSWORD = "kata-sandi-yang-panjang"
BENGKALIS = "bkpsdm-14.03"


database_url = migrated_database("desk")  # services never create their tables


@pytest.fixture
def desk(database_url, s3):
    """Bengkalis works two cases (one on alat_peraga), transferred a third away to BKD Riau; Gunung Mas
    works one of its own."""
    app = desk_app(database_url, s3)
    service = app.extensions["netra.desk"]
    events = {"own": routed(BENGKALIS, "14.03", png_bytes(seed=1)),
              "poster": routed(BENGKALIS, "14.03", png_bytes(seed=2), category="alat_peraga"),
              "away": routed(BENGKALIS, "14.03", png_bytes(seed=3)),
              "foreign": routed("bkpsdm-62.10", "62.10", png_bytes(seed=4))}
    for event in events.values():
        case_arrived(event, service.cases)
    case_arrived(transferred(events["away"]), service.cases)
    for username, unit_id, role in (("petugas-14.03", BENGKALIS, "petugas"), ("kepala-14.03", BENGKALIS, "kepala"),
                                    ("pengawas.bkn", "bkn", "pengawas")):
        acc.new_account(service.accounts, service.units, username, unit_id, role, PASSWORD)
    app.codes = {name: event["payload"]["tracking_code"] for name, event in events.items()}
    app.ids = {name: event["payload"]["case_id"] for name, event in events.items()}
    return app


def transferred(event: dict) -> dict:
    """The case.routed routing publishes when Bengkalis's transfer of this case to BKD Riau is approved."""
    moved = copy.deepcopy(event)
    template = example("case.routed.transfer")["payload"]
    moved["payload"]["units"] = {"primary": template["units"]["primary"], "copies": []}
    moved["payload"]["transfer"] = {**template["transfer"], "from_unit_id": BENGKALIS}
    moved["event_id"] = event["event_id"] + "-moved"
    return moved


def csv_codes(answer) -> list[str]:
    assert answer.status_code == 200 and answer.headers["Content-Type"].startswith("text/csv")
    table = list(csv.reader(io.StringIO(answer.data.decode("utf-8-sig"))))
    assert table[0][0] == "Kode pelacakan"
    return sorted(line[0] for line in table[1:])


def exported_lines(database_url) -> list[dict]:
    engine = create_engine(database_url)
    with engine.connect() as conn:
        found = conn.execute(text("SELECT actor, unit_id, detail FROM audit_log WHERE action = 'cases.exported' "
                                  "ORDER BY id")).all()
    engine.dispose()
    return [{"actor": a, "unit_id": u, **json.loads(d)} for a, u, d in found]


def test_csv_and_xlsx_hold_the_units_cases_and_the_one_transferred_away_never_another_units(desk, database_url):
    browser = signed_in(desk, "petugas-14.03")
    assert "Unduh XLSX" in browser.get("/desk/ekspor").text
    mine = sorted(desk.codes[name] for name in ("own", "poster", "away"))
    assert csv_codes(browser.get("/desk/ekspor/unduh?format=csv")) == mine
    answer = browser.get("/desk/ekspor/unduh?format=xlsx")
    assert answer.headers["Content-Disposition"].endswith('.xlsx"')
    sheet = load_workbook(io.BytesIO(answer.data)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:7] == ("Kode pelacakan", "Nama ASN", "NIP", "Instansi", "Kategori", "Wilayah", "Status")
    assert sorted(row[0] for row in rows[1:]) == mine
    assert desk.codes["foreign"] not in answer.data.decode("latin-1")
    assert {row[6] for row in rows[1:]} == {"Diterima"}
    assert [(line["actor"], line["format"], line["count"]) for line in exported_lines(database_url)] == [
        ("petugas-14.03", "csv", 3), ("petugas-14.03", "xlsx", 3)]


def test_the_filters_choose_period_status_category_and_region(desk, database_url):
    browser = signed_in(desk, "petugas-14.03")
    page = browser.get(f"/desk/kasus/{desk.ids['own']}")
    browser.post(f"/desk/kasus/{desk.ids['own']}/status", data={"csrf_token": token(page), "status": "diverifikasi",
                                                               "file_note": "bukti cukup"})
    get = browser.get
    assert csv_codes(get("/desk/ekspor/unduh?format=csv&status=diverifikasi")) == [desk.codes["own"]]
    assert csv_codes(get("/desk/ekspor/unduh?format=csv&category=alat_peraga")) == [desk.codes["poster"]]
    assert csv_codes(get("/desk/ekspor/unduh?format=csv&region=62")) == []
    assert len(csv_codes(get("/desk/ekspor/unduh?format=csv&region=14&status="))) == 3
    assert csv_codes(get("/desk/ekspor/unduh?format=csv&since=2099-01-01")) == []
    assert len(csv_codes(get("/desk/ekspor/unduh?format=csv&since=2020-01-01&until=2099-12-31"))) == 3
    bad = get("/desk/ekspor/unduh?format=csv&since=2026-12-01&until=2026-01-01&region=99.99")
    assert bad.status_code == 400 and "tanggal awal sesudah tanggal akhir" in bad.text and "99.99" in bad.text
    line = exported_lines(database_url)[0]
    assert line["filters"]["statuses"] == ["diverifikasi"] and line["count"] == 1
    assert len(exported_lines(database_url)) == 6  # the refused export wrote no line


def test_figures_count_per_status_category_and_month_and_per_region_for_pengawas(desk):
    unit = signed_in(desk, "kepala-14.03").get("/desk/api/v1/figures").json
    assert unit["total"] == 3 and "per_region" not in unit
    assert unit["per_status"]["diterima"]["count"] == 3 and unit["per_status"]["selesai"]["count"] == 0
    assert unit["per_category"]["alat_peraga"]["count"] == 1
    assert sum(unit["per_month"].values()) == 3
    watcher = signed_in(desk, "pengawas.bkn")
    national = watcher.get("/desk/api/v1/figures").json
    assert national["total"] == 4
    assert national["per_region"]["62"]["regions"] == {"62.10": 1}
    assert national["per_region"]["14"]["count"] == 3
    page = watcher.get("/desk/angka").text
    assert "Per wilayah" in page and "Kalimantan Tengah" in page and "Riau" in page
    assert "Kalimantan Tengah" not in signed_in(desk, "petugas-14.03").get("/desk/angka").text


def test_the_api_exports_too_and_documents_both_routes(desk, database_url):
    browser = signed_in(desk, "pengawas.bkn")
    assert len(csv_codes(browser.get("/desk/api/v1/export?format=csv"))) == 4
    assert browser.get("/desk/api/v1/export?format=pdf").status_code == 422
    assert browser.get("/desk/api/v1/export?category=tidak_ada").status_code == 400
    spec = browser.get("/desk/api/v1/openapi.json").json
    assert {"/desk/api/v1/export", "/desk/api/v1/figures"} <= set(spec["paths"])
    assert exported_lines(database_url)[0]["unit_id"] == "bkn"
    assert FlaskBrowser(desk.test_client()).get("/desk/api/v1/figures").status_code == 401
