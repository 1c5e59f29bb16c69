"""Importing unit contacts from an operator's CSV, and reporting what still falls back or is a placeholder."""
import csv

import pytest
import yaml

from services.reference.files import UNITS_FILE
from services.routing import contacts
from services.routing.directory import load_directory
from services.routing.unit_coverage import coverage, render_units

HEADER = ["unit_id", "kind", "name", "email", "region_code"]


def unit(unit_id, kind, region_code, email=None):
    return {"id": unit_id, "kind": kind, "name": f"Unit {unit_id}", "region_code": region_code,
            "email": email or f"{unit_id}@unit.netra.invalid"}


UNITS = [unit("bkn", "bkd", "pusat"), unit("kemendagri-polpum", "kesbangpol", "pusat"),
         unit("bawaslu-ri", "bawaslu", "pusat"), unit("bkd-14", "bkd", "14"),
         unit("bkpsdm-14.03", "bkd", "14.03"), unit("bawaslu-14.03", "bawaslu", "14.03")]


@pytest.fixture
def units_file(tmp_path):
    path = tmp_path / "units.yaml"
    path.write_text(yaml.safe_dump({"units": UNITS}, sort_keys=False))
    return path


def write_csv(tmp_path, rows, header=HEADER):
    path = tmp_path / "contacts.csv"
    with open(path, "w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(rows)
    return path


def run(*argv):
    return contacts.main([str(a) for a in argv])


def test_import_replaces_placeholders_and_keeps_everything_else(tmp_path, units_file, capsys):
    source = write_csv(tmp_path, [["bkd-14", "bkd", "", "bkd@riau.go.id", "14"],
                                  ["bkpsdm-14.03", "bkd", "BKPSDM Kabupaten Bengkalis", "BKPSDM@Bengkaliskab.go.id", "14.03"]])
    out = tmp_path / "merged.yaml"
    assert run("import", source, "--units", units_file, "--out", out) == 0
    merged = load_directory(out).units
    assert merged["bkd-14"].email == "bkd@riau.go.id" and merged["bkd-14"].name == "Unit bkd-14"
    assert merged["bkpsdm-14.03"].name == "BKPSDM Kabupaten Bengkalis"
    assert merged["bkpsdm-14.03"].email == "BKPSDM@bengkaliskab.go.id"  # domain normalised to lower case
    assert merged["bawaslu-ri"] == load_directory(units_file).units["bawaslu-ri"]
    assert len(merged) == len(UNITS)
    assert "placeholder addresses (*.invalid): 4 of 6 units" in capsys.readouterr().out


@pytest.mark.parametrize("row, problem", [
    (["bkd-14", "bkd", "", "bkd@riau", "14"], "email 'bkd@riau' is not valid"),
    (["bkd-14", "bkd", "", "bkd@-riau.go.id", "14"], "email 'bkd@-riau.go.id' is not valid"),
    (["bkd-14", "bkd", "", "bkd riau@riau.go.id", "14"], "email 'bkd riau@riau.go.id' is not valid"),
    (["bkd-14", "bkd", "", "", "14"], "email is empty"),
    (["bkd-14", "bkd", "", "bkd-14@unit.netra.invalid", "14"], "email 'bkd-14@unit.netra.invalid' is a placeholder"),
    (["bkd-14", "bkd", "", "bkd@riau.go.id", "14.3"], "region_code '14.3' is not a province or regency code"),
    (["bkd-14", "bkd", "", "bkd@riau.go.id", "14.03"], "region_code '14.03' differs from the units file ('14')"),
    (["bkd-14", "kesbangpol", "", "bkd@riau.go.id", "14"], "kind 'kesbangpol' differs from the units file ('bkd')"),
    (["bkd-99", "bkd", "BKD", "bkd@x.go.id", "14"], "unit_id 'bkd-99' is not in the units file"),
    (["", "bkd", "", "bkd@riau.go.id", "14"], "unit_id is empty"),
])
def test_a_bad_row_is_refused_with_its_line_and_nothing_is_written(tmp_path, units_file, capsys, row, problem):
    source = write_csv(tmp_path, [["bawaslu-14.03", "bawaslu", "", "bengkalis@bawaslu.go.id", "14.03"], row])
    out = tmp_path / "merged.yaml"
    assert run("import", source, "--units", units_file, "--out", out) == 2
    err = capsys.readouterr().err
    assert f"line 3: {problem}" in err and "line 2" not in err
    assert not out.exists()


def test_duplicate_rows_and_shared_addresses_are_refused(tmp_path, units_file, capsys):
    source = write_csv(tmp_path, [["bkd-14", "bkd", "", "kepegawaian@riau.go.id", "14"],
                                  ["bkd-14", "bkd", "", "other@riau.go.id", "14"],
                                  ["bkpsdm-14.03", "bkd", "", "Kepegawaian@riau.go.id", "14.03"]])
    assert run("import", source, "--units", units_file, "--out", units_file) == 2
    err = capsys.readouterr().err
    assert "line 3: unit_id 'bkd-14' appears more than once in the file" in err
    assert "address kepegawaian@riau.go.id is used by more than one unit: bkd-14, bkpsdm-14.03" in err
    assert load_directory(units_file).units["bkd-14"].email == "bkd-14@unit.netra.invalid"


def test_a_file_without_the_columns_is_refused_whole(tmp_path, units_file, capsys):
    source = write_csv(tmp_path, [["bkd-14", "bkd@riau.go.id"]], header=["unit_id", "email"])
    assert run("import", source, "--units", units_file, "--out", units_file) == 2
    assert "missing column(s) kind, name, region_code" in capsys.readouterr().err


def test_add_new_adds_a_unit_that_names_its_kind_and_region(tmp_path, units_file):
    row = ["bkn-kanreg-12", "bkn", "Kantor Regional XII BKN Pekanbaru", "kanreg12@bkn.go.id", "14"]
    assert run("import", write_csv(tmp_path, [row]), "--units", units_file, "--out", units_file, "--add-new") == 0
    added = load_directory(units_file).units["bkn-kanreg-12"]
    assert (added.kind, added.region_code, added.email) == ("bkn", "14", "kanreg12@bkn.go.id")
    nameless = ["bkn-kanreg-4", "bkn", "", "kanreg4@bkn.go.id", "73"]
    assert run("import", write_csv(tmp_path, [nameless]), "--units", units_file, "--out", units_file, "--add-new") == 2


def test_report_lists_regions_that_fall_back_and_placeholders(units_file, capsys):
    found = coverage(load_directory(units_file))
    assert ("14.03", "bkd@14.03") not in found.fallbacks["bkd"]
    assert ("14.01", "bkd@14") in found.fallbacks["bkd"]
    assert ("11", "bkd@pusat") in found.fallbacks["bkd"]
    assert ("14.03", "bawaslu@14.03") not in found.fallbacks["bawaslu"]
    assert len(found.placeholders) == 6
    assert run("report", "--units", units_file, "--fail-on-placeholders") == 1
    printed = capsys.readouterr().out
    assert "placeholder addresses (*.invalid): 6 of 6 units" in printed
    assert f"bkd: {found.regions - 2} region(s) fall back" in printed


def test_report_passes_once_every_address_is_real(tmp_path, capsys):
    path = tmp_path / "units.yaml"
    real = [unit(u["id"], u["kind"], u["region_code"], f"{u['id']}@example.go.id") for u in UNITS]
    path.write_text(yaml.safe_dump({"units": real}))
    assert run("report", "--units", path, "--fail-on-placeholders") == 0
    assert "placeholder addresses (*.invalid): 0 of 6 units" in capsys.readouterr().out


def test_the_shipped_units_survive_a_round_trip_through_the_writer(tmp_path):
    shipped = load_directory(UNITS_FILE)
    path = tmp_path / "units.yaml"
    path.write_text(render_units(list(shipped.units.values())))
    assert load_directory(path).units == shipped.units


def test_an_exported_xlsx_edited_shows_its_difference_on_a_dry_run_and_changes_nothing(tmp_path, units_file, capsys):
    from openpyxl import load_workbook
    sheet = tmp_path / "units.xlsx"
    assert run("export", sheet, "--units", units_file) == 0
    book = load_workbook(sheet)
    rows = list(book.active.iter_rows())
    assert [cell.value for cell in rows[0]] == ["unit_id", "kind", "region_code", "region", "name", "email", "invite"]
    bengkalis = next(row for row in rows if row[0].value == "bkpsdm-14.03")
    assert bengkalis[3].value == "Kabupaten Bengkalis"
    bengkalis[5].value = "bkpsdm@bengkaliskab.go.id"
    bengkalis[6].value = "admin@bengkaliskab.go.id; rina@bengkaliskab.go.id"
    for row in rows[1:]:
        if row[0].value != "bkpsdm-14.03":
            row[5].value = row[5].value.replace(".invalid", ".go.id")
    book.save(sheet)
    before = units_file.read_text()
    capsys.readouterr()

    assert run("import", sheet, "--units", units_file, "--out", units_file, "--dry-run") == 0
    shown = capsys.readouterr().out
    assert "6 change(s):" in shown
    assert "~ bkpsdm-14.03: email 'bkpsdm-14.03@unit.netra.invalid' -> 'bkpsdm@bengkaliskab.go.id'" in shown
    assert "bkpsdm-14.03: admin@bengkaliskab.go.id, rina@bengkaliskab.go.id" in shown
    assert "dry run" in shown and units_file.read_text() == before

    assert run("import", sheet, "--units", units_file, "--out", units_file) == 0
    assert load_directory(units_file).units["bkpsdm-14.03"].email == "bkpsdm@bengkaliskab.go.id"
    assert run("import", sheet, "--units", units_file, "--out", units_file, "--dry-run") == 0
    assert "0 change(s)" in capsys.readouterr().out


def test_a_file_that_is_not_a_workbook_is_refused_with_a_clear_message(tmp_path, units_file, capsys):
    fake = tmp_path / "units.xlsx"
    fake.write_text("unit_id,kind\n")
    assert run("import", fake, "--units", units_file, "--out", units_file, "--dry-run") == 2
    assert "cannot read it as XLSX" in capsys.readouterr().err


def test_a_dry_run_names_the_units_whose_admins_an_import_would_invite(tmp_path, units_file, capsys):
    """New units and units with a changed address; a unit whose address stays is not invited again."""
    first = write_csv(tmp_path, [["bkpsdm-14.03", "bkd", "", "bkpsdm@bengkaliskab.go.id", "14.03"]])
    assert run("import", first, "--units", units_file, "--out", units_file) == 0
    source = write_csv(tmp_path, [["bkd-14", "bkd", "", "bkd@riau.go.id", "14"],
                                  ["bkpsdm-14.03", "bkd", "", "bkpsdm@bengkaliskab.go.id", "14.03"],
                                  ["bkd-15", "bkd", "BKD Provinsi Jambi", "bkd@jambiprov.go.id", "15"]])
    before = units_file.read_text()
    capsys.readouterr()
    assert run("import", source, "--units", units_file, "--out", units_file, "--add-new", "--dry-run",
               "--invite-admins") == 0
    assert "not written; admins to invite: bkd-14, bkd-15\n" in capsys.readouterr().out
    assert units_file.read_text() == before
