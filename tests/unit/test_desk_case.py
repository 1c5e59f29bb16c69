"""The desk's Case on its own, no repository and no server: each move gives the Change it records, and each
refusal says why in the officer's words."""
from datetime import datetime, timezone

import pytest

from services.common.envelope import read_payload
from services.desk.cases import arrivals
from services.desk import events
from services.desk.cases.access import Staff
from services.desk.cases.case import NONE_PENDING, ONE_PENDING, READ_ONLY, Case
from services.desk.cases.changes import NotFound, Refused
from services.desk.cases.lifecycle import Move
from tests.support.contracts import assert_matches_example, example

AT = datetime(2026, 12, 7, 3, 0, tzinfo=timezone.utc)
OFFICER = Staff(1, "budi", "bkpsdm-14.03", "petugas")
HEAD = Staff(2, "ani", "bkpsdm-14.03", "kepala")
COPY = Staff(3, "rudi", "bawaslu-14.03", "petugas")
STRANGER = Staff(4, "yanto", "bkpsdm-62.10", "petugas")
UNITS = {"bkpsdm-14.03": "BKPSDM Kabupaten Bengkalis", "bkd-14": "BKD Provinsi Riau"}


def arrived(status: str = "diterima", pending: dict | None = None) -> Case:
    change = arrivals.first_arrival(read_payload(events.CaseRoutedSchema, example("case.routed")), "e-1")
    return Case({**change.new_case, "status": status}, change.accesses, pending)


def refusal(action) -> list[str]:
    with pytest.raises(Refused) as refused:
        action()
    return refused.value.reasons


def test_a_move_is_one_change_with_the_update_its_history_its_event_and_its_audit_line():
    case = arrived()
    change = case.move(OFFICER, Move("diverifikasi", "budi", "petugas", "catatan berkas", "Diverifikasi."), AT)
    assert change.case_updates["status"] == "diverifikasi" and change.case_updates["sequence"] == 1
    assert change.expected_sequence == 0 and case.status == "diterima"  # the case row is written by the repository
    assert [(h["previous_status"], h["status"], h["actor"]) for h in change.history] == [
        ("diterima", "diverifikasi", "budi")]
    assert_matches_example(change.events[0], "case.status_changed")
    assert "catatan berkas" not in str(change.events) and "budi" not in str(change.events)
    assert [line["action"] for line in change.audit] == ["case.moved"]


def test_the_lifecycle_refusals_come_from_the_case():
    assert refusal(lambda: arrived().move(OFFICER, Move("selesai", "budi", "petugas", "n"), AT)) == [
        "Dari status 'Diterima' tidak dapat berpindah ke 'Selesai'."]
    assert refusal(lambda: arrived().move(OFFICER, Move("dialihkan", "budi", "kepala", "n"), AT))


def test_a_unit_in_copy_only_reads_and_any_other_unit_does_not_find_the_case():
    assert refusal(lambda: arrived().move(COPY, Move("diverifikasi", "rudi", "petugas", "n"), AT)) == [READ_ONLY]
    assert refusal(lambda: arrived().ask_reporter(COPY, "Kapan?", AT)) == [READ_ONLY]
    with pytest.raises(NotFound):
        arrived().request_transfer(STRANGER, "bkd-14", "alasan", UNITS, AT)


def test_a_transfer_request_waits_for_the_head_and_a_second_one_is_refused_meanwhile():
    change = arrived().request_transfer(OFFICER, "bkd-14", " Terlapor pegawai provinsi. ", UNITS, AT)
    transfer = change.new_transfer
    assert (transfer["state"], transfer["from_unit_id"], transfer["to_unit_id"], transfer["reason"]) == (
        "diajukan", "bkpsdm-14.03", "bkd-14", "Terlapor pegawai provinsi.")
    assert change.events == [] and change.case_updates == {}
    waiting = arrived(pending=transfer)
    assert refusal(lambda: waiting.request_transfer(HEAD, "bkd-14", "lagi", UNITS, AT)) == [ONE_PENDING]


def test_a_transfer_needs_another_unit_of_the_directory_a_reason_and_a_status_that_can_be_left():
    assert refusal(lambda: arrived().request_transfer(OFFICER, "bkpsdm-14.03", "alasan", UNITS, AT)) == [
        "Kasus sudah berada di unit tersebut."]
    assert refusal(lambda: arrived("selesai").request_transfer(OFFICER, "bkd-99", "", UNITS, AT)) == [
        "Alasan pengalihan wajib diisi.", "Unit 'bkd-99' tidak ada dalam direktori.",
        "Kasus berstatus 'Selesai' tidak dapat dialihkan."]


def test_the_head_approves_the_waiting_transfer_and_the_case_is_handed_on():
    transfer = arrived().request_transfer(OFFICER, "bkd-14", "Terlapor pegawai provinsi.", UNITS, AT).new_transfer
    waiting = arrived(pending=transfer)
    assert refusal(lambda: arrived().approve_transfer(HEAD, None, AT)) == [NONE_PENDING]
    assert refusal(lambda: waiting.approve_transfer(OFFICER, None, AT)) == [
        "Perpindahan ke 'Dialihkan ke unit lain' hanya dapat dilakukan oleh kepala."]
    change = waiting.approve_transfer(HEAD, None, AT)
    assert change.case_updates["status"] == "dialihkan"
    assert change.transfer_updates == (transfer["transfer_id"], {"state": "disetujui", "approved_by": "ani",
                                                                 "approved_at": AT})
    moved, approved = change.events
    assert moved["payload"]["status"] == "dialihkan"
    assert_matches_example(approved, "case.transfer_approved")
    assert approved["payload"]["to_unit_id"] == "bkd-14"


def test_a_question_to_the_reporter_is_not_empty_nor_too_long():
    assert refusal(lambda: arrived().ask_reporter(OFFICER, "  ", AT)) == ["Pertanyaan tidak boleh kosong."]
    assert refusal(lambda: arrived().ask_reporter(OFFICER, "x" * 2001, AT)) == [
        "Pertanyaan paling panjang 2000 karakter."]
    change = arrived().ask_reporter(OFFICER, " Mohon tautan lengkap. ", AT)
    assert change.new_question["question"] == "Mohon tautan lengkap."
    assert_matches_example(change.events[0], "reporter.question_asked")


def test_a_case_whose_chain_has_a_decision_step_takes_no_sanction_by_status():
    case = arrived("direkomendasikan")
    assert any(step["outcome"] == "keputusan" for step in case.row["chain"]["steps"])
    move = Move("sanksi_dijatuhkan", "budi", "petugas", "SK", details={
        "decree_number": "800/1", "decree_date": "2026-12-01", "sanction_kind": "moral"})
    assert refusal(lambda: case.move(OFFICER, move, AT)) == [
        "Sanksi pada kasus ini dicatat oleh PPK dengan keputusannya pada langkah putusan (formulir langkah), "
        "bukan melalui perubahan status."]
