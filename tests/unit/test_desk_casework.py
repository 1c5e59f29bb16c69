"""Cases arriving from events, moves, transfers and questions, on in-memory fakes of the repository."""
import copy

import pytest

from services.desk.cases import arrivals, casework
from services.desk import events
from services.desk.cases.access import Staff, access_to
from services.desk.cases.changes import NotFound, Refused
from services.desk.cases.lifecycle import Move
from tests.support.contracts import assert_matches_example, example, example_names
from tests.support.desk_fakes import FakeCases

CASE_ID = example("case.routed")["payload"]["case_id"]
BENGKALIS = Staff(1, "budi", "bkpsdm-14.03", "petugas")
HEAD = Staff(2, "ani", "bkpsdm-14.03", "kepala")
COPY = Staff(3, "rudi", "bawaslu-14.03", "petugas")
GUNUNG_MAS = Staff(4, "yanto", "bkpsdm-62.10", "petugas")
WATCH = Staff(5, "pengawas", "bkn", "pengawas")
UNITS = {"bkpsdm-14.03": "BKPSDM Kabupaten Bengkalis", "bkd-14": "BKD Provinsi Riau"}


@pytest.fixture
def cases():
    fake = FakeCases()
    arrivals.case_arrived(example("case.routed"), fake)
    return fake


@pytest.mark.parametrize("name", example_names("case.routed") + example_names("reporter.answered"))
def test_the_desk_reads_every_example_it_consumes(name):
    schema = events.CaseRoutedSchema if name.startswith("case.") else events.ReporterAnsweredSchema
    assert schema().load(example(name)["payload"])


def test_a_routed_case_arrives_with_the_sanitised_files_and_the_units_that_may_read_it(cases):
    case = cases.get(CASE_ID)
    assert case["status"] == "diterima" and case["unit_id"] == "bkpsdm-14.03"
    assert [f["key"] for f in case["files"]] == [
        example("case.routed")["payload"]["files"][0]["sanitised"]["key"]]
    assert cases.accesses(CASE_ID) == {"bkpsdm-14.03": "primary", "bawaslu-14.03": "copy", "kesbangpol-14": "copy"}
    arrivals.case_arrived(example("case.routed"), cases)  # a redelivery changes nothing
    assert len(cases.history(CASE_ID)) == 1


def test_a_file_without_a_sanitised_copy_falls_back_to_the_original():
    files = copy.deepcopy(example("case.routed")["payload"]["files"])
    del files[0]["sanitised"]
    assert arrivals.evidence_files(files)[0]["key"] == files[0]["key"]


def test_access_primary_writes_copy_reads_others_see_nothing(cases):
    units = cases.accesses(CASE_ID)
    assert access_to(BENGKALIS, units) == "write"
    assert access_to(COPY, units) == "read"
    assert access_to(WATCH, units) == "read"
    assert access_to(GUNUNG_MAS, units) is None
    with pytest.raises(NotFound):
        casework.open_case(cases, CASE_ID, GUNUNG_MAS)
    with pytest.raises(Refused):
        casework.move_case(cases, CASE_ID, COPY, Move("diverifikasi", "rudi", "petugas", "n"))


def test_a_move_publishes_only_the_public_part(cases):
    casework.move_case(cases, CASE_ID, BENGKALIS, Move("diverifikasi", "budi", "petugas",
                                                       "Catatan rahasia penyelidik", "Laporan diverifikasi."))
    event = cases.outbox[-1]
    assert_matches_example(event, "case.status_changed")
    assert event["payload"]["status"] == "diverifikasi" and event["payload"]["sequence"] == 1
    assert event["payload"]["public_note"] == "Laporan diverifikasi."
    assert "budi" not in str(event) and "rahasia" not in str(event)
    assert cases.history(CASE_ID)[-1]["actor"] == "budi"
    assert cases.audit[-1]["action"] == "case.moved"


def test_a_refused_move_changes_nothing_and_says_why(cases):
    with pytest.raises(Refused) as refused:
        casework.move_case(cases, CASE_ID, BENGKALIS, Move("selesai", "budi", "petugas", "n"))
    assert refused.value.reasons == ["Dari status 'Diterima' tidak dapat berpindah ke 'Selesai'."]
    assert cases.outbox == [] and cases.get(CASE_ID)["status"] == "diterima"


def test_transfer_requested_by_an_officer_approved_by_the_head_then_the_case_moves_in(cases):
    casework.request_transfer(cases, UNITS, CASE_ID, BENGKALIS, "bkd-14", "Terlapor pegawai provinsi.")
    with pytest.raises(Refused):
        casework.approve_transfer(cases, CASE_ID, BENGKALIS)
    transfer = casework.approve_transfer(cases, CASE_ID, HEAD)
    moved, approved = cases.outbox[-2:]
    assert_matches_example(approved, "case.transfer_approved")
    assert moved["payload"]["status"] == "dialihkan"
    assert approved["payload"]["to_unit_id"] == "bkd-14"
    routed = copy.deepcopy(example("case.routed.transfer"))
    routed["payload"]["transfer"]["transfer_id"] = transfer["transfer_id"]
    arrivals.case_arrived(routed, cases)
    assert cases.get(CASE_ID)["unit_id"] == "bkd-14" and cases.get(CASE_ID)["status"] == "diterima"
    assert access_to(BENGKALIS, cases.accesses(CASE_ID)) == "read"
    assert access_to(Staff(9, "x", "bkd-14", "petugas"), cases.accesses(CASE_ID)) == "write"
    assert cases.transfer_rows[transfer["transfer_id"]]["state"] == "selesai"


def test_a_transfer_needs_a_reason_and_a_unit_of_the_directory(cases):
    with pytest.raises(Refused) as refused:
        casework.request_transfer(cases, UNITS, CASE_ID, BENGKALIS, "bkd-99", " ")
    assert refused.value.reasons == ["Alasan pengalihan wajib diisi.", "Unit 'bkd-99' tidak ada dalam direktori."]


def test_a_question_goes_out_and_the_answer_comes_back_into_the_case(cases):
    asked = casework.ask_reporter(cases, CASE_ID, BENGKALIS, "Mohon tautan lengkap unggahan.")
    assert_matches_example(cases.outbox[-1], "reporter.question_asked")
    answer = copy.deepcopy(example("reporter.answered"))
    answer["payload"]["question_id"] = asked["question_id"]
    arrivals.reporter_answered(answer, cases)
    arrivals.reporter_answered(answer, cases)
    assert [a["question_id"] for a in cases.answer_rows.values()] == [asked["question_id"]]
