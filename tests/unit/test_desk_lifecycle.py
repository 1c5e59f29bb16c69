"""The lifecycle as data: allowed moves, who may make them, and refusals that explain themselves."""
from services.desk.cases import lifecycle
from services.desk.cases.lifecycle import Move
from services.reference.vocabulary import labels

SANCTION = {"decree_number": "800/BKPSDM/2026/017", "decree_date": "2026-12-01", "sanction_kind": "disiplin_sedang"}


def test_the_path_to_a_sanction_is_allowed_for_an_officer_and_closing_is_for_the_head():
    path = ["diverifikasi", "dalam_pemeriksaan", "direkomendasikan"]
    current = "diterima"
    for target in path:
        assert lifecycle.refusals(current, Move(target, "budi", "petugas", "catatan")) == []
        current = target
    assert lifecycle.refusals(current, Move("sanksi_dijatuhkan", "budi", "petugas", "SK", details=SANCTION)) == []
    refused = lifecycle.refusals("sanksi_dijatuhkan", Move("selesai", "budi", "petugas", "tutup"))
    assert refused == ["Perpindahan ke 'Selesai' hanya dapat dilakukan oleh kepala."]
    assert lifecycle.refusals("sanksi_dijatuhkan", Move("selesai", "ani", "kepala", "tutup")) == []


def test_a_skipped_step_is_refused_with_the_reason():
    assert lifecycle.refusals("diterima", Move("sanksi_dijatuhkan", "budi", "petugas", "x", details=SANCTION)) == [
        "Dari status 'Diterima' tidak dapat berpindah ke 'Sanksi dijatuhkan'."]


def test_a_sanction_needs_its_decree_and_a_known_kind():
    reasons = lifecycle.refusals("direkomendasikan", Move("sanksi_dijatuhkan", "budi", "petugas", "SK",
                                                          details={"sanction_kind": "denda", "decree_date": "1/12"}))
    assert "'decree_number' wajib diisi untuk status 'Sanksi dijatuhkan'." in reasons
    assert "Jenis sanksi 'denda' tidak dikenal." in reasons
    assert "Tanggal keputusan harus berformat YYYY-MM-DD." in reasons


def test_a_note_for_the_file_is_required_and_readers_cannot_move():
    assert lifecycle.refusals("diterima", Move("diverifikasi", "budi", "petugas", "  ")) == [
        "Catatan untuk berkas wajib diisi."]
    assert lifecycle.refusals("diterima", Move("diverifikasi", "x", "pengawas", "n"))


def test_dialihkan_is_reached_only_through_an_approved_transfer():
    move = Move("dialihkan", "ani", "kepala", "dialihkan")
    assert lifecycle.refusals("bukan_kewenangan", move)
    assert lifecycle.refusals("bukan_kewenangan", move, via="transfer") == []
    assert "dialihkan" not in lifecycle.choices("bukan_kewenangan", "kepala")


def test_every_status_is_reachable_and_worded_in_the_shared_vocabulary():
    statuses = lifecycle.statuses()
    reachable = {lifecycle.lifecycle()["first"]} | {t for s in statuses.values() for t in s["moves"]}
    assert reachable | {"langkah_selesai"} == set(statuses)  # the end of a step (services/desk/chain/handoff.py)
    words = labels("case_statuses")
    assert {code: words[code] for code in statuses} == {code: s["label"] for code, s in statuses.items()}


def test_every_status_has_a_duration_and_only_the_end_of_a_step_or_the_case_has_none():
    from services.desk.cases import deadlines
    assert set(deadlines.statuses()) == set(lifecycle.statuses())
    assert [code for code in lifecycle.statuses() if deadlines.duration(code).working_days is None] == \
        ["langkah_selesai", "selesai"]  # after a hand-off the next step's unit has the case, with its own date


def test_in_a_chain_with_a_decision_step_the_sanction_is_not_a_status_move():
    chain = {"steps": [{"number": 1, "outcome": "rekomendasi"}, {"number": 2, "outcome": "keputusan"}]}
    assert lifecycle.choices("diteruskan", "petugas", chain) == ["direkomendasikan", "tidak_terbukti"]
    assert "sanksi_dijatuhkan" not in lifecycle.choices("direkomendasikan", "kepala", chain)
    move = Move("sanksi_dijatuhkan", "budi", "petugas", "SK", details=SANCTION)
    assert lifecycle.refusals("direkomendasikan", move, chain=chain) == [lifecycle.DECIDED_IN_STEP]
    assert lifecycle.refusals("direkomendasikan", move) == []  # a case without a chain keeps its sanction move
    assert "sanksi_dijatuhkan" in lifecycle.choices("direkomendasikan", "petugas")
    without_decision = {"steps": [{"number": 1, "outcome": "rekomendasi"}]}
    assert "sanksi_dijatuhkan" in lifecycle.choices("direkomendasikan", "petugas", without_decision)
