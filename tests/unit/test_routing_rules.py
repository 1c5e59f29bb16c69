import pytest

from services.routing.settings import DATA as ROUTING_DATA
from services.routing.directory import RoutingDataError, load_directory
from services.routing.rules import assign, load_rules


@pytest.fixture(scope="module")
def directory():
    return load_directory(ROUTING_DATA / "units.yaml")


@pytest.fixture(scope="module")
def rules(directory):
    return load_rules(ROUTING_DATA / "rules.yaml", directory)


def route(rules, directory, level, region, category="unggah_dukungan"):
    return assign(rules.match(category, level, region), region, directory)


def ids(assignment):
    return assignment.primary.id, [unit.id for unit in assignment.copies]


def write_rules(tmp_path, text):
    path = tmp_path / "rules.yaml"
    path.write_text(text)
    return path


def test_kabupaten_bengkalis_goes_to_its_bkpsdm(rules, directory):
    routed = route(rules, directory, "kabupaten_kota", "14.03")
    assert routed.primary.name == "BKPSDM Kabupaten Bengkalis"
    assert ids(routed) == ("bkpsdm-14.03", ["bawaslu-14.03", "kesbangpol-14.03"])
    assert routed.rule_id == "kabupaten_kota-default"
    assert routed.fallback == ()


@pytest.mark.parametrize("province, name", [("19", "Kepulauan Bangka Belitung"), ("52", "Nusa Tenggara Barat")])
def test_provincial_employees_go_to_the_province(rules, directory, province, name):
    routed = route(rules, directory, "provinsi", province)
    assert routed.primary.name == f"Badan Kepegawaian Daerah Provinsi {name}"
    assert ids(routed) == (f"bkd-{province}", [f"bawaslu-{province}", f"kesbangpol-{province}"])
    assert routed.rule_id == "provinsi-default"


def test_jakarta_administrative_city_falls_back_to_the_province_and_says_so(rules, directory):
    routed = route(rules, directory, "kabupaten_kota", "31.71")
    assert ids(routed) == ("bkd-31", ["bawaslu-31.71", "kesbangpol-31"])
    assert routed.fallback == (
        {"wanted": "bkd@31.71", "used": "bkd@31", "reason": "no_unit_in_region"},
        {"wanted": "kesbangpol@31.71", "used": "kesbangpol@31", "reason": "no_unit_in_region"},
    )


def test_gunung_mas(rules, directory):
    routed = route(rules, directory, "kabupaten_kota", "62.10")
    assert routed.primary.name == "BKPSDM Kabupaten Gunung Mas"
    assert routed.primary.region_code == "62.10"


def test_central_employees_go_to_bkn(rules, directory):
    routed = route(rules, directory, "pusat", None)
    assert ids(routed) == ("bkn", ["bawaslu-ri"])
    assert routed.primary.name == "Badan Kepegawaian Negara"
    assert routed.fallback == ()


def test_election_offences_go_to_bawaslu_first(rules, directory):
    assert ids(route(rules, directory, "kabupaten_kota", "14.03", "hadir_kampanye")) == (
        "bawaslu-14.03", ["bkpsdm-14.03", "kesbangpol-14.03"])
    assert ids(route(rules, directory, "provinsi", "14", "alat_peraga"))[0] == "bawaslu-14"
    regional_office = route(rules, directory, "pusat", "14.03", "fasilitas_negara")
    assert ids(regional_office) == ("bawaslu-14.03", ["bkn"])
    headquarters = route(rules, directory, "pusat", None, "hadir_kampanye")
    assert headquarters.primary.id == "bawaslu-ri"
    assert headquarters.fallback[0]["reason"] == "no_region_code"


def test_party_membership_stays_with_the_civil_service_body(rules, directory):
    assert route(rules, directory, "kabupaten_kota", "14.03", "anggota_parpol").primary.id == "bkpsdm-14.03"


def test_a_replaced_rules_file_changes_the_outcome(tmp_path, directory):
    replaced = load_rules(write_rules(tmp_path, """
rules:
  - id: riau-kesbangpol
    match: {categories: [unggah_dukungan], employer_levels: "*", regions: ["14"]}
    primary: kesbangpol@province
    copies: [bkd@pusat]
  - id: the-rest
    match: {categories: "*", employer_levels: "*", regions: "*"}
    primary: bkd@pusat
"""), directory)
    routed = route(replaced, directory, "kabupaten_kota", "14.03")
    assert (routed.rule_id, *ids(routed)) == ("riau-kesbangpol", "kesbangpol-14", ["bkn"])
    assert route(replaced, directory, "kabupaten_kota", "62.10").rule_id == "the-rest"
    assert route(replaced, directory, "kabupaten_kota", "14.03", "lainnya").rule_id == "the-rest"


def test_no_rule_matching_is_reported_as_no_match(tmp_path, directory):
    only_riau = load_rules(write_rules(tmp_path, """
rules:
  - id: riau
    match: {categories: "*", employer_levels: "*", regions: ["14"]}
    primary: bkd@region
"""), directory)
    assert only_riau.match("lainnya", "kabupaten_kota", "14.03").id == "riau"
    assert only_riau.match("lainnya", "kabupaten_kota", "15.01") is None
    assert only_riau.match("lainnya", "pusat", None) is None


def test_bad_rules_are_refused_with_every_problem(tmp_path, directory):
    path = write_rules(tmp_path, """
rules:
  - id: a
    match: {categories: [kampanye_hitam], employer_levels: [desa], regions: ["99"]}
    primary: inspektorat@region
    copies: [bawaslu@kecamatan]
  - id: a
    match: {categories: "*"}
    primary: bkd@pusat
""")
    with pytest.raises(RoutingDataError) as refused:
        load_rules(path, directory)
    text = str(refused.value)
    for expected in ("'kampanye_hitam'", "'desa'", "'99' is not a Kemendagri code",
                     "no unit of kind 'inspektorat'", "bawaslu@kecamatan", "rule id 'a' appears more than once"):
        assert expected in text


def test_a_kind_without_a_central_unit_is_refused(tmp_path):
    units = tmp_path / "units.yaml"
    units.write_text("units:\n- {id: b, kind: bkd, name: B, email: b@x.invalid, region_code: '14'}\n")
    rules = write_rules(tmp_path, "rules:\n- {id: r, match: {categories: '*'}, primary: bkd@region}\n")
    with pytest.raises(RoutingDataError, match="no unit at pusat"):
        load_rules(rules, load_directory(units))
