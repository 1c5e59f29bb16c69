"""The unit's mail when a reporter answers or adds evidence: the tracking code, what happened and the
case link; nothing the reporter wrote, nothing about who they are."""
from services.desk.cases.reporter_news import ADDED_EVIDENCE, ANSWERED, UnitMail

CASE = {"case_id": "6f1c2a3b-0000-4000-8000-000000000001", "tracking_code": "NTR-7K4M-Q2XP",
        "unit_id": "bkpsdm-14.03"}
UNITS = {"bkpsdm-14.03": {"name": "BKPSDM Kabupaten Bengkalis", "email": "bkpsdm-14.03@unit.netra.invalid"},
         "tanpa-surel": {"name": "Unit tanpa surel", "email": ""}}


def mail_with(sent):
    return UnitMail(UNITS, "https://meja.netra.example", "Netra Meja <meja@netra.example>", sent.append)


def test_the_unit_is_told_what_happened_with_the_link_to_the_case():
    sent = []
    mail_with(sent).tell(CASE, ANSWERED)
    mail_with(sent).tell(CASE, ADDED_EVIDENCE)
    answered, added = sent
    assert answered["To"] == "BKPSDM Kabupaten Bengkalis <bkpsdm-14.03@unit.netra.invalid>"
    assert answered["Subject"] == "Pelapor menjawab pertanyaan unit: kasus NTR-7K4M-Q2XP"
    assert added["Subject"] == "Pelapor menambahkan bukti: kasus NTR-7K4M-Q2XP"
    body = answered.get_content()
    assert "https://meja.netra.example/desk/kasus/6f1c2a3b-0000-4000-8000-000000000001" in body
    assert "Yth. BKPSDM Kabupaten Bengkalis" in body


def test_a_unit_without_an_address_gets_nothing_and_nothing_fails():
    sent = []
    mail_with(sent).tell({**CASE, "unit_id": "tanpa-surel"}, ANSWERED)
    assert sent == []
