"""Who may ask for a reporter's identity, what a request and a decision must carry, and what leaves the desk
and reaches the reporter: the body and the basis, never the officer's or the custodian's name."""
from datetime import datetime, timezone

from services.common.envelope import read_payload
from services.desk.cases.access import Staff, access_to
from services.desk.disclosure import rules
from services.desk.disclosure.events import disclosure_approved
from services.notify.mail import reporter_disclosure_message
from services.reference.disclosure import bases_for, citation
from services.intake.identity.disclosure import DisclosureApproved
from tests.support.contracts import assert_matches_example, example
from tests.support.servers import body_text

NOW = datetime(2026, 11, 12, 2, 10, tzinfo=timezone.utc)
CASE = {"case_id": "c-1", "complaint_id": "k-1", "tracking_code": "NTR-7K4M-Q2XP", "law": {"reporter_named": True}}
KEPALA = Staff(1, "rina.bawaslu", "bawaslu-14.03", "kepala")
REASON = "Pendaftaran laporan memerlukan nama dan alamat pelapor."


def test_the_bodies_and_bases_are_data_and_bawaslu_may_cite_pasal_454():
    assert "uu7-2017-pasal-454" in bases_for("bawaslu") and bases_for("bkd") == [] and bases_for(None) == []
    assert citation("uu7-2017-pasal-454")["citation"].startswith("UU 7/2017 Pasal 454 ayat (4)")


def test_an_officer_of_an_allowed_body_may_ask_and_others_are_told_why_not():
    assert rules.may_ask(KEPALA, "bawaslu", CASE, "write") == []
    assert rules.may_ask(KEPALA, "bkd", CASE, "write") == ["Unit Anda tidak berwenang meminta identitas pelapor."]
    assert rules.may_ask(Staff(2, "a", "bawaslu-14.03", "admin"), "bawaslu", CASE, "read")
    assert rules.may_ask(KEPALA, "bawaslu", CASE, None)
    anonymous = {**CASE, "law": {"reporter_named": False}}
    assert "anonim" in rules.may_ask(KEPALA, "bawaslu", anonymous, "write")[0]


def test_a_request_needs_a_reason_and_a_basis_from_the_list():
    row, problems = rules.new_request(KEPALA, "bawaslu", CASE, "write", "perlu", "uu7-2017-pasal-454", NOW)
    assert row is None and "Alasan wajib diisi" in problems[0]
    row, problems = rules.new_request(KEPALA, "bawaslu", CASE, "write", REASON, "pp-94-2021", NOW)
    assert row is None and problems == ["Pilih dasar hukum dari daftar."]
    row, problems = rules.new_request(KEPALA, "bawaslu", CASE, "write", REASON, "uu7-2017-pasal-454", NOW)
    assert problems == [] and row["state"] == rules.ASKED and row["requested_by_id"] == 1


def test_only_the_custodian_decides_and_always_with_a_reason():
    custodian = Staff(3, "kustodian.netra", "bkn", "kustodian")
    assert rules.decision_problems(KEPALA, REASON) == [
        "Hanya kustodian identitas yang dapat memutuskan permintaan identitas."]
    assert "Alasan keputusan" in rules.decision_problems(custodian, "ya")[0]
    assert rules.decision_problems(custodian, REASON) == []


def test_the_custodian_opens_no_case():
    assert access_to(Staff(3, "kustodian.netra", "bkn", "kustodian"), {"bkn": "primary"}) is None


def test_the_approval_names_the_body_and_basis_never_a_person_and_intake_reads_it():
    row, _ = rules.new_request(KEPALA, "bawaslu", CASE, "write", REASON, "uu7-2017-pasal-454", NOW)
    event = disclosure_approved(CASE, row, "Bawaslu Kabupaten Bengkalis", NOW)
    assert_matches_example(event, "identity.disclosure_approved")
    text = str(event)
    assert "rina" not in text and REASON not in text
    assert read_payload(DisclosureApproved, example("identity.disclosure_approved"))["body_name"]


def test_the_reporters_mail_names_the_body_and_the_basis():
    message = reporter_disclosure_message("NTR-7K4M-Q2XP", "Bawaslu Kota Pekanbaru", "UU 7/2017 Pasal 454 ayat (4)",
                                          "wulan@example.org", message_id="<disclosure-r@netra>",
                                          public_url="http://x", mail_from="netra@localhost")
    text = " ".join(body_text(message).split())
    assert "NTR-7K4M-Q2XP" in text and "Bawaslu Kota Pekanbaru" in text and "Pasal 454" in text and "http://x/lacak" in text
    assert "Bawaslu" not in str(message["Subject"])  # a shared mailbox shows subjects first


def test_only_the_body_owning_the_current_step_may_ask():
    steps = [{"number": 1, "unit_id": "bawaslu-14.03", "state": "aktif"},
             {"number": 2, "unit_id": "bkn-kanreg-12", "state": "menunggu"}]
    chained = {**CASE, "chain": {"current": 1, "steps": steps}}
    assert rules.may_ask(KEPALA, "bawaslu", chained, "write") == []
    copied = Staff(4, "sari", "bawaslu-14", "petugas")
    assert rules.may_ask(copied, "bawaslu", chained, "read") == [rules.ONLY_READS]
    completed = {**CASE, "chain": {"current": 1, "steps": [{**steps[0], "state": "selesai"}, steps[1]]}}
    assert rules.may_ask(KEPALA, "bawaslu", completed, "write") == [rules.STEP_ENDED]
    handed_on = {**CASE, "chain": {"current": 2, "steps": [{**steps[0], "state": "selesai"}, {**steps[1], "state": "aktif"}]}}
    assert rules.may_ask(KEPALA, "bawaslu", handed_on, "read") == [rules.STEP_ENDED]
    assert rules.may_ask(copied, "bawaslu", handed_on, "read") == [rules.ONLY_READS]
    assert rules.may_ask(KEPALA, "bawaslu", CASE, "read") == [rules.ONLY_READS]  # no chain: the unit working it


def test_a_unit_that_completed_its_step_is_told_so_while_the_next_one_is_not_open_yet():
    """The page reads the case, then its accesses: the next step may open in between."""
    steps = [{"number": 1, "unit_id": "bawaslu-14.03", "state": "selesai", "done_by": {"unit_id": "bawaslu-14.03"}},
             {"number": 2, "unit_id": "bkn-kanreg-12", "state": "menunggu"}]
    assert rules.may_ask(KEPALA, "bawaslu", {**CASE, "chain": {"current": 1, "steps": steps}}, "read") == [
        rules.STEP_ENDED]
