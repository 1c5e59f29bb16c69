"""The figures page through the desk app on the real PostgreSQL: the numbers of a chosen period, bad dates
answered with a reason (never a 500), the export, and the regional supervisor: invited by a provincial
admin, sees its province's units' cases and figures only, and can act on none."""
import csv
import io
import uuid
from datetime import datetime, timedelta, timezone
from io import BytesIO

import pytest
from lxml import html
from openpyxl import load_workbook

from services.desk.accounts import accounts as acc
from services.desk.app import create_app
from services.desk.settings import DeskSettings
from tests.support.account_links import accept, mailed_link, stored_in
from tests.support.desk import desk_app, signed_in, token
from tests.support.figures_seed import seed_case, seed_story
from tests.support.migrated import migrated_database
from tests.support.servers import Mailbox
from tests.support.svg_charts import bars

PASSWORD = "kata-sandi-yang-panjang"
NOVEMBER = "/desk/angka?periode=pilihan&dari=2026-11-01&sampai=2026-11-30"

database_url = migrated_database("desk")


@pytest.fixture
def desk(database_url, s3):
    app = desk_app(database_url, s3)
    service = app.extensions["netra.desk"]
    app.story = seed_story(service.cases)
    app.story["today"] = seed_case(service.cases, "bkpsdm-14.03", "14.03", "lainnya",
                                   datetime.now(timezone.utc) - timedelta(minutes=1), [])
    for username, unit_id, role in (("petugas-14.03", "bkpsdm-14.03", "petugas"), ("pengawas.bkn", "bkn", "pengawas"),
                                    ("admin.kesbangpol-14", "kesbangpol-14", "admin"),
                                    ("admin.bkpsdm-14.03", "bkpsdm-14.03", "admin"),
                                    ("wilayah.riau", "kesbangpol-14", "pengawas_wilayah")):
        acc.new_account(service.accounts, service.units, username, unit_id, role, PASSWORD)
    return app


def counts(page, section: str) -> dict[str, str]:
    """A figures table as {first cell: last cell}."""
    tree = html.fromstring(page.text)
    return {row[0].text_content().strip(): row[-1].text_content().strip()
            for row in tree.xpath(f'//section[@id="{section}"]//tbody/tr') if len(row) > 1}


def timeliness(page) -> dict[str, list[str]]:
    tree = html.fromstring(page.text)
    return {row.get("data-unit"): [cell.text_content().strip() for cell in row[1:]]
            for row in tree.xpath('//section[@id="timeliness"]//tbody/tr[@data-unit]')}


def total(page) -> int:
    return int(html.fromstring(page.text).xpath('//*[@id="total"]')[0].text_content())


def test_a_unit_reads_its_november_by_status_category_sanction_and_timeliness(desk):
    page = signed_in(desk, "petugas-14.03").get(NOVEMBER)
    assert page.status_code == 200
    assert total(page) == 3
    assert counts(page, "per-status")["Selesai"] == "2" and counts(page, "per-status")["Diterima"] == "1"
    assert counts(page, "per-sanction") == {"Sanksi moral": "0", "Hukuman disiplin ringan": "1",
                                            "Hukuman disiplin sedang": "0", "Hukuman disiplin berat": "0"}
    assert counts(page, "per-month") == {"November 2026": "3"}
    assert timeliness(page) == {"bkpsdm-14.03": ["10", "8 (80%)", "4,5", "19,0"]}
    assert "<script" not in page.text and "style=" not in page.text


def chart_of(browser, page, section: str):
    """The chart beside a section's table: the <img> the page shows, and the SVG file it loads."""
    img, = html.fromstring(page.text).xpath(f'//section[@id="{section}"]//img[@class="chart"]')
    return img, browser.get(img.get("src"))


def test_each_chart_is_an_svg_file_with_the_numbers_of_its_table(desk):
    browser = signed_in(desk, "petugas-14.03")
    page = browser.get(NOVEMBER)
    for section in ("per-status", "per-category", "per-sanction", "per-month", "per-region"):
        img, svg = chart_of(browser, page, section)
        assert img.get("alt").startswith("Grafik batang:") and "dari=2026-11-01" in img.get("src")
        assert svg.status_code == 200 and svg.mimetype == "image/svg+xml"
        assert b"<script" not in svg.data and svg.headers["X-Content-Type-Options"] == "nosniff"
        assert svg.headers["Content-Security-Policy"] == "default-src 'none'; style-src 'unsafe-inline'; " \
                                                        "frame-ancestors 'none'"
        drawn, table = bars(svg.data), counts(page, section)
        assert [value for _, value in drawn] == list(table.values()) and table
        assert all(name.startswith(label.rstrip("…")) for (label, _), name in zip(drawn, table))  # long ones cut
    _, svg = chart_of(browser, page, "timeliness")
    assert bars(svg.data) == [("BKPSDM Kabupaten Beng…", "80%")]


def test_a_chart_of_a_bad_period_or_an_unknown_name_is_refused_and_none_without_a_login(desk):
    browser = signed_in(desk, "petugas-14.03")
    wrong_way = browser.get("/desk/angka/grafik/status.svg?periode=pilihan&dari=2026-11-30&sampai=2026-11-01")
    assert wrong_way.status_code == 400 and "harus sebelum" in wrong_way.text
    assert browser.get("/desk/angka/grafik/lainnya.svg").status_code == 404
    stranger = desk.test_client().get("/desk/angka/grafik/status.svg", follow_redirects=False)
    assert stranger.status_code in (302, 303) and b"<svg" not in stranger.data


def test_this_month_holds_todays_case_and_not_novembers(desk):
    page = signed_in(desk, "petugas-14.03").get("/desk/angka")
    assert page.status_code == 200 and "Bulan ini" in page.text
    assert total(page) == 1  # the case of a minute ago; the November ones are outside


@pytest.mark.parametrize("query, says", [
    ("periode=pilihan&dari=2026-02-30&sampai=2026-11-30", "Dari tanggal tidak valid"),
    ("periode=pilihan&dari=2026-11-30&sampai=2026-11-01", "harus sebelum"),
    ("periode=pilihan&dari=2026-11-01", "Sampai tanggal wajib diisi"),
    ("periode=pemilihan", "Tidak ada masa pemilihan"),
    ("periode=%3Cscript%3E", "Periode tidak dikenal"),
    ("periode=pilihan&dari=2026-11-01&sampai=2026-11-30&format=pdf", "Format tidak dikenal"),
])
def test_a_period_that_cannot_be_applied_is_explained_not_a_500(desk, query, says):
    browser = signed_in(desk, "petugas-14.03")
    for path in ("/desk/angka/unduh",) if "format" in query else ("/desk/angka", "/desk/angka/unduh"):
        page = browser.get(f"{path}?{query}")
        assert page.status_code == 400 and says in page.text and 'id="period-problem"' in page.text
        assert "<script>" not in page.text


def test_the_figures_download_as_csv_and_xlsx_with_the_same_numbers(desk):
    browser = signed_in(desk, "petugas-14.03")
    page = browser.get(NOVEMBER + "&format=xlsx")  # a stray format on the page changes nothing
    assert page.status_code == 200
    links = html.fromstring(page.text).xpath('//p[@class="downloads"]/a/@href')
    assert links and all("dari=2026-11-01" in link and "sampai=2026-11-30" in link for link in links)
    answer = browser.get(NOVEMBER.replace("/desk/angka?", "/desk/angka/unduh?format=csv&"))
    assert answer.status_code == 200 and answer.headers["Content-Type"].startswith("text/csv")
    table = list(csv.reader(io.StringIO(answer.data.decode("utf-8-sig"))))
    assert table[1][:4] == ["Periode", "pilihan", "Tanggal pilihan: 2026-11-01 s.d. 2026-11-30", "3"]
    assert ["Jenis sanksi", "disiplin_ringan", "Hukuman disiplin ringan", "1"] in table
    timely = next(line for line in table if line[0] == "Ketepatan waktu")
    assert timely[1] == "bkpsdm-14.03" and timely[3:] == ["10", "8", "80.0", "4.5", "19.0"]
    book = load_workbook(BytesIO(browser.get(NOVEMBER.replace("/desk/angka?", "/desk/angka/unduh?format=xlsx&")).data))
    rows = [list(row) for row in book["Angka"].iter_rows(values_only=True)]
    assert ["Ketepatan waktu", "bkpsdm-14.03"] == rows[-1][:2] and rows[-1][3:6] == [10, 8, 80.0]


def test_a_pengawas_reads_every_unit_and_every_province(desk):
    page = signed_in(desk, "pengawas.bkn").get(NOVEMBER)
    assert total(page) == 5
    assert counts(page, "per-region") == {"Riau": "4", "Kalimantan Tengah": "1"}
    assert set(timeliness(page)) == {"bkpsdm-14.03", "bkd-14", "bkpsdm-62.10"}


def test_a_regional_supervisor_reads_its_provinces_units_only(desk):
    supervisor = signed_in(desk, "wilayah.riau")
    page = supervisor.get(NOVEMBER)
    assert total(page) == 4 and counts(page, "per-region") == {"Riau (provinsi)": "1", "Kabupaten Bengkalis": "3"}
    assert timeliness(page) == {"bkd-14": ["5", "5 (100%)", "1,0", "16,0"],
                                "bkpsdm-14.03": ["10", "8 (80%)", "4,5", "19,0"]}
    listed = supervisor.get("/desk/?dari=2026-11-01&sampai=2026-11-30")
    for name in "ABCD":
        assert desk.story[name]["tracking_code"] in listed.text
    assert desk.story["E"]["tracking_code"] not in listed.text
    assert supervisor.get(f"/desk/kasus/{desk.story['E']['case_id']}").status_code == 404


def test_a_regional_supervisor_cannot_act_on_a_case_of_its_province(desk):
    supervisor = signed_in(desk, "wilayah.riau")
    case_id = desk.story["C"]["case_id"]
    page = supervisor.get(f"/desk/kasus/{case_id}")
    assert page.status_code == 200 and "Anda hanya dapat membaca kasus ini." in page.text
    actions = [form.get("action") for form in html.fromstring(page.text).xpath('//form[contains(@action, "/kasus/")]')]
    assert actions and all(action.endswith("/periksa") for action in actions)  # only the evidence hash check
    moved = supervisor.post(f"/desk/kasus/{case_id}/status", data={
        "csrf_token": token(page), "status": "diverifikasi", "file_note": "coba"}, allow_redirects=False)
    assert moved.status_code == 403 and "hanya dapat membaca kasus" in moved.text
    assert desk.extensions["netra.desk"].cases.get(case_id)["status"] == "diterima"
    api = supervisor.post(f"/desk/api/v1/cases/{case_id}/moves", json={"status": "diverifikasi",
                                                                       "file_note": "coba"},
                          headers={"X-CSRFToken": token(page)})
    assert api.status_code == 403
    assert supervisor.get("/desk/akun").status_code == 404 and supervisor.get("/desk/audit").status_code == 404


def test_a_provincial_admin_invites_a_regional_supervisor_and_a_regencys_admin_cannot(desk):
    admin = signed_in(desk, "admin.kesbangpol-14")
    page = admin.get("/desk/akun")
    assert '<option>pengawas_wilayah</option>' in page.text
    email = f"wilayah-{uuid.uuid4().hex[:8]}@example.go.id"
    page = admin.post("/desk/akun/undang", data={"csrf_token": token(page), "email": email,
                                                 "role": "pengawas_wilayah"})
    assert f"Undangan dikirim ke {email}" in page.text
    supervisor, _, _ = accept(desk, mailed_link(Mailbox(), email, stored_in(desk))[0], "wilayah.baru", PASSWORD)
    assert total(supervisor.get(NOVEMBER)) == 4
    regency = signed_in(desk, "admin.bkpsdm-14.03")
    page = regency.get("/desk/akun")
    page = regency.post("/desk/akun/undang", data={"csrf_token": token(page), "email": "x@example.go.id",
                                                   "role": "pengawas_wilayah"})
    assert "hanya dapat diundang oleh unit tingkat provinsi" in page.text


def test_a_regional_supervisors_export_holds_its_province_only(desk):
    answer = signed_in(desk, "wilayah.riau").get("/desk/ekspor/unduh?format=csv&since=2026-11-01&until=2026-11-30")
    codes = {line[0] for line in csv.reader(io.StringIO(answer.data.decode("utf-8-sig")))}
    assert {desk.story[name]["tracking_code"] for name in "ABCD"} <= codes
    assert desk.story["E"]["tracking_code"] not in codes


def test_the_election_period_comes_from_the_election_calendar(database_url, s3, tmp_path):
    calendar = tmp_path / "election_calendar.yaml"
    calendar.write_text("elections:\n  - id: pilkada-contoh\n    kind: pilkada\n    name: Pilkada Contoh\n"
                        "    regions: ['14']\n    from: '2026-11-01'\n    until: '2099-12-31'\n", encoding="utf-8")
    app = create_app(DeskSettings(database_url=database_url, desk_url="http://127.0.0.1:8090",
                                  election_calendar=calendar), store=s3)
    service = app.extensions["netra.desk"]
    seed_story(service.cases)
    seed_case(service.cases, "bkpsdm-14.03", "14.03", "lainnya", "2026-10-30", [])  # before the election
    acc.new_account(service.accounts, service.units, "petugas-14.03", "bkpsdm-14.03", "petugas", PASSWORD)
    page = signed_in(app, "petugas-14.03").get("/desk/angka?periode=pemilihan")
    assert page.status_code == 200 and "Pilkada Contoh" in page.text and "01/11/2026 s.d." in page.text
    assert total(page) == 3


def test_days_are_the_units_own_a_makassar_unit_counts_its_midnight_case_in_december(desk):
    service = desk.extensions["netra.desk"]
    half_past_midnight_wita = datetime(2026, 11, 30, 16, 30, tzinfo=timezone.utc)  # 23.30 WIB, 00.30 WITA
    seed_case(service.cases, "bkpsdm-73.71", "73.71", "lainnya", half_past_midnight_wita, [])
    acc.new_account(service.accounts, service.units, "petugas-73.71", "bkpsdm-73.71", "petugas", PASSWORD)
    makassar = signed_in(desk, "petugas-73.71")
    assert total(makassar.get(NOVEMBER)) == 0
    december = makassar.get("/desk/angka?periode=pilihan&dari=2026-12-01&sampai=2026-12-01")
    assert total(december) == 1 and "(WITA)" in december.text
