import pytest

from services.routing.directory import RoutingDataError, load_directory
from services.routing.law_data import Law
from services.routing.rules import Situation, assign, load_rules

LAW = Law()


def route(rules, directory, level, region, category="unggah_dukungan", contexts=("di_luar_pemilihan",),
          named=False):
    return assign(rules.match(Situation(category, level, region, contexts, named)), region, directory, LAW.kanreg_for)


def ids(assignment):
    return assignment.primary.id, [unit.id for unit in assignment.copies]


def write_rules(tmp_path, text):
    path = tmp_path / "rules.yaml"
    path.write_text(text)
    return path


def test_outside_an_election_bkn_kanreg_first_then_the_ppk(rules, directory):
    routed = route(rules, directory, "kabupaten_kota", "14.03")
    assert routed.primary.name == "Kantor Regional XII BKN Pekanbaru"
    assert ids(routed) == ("bkn-kanreg-12", ["bkpsdm-14.03", "kesbangpol-14.03"])
    assert routed.rule_id == "kabupaten_kota-bkn"
    assert routed.fallback == ()


@pytest.mark.parametrize("context", ["pemilu", "pilkada"])
def test_in_an_election_a_named_report_goes_to_bawaslu_then_bkn_then_the_ppk(rules, directory, context):
    routed = route(rules, directory, "kabupaten_kota", "14.03", contexts=(context,), named=True)
    assert ids(routed) == ("bawaslu-14.03", ["bkn-kanreg-12", "bkpsdm-14.03", "kesbangpol-14.03"])
    assert routed.rule_id == "kabupaten_kota-bawaslu"


@pytest.mark.parametrize("contexts", [("pemilu",), ("pilkada",), ("pemilu", "pilkada")])
def test_an_anonymous_election_complaint_goes_to_bkn_and_never_to_bawaslu(rules, directory, contexts):
    routed = route(rules, directory, "kabupaten_kota", "14.03", "hadir_kampanye", contexts=contexts, named=False)
    assert ids(routed) == ("bkn-kanreg-12", ["bkpsdm-14.03", "kesbangpol-14.03"])
    assert not [u for u in (routed.primary, *routed.copies) if u.kind == "bawaslu"]


def test_outside_an_election_a_named_report_does_not_go_to_bawaslu(rules, directory):
    routed = route(rules, directory, "provinsi", "14", "hadir_kampanye", named=True)
    assert ids(routed) == ("bkn-kanreg-12", ["bkd-14", "kesbangpol-14"])


@pytest.mark.parametrize("region, kanreg", [
    ("14", "bkn-kanreg-12"), ("14.71", "bkn-kanreg-12"),        # Riau, Pekanbaru
    ("13.71", "bkn-kanreg-12"),                                # Padang: Sumatera Barat, same Kanreg
    ("73.71", "bkn-kanreg-4"), ("11.01", "bkn-kanreg-13"),    # Makassar, Aceh Selatan
    ("95", "bkn-kanreg-9"), ("96", "bkn-kanreg-14"),          # Papua Pegunungan, Papua Barat Daya (2022)
])
def test_the_kanreg_is_the_one_covering_the_province(rules, directory, region, kanreg):
    level = "provinsi" if "." not in region else "kabupaten_kota"
    routed = route(rules, directory, level, region)
    assert routed.primary.id == kanreg
    assert routed.primary.kind == "bkn_kanreg"


@pytest.mark.parametrize("province, name", [("19", "Kepulauan Bangka Belitung"), ("52", "Nusa Tenggara Barat")])
def test_provincial_employees_go_to_the_province(rules, directory, province, name):
    routed = route(rules, directory, "provinsi", province, contexts=("pilkada",), named=True)
    assert routed.primary.name == f"Bawaslu Provinsi {name}"
    assert [u.name for u in routed.copies][1:] == [f"Badan Kepegawaian Daerah Provinsi {name}",
                                                   f"Badan Kesatuan Bangsa dan Politik Provinsi {name}"]
    assert routed.rule_id == "provinsi-bawaslu"


def test_state_facilities_put_the_inspektorat_in_copy(rules, directory):
    routed = route(rules, directory, "kabupaten_kota", "62.10", "fasilitas_negara")
    assert ids(routed) == ("bkn-kanreg-8", ["bkpsdm-62.10", "kesbangpol-62.10", "inspektorat-62.10"])
    named = route(rules, directory, "kabupaten_kota", "62.10", "fasilitas_negara", ("pemilu",), True)
    assert ids(named)[0] == "bawaslu-62.10" and "inspektorat-62.10" in ids(named)[1]


def test_jakarta_administrative_city_falls_back_to_the_province_and_says_so(rules, directory):
    routed = route(rules, directory, "kabupaten_kota", "31.71")
    assert ids(routed) == ("bkn-kanreg-5", ["bkd-31", "kesbangpol-31"])
    assert routed.fallback == (
        {"wanted": "bkd@31.71", "used": "bkd@31", "reason": "no_unit_in_region"},
        {"wanted": "kesbangpol@31.71", "used": "kesbangpol@31", "reason": "no_unit_in_region"},
    )


def test_central_employees_go_to_bkn(rules, directory):
    routed = route(rules, directory, "pusat", None)
    assert ids(routed) == ("bkn-wasdal", [])
    assert routed.primary.name == "Deputi Bidang Pengawasan dan Pengendalian, Badan Kepegawaian Negara"
    assert routed.fallback == ({"wanted": "bkn_kanreg@region", "used": "bkn_kanreg@pusat",
                                "reason": "no_region_code"},)
    assert ids(route(rules, directory, "pusat", "14.03")) == ("bkn-kanreg-12", [])


def test_central_employees_in_an_election_go_to_the_bawaslu_where_they_work(rules, directory):
    regional_office = route(rules, directory, "pusat", "14.03", "fasilitas_negara", ("pemilu",), True)
    assert ids(regional_office) == ("bawaslu-14.03", ["bkn-kanreg-12"])
    headquarters = route(rules, directory, "pusat", None, "hadir_kampanye", ("pemilu",), True)
    assert headquarters.primary.id == "bawaslu-ri"
    assert headquarters.fallback[0]["reason"] == "no_region_code"


def test_a_conflict_of_interest_adds_bkn_and_kemendagri(rules, directory):
    rule = rules.match(Situation("unggah_dukungan", "kabupaten_kota", "52.01", ("pilkada",), True))
    routed = assign(rule, "52.01", directory, LAW.kanreg_for, rules.conflict_copies)
    assert ids(routed) == ("bawaslu-52.01", ["bkn-kanreg-10", "bkpsdm-52.01", "kesbangpol-52.01", "bkn-wasdal",
                                             "kemendagri"])


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
    assert only_riau.match(Situation("lainnya", "kabupaten_kota", "14.03")).id == "riau"
    assert only_riau.match(Situation("lainnya", "kabupaten_kota", "15.01")) is None
    assert only_riau.match(Situation("lainnya", "pusat", None)) is None


def test_rules_match_on_context_and_reporter(tmp_path, directory):
    rules = load_rules(write_rules(tmp_path, """
rules:
  - id: pilkada-named
    match: {categories: "*", employer_levels: "*", regions: "*", contexts: [pilkada], reporters: [named]}
    primary: bawaslu@region
  - id: rest
    match: {categories: "*", employer_levels: "*", regions: "*"}
    primary: bkn_kanreg@kanreg
"""), directory)
    assert rules.match(Situation("lainnya", "kabupaten_kota", "14.03", ("pemilu", "pilkada"), True)).id == "pilkada-named"
    assert rules.match(Situation("lainnya", "kabupaten_kota", "14.03", ("pilkada",), False)).id == "rest"
    assert rules.match(Situation("lainnya", "kabupaten_kota", "14.03", ("pemilu",), True)).id == "rest"


def test_bad_rules_are_refused_with_every_problem(tmp_path, directory):
    path = write_rules(tmp_path, """
rules:
  - id: a
    match: {categories: [kampanye_hitam], employer_levels: [desa], regions: ["99"], contexts: [pilpres],
            reporters: [somebody]}
    primary: ombudsman@region
    copies: [bawaslu@kecamatan]
  - id: a
    match: {categories: "*"}
    primary: bkd@pusat
""")
    with pytest.raises(RoutingDataError) as refused:
        load_rules(path, directory)
    text = str(refused.value)
    for expected in ("'kampanye_hitam'", "'desa'", "'99' is not a Kemendagri code",
                     "no unit of kind 'ombudsman'", "bawaslu@kecamatan", "rule id 'a' appears more than once",
                     "unknown value 'pilpres'", "unknown value 'somebody'"):
        assert expected in text


def test_a_kind_without_a_central_unit_is_refused(tmp_path):
    units = tmp_path / "units.yaml"
    units.write_text("units:\n- {id: b, kind: bkd, name: B, email: b@x.invalid, region_code: '14'}\n")
    rules = write_rules(tmp_path, "rules:\n- {id: r, match: {categories: '*'}, primary: bkd@region}\n")
    with pytest.raises(RoutingDataError, match="no unit at pusat"):
        load_rules(rules, load_directory(units))
