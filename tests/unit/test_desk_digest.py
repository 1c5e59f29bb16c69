"""The daily digest: who gets a mail, what it says, and that it never carries reporter data."""
from datetime import date

from services.desk.reminders import digest

TODAY = date(2026, 3, 17)  # the Tuesday before Nyepi and Idul Fitri 2026
DESK = "https://desk.netra.example.go.id/"
FROM = "Netra <netra@example.go.id>"
UNITS = {"bkpsdm-14.03": {"name": "BKPSDM Kabupaten Bengkalis", "email": "bkpsdm@bengkaliskab.go.id"},
         "bawaslu-62.10": {"name": "Bawaslu Kabupaten Gunung Mas", "email": "gunungmas@bawaslu.go.id"},
         "bkd-14": {"name": "BKD Provinsi Riau", "email": "bkd@riau.go.id"}}
REPORTER = {"reporter_name": "Siti Aminah", "reporter_email": "siti.aminah@example.id",
            "reporter_phone": "+6281234567890"}


def case(code, due_on, unit_id="bkpsdm-14.03", status="dalam_pemeriksaan"):
    return {"case_id": f"case-{code}", "tracking_code": f"NTR-{code}", "unit_id": unit_id,
            "category": "alat_peraga", "region_code": "14.03", "status": status,
            "received_at": "2026-03-02T02:00:00+00:00", "due_on": due_on, **REPORTER}


BENGKALIS = [case("LATE-0001", "2026-03-13"), case("SOON-0025", date(2026, 3, 25)),
             case("TODAY-0017", "2026-03-17", status="diverifikasi"), case("EDGE-0027", "2026-03-27"),
             case("LATER-0030", "2026-03-30"), case("DONE-0000", None, status="selesai")]


class FakeMailer:
    def __init__(self, refuse=()):
        self.sent, self.refuse = [], set(refuse)

    def __call__(self, message):
        if message["To"].addresses[0].addr_spec in self.refuse:
            raise ConnectionRefusedError("relay down")
        self.sent.append(message)


def run(rows_by_unit, mailer, units=UNITS, today=TODAY):
    return digest.send_digests(rows_by_unit, mailer, units=units, today=today, desk_url=DESK, mail_from=FROM)


def bengkalis_mail():
    mailer = FakeMailer()
    run({"bkpsdm-14.03": BENGKALIS}, mailer)
    [message] = mailer.sent
    return message


def parts(message):
    text = message.get_body(("plain",)).get_content()
    html = message.get_body(("html",)).get_content()
    return text, html


def test_a_unit_with_cases_due_gets_one_mail_with_overdue_first_then_due_soon_by_date():
    mailer = FakeMailer()
    outcome = run({"bkpsdm-14.03": BENGKALIS}, mailer)
    assert outcome.sent == ["bkpsdm-14.03"] and len(mailer.sent) == 1
    message = mailer.sent[0]
    assert message["To"].addresses[0].addr_spec == "bkpsdm@bengkaliskab.go.id"
    assert message["Subject"] == ("[Netra] Ringkasan harian BKPSDM Kabupaten Bengkalis: 1 terlambat, "
                                  "3 segera jatuh tempo")
    assert message["Message-ID"] == "<digest-bkpsdm-14.03-2026-03-17@netra>"
    text, _ = parts(message)
    order = [text.index(f"NTR-{code}") for code in ("LATE-0001", "TODAY-0017", "SOON-0025", "EDGE-0027")]
    assert order == sorted(order)
    assert text.index("Terlambat (1)") < text.index("Jatuh tempo dalam 3 hari kerja (3)")


def test_the_mail_says_in_working_days_how_late_or_how_close_each_case_is_across_idul_fitri():
    text, _ = parts(bengkalis_mail())
    assert "Tenggat Jumat, 13 Maret 2026 (terlambat 2 hari kerja)" in text
    assert "Tenggat Selasa, 17 Maret 2026 (hari ini)" in text
    assert "Tenggat Rabu, 25 Maret 2026 (1 hari kerja lagi)" in text  # 18-24 March are all days off
    assert "Tenggat Jumat, 27 Maret 2026 (3 hari kerja lagi)" in text
    assert "Memasang alat peraga kampanye (spanduk, baliho)" in text and "Kabupaten Bengkalis" in text
    assert "Dalam pemeriksaan" in text and "Diverifikasi" in text
    assert "NTR-LATER-0030" not in text and "NTR-DONE-0000" not in text


def test_every_case_links_to_its_page_in_the_desk_in_both_parts():
    text, html = parts(bengkalis_mail())
    link = "https://desk.netra.example.go.id/desk/kasus/case-LATE-0001"
    assert link in text
    assert f'<a href="{link}">NTR-LATE-0001</a>' in html
    assert "Selasa, 17 Maret 2026" in html and 'lang="id"' in html


def test_no_reporter_data_reaches_the_mail_even_when_the_rows_carry_it():
    whole = bengkalis_mail().as_string()
    for secret in ("Siti", "siti.aminah", "81234567890"):
        assert secret not in whole


def test_nothing_due_means_no_mail_for_that_unit_while_others_still_get_theirs():
    mailer = FakeMailer()
    quiet = [case("FAR-0410", "2026-04-10", unit_id="bawaslu-62.10"), case("DONE-0001", None, "bawaslu-62.10")]
    outcome = run({"bawaslu-62.10": quiet, "bkpsdm-14.03": BENGKALIS, "bkd-14": []}, mailer)
    assert outcome.nothing_due == ["bawaslu-62.10", "bkd-14"]
    assert [m["To"].addresses[0].addr_spec for m in mailer.sent] == ["bkpsdm@bengkaliskab.go.id"]
    assert digest.digest_message({"unit_id": "bawaslu-62.10", **UNITS["bawaslu-62.10"]}, quiet,
                                 today=TODAY, desk_url=DESK, mail_from=FROM) is None


def test_a_unit_without_an_address_or_with_a_failing_relay_is_reported_and_does_not_stop_the_rest():
    mailer = FakeMailer(refuse={"bkd@riau.go.id"})
    rows = {"unknown-unit": [case("LATE-0002", "2026-03-13", "unknown-unit")],
            "bkd-14": [case("LATE-0003", "2026-03-13", "bkd-14")], "bkpsdm-14.03": BENGKALIS}
    outcome = run(rows, mailer)
    assert outcome.no_address == ["unknown-unit"]
    assert outcome.failed == {"bkd-14": "ConnectionRefusedError"}
    assert outcome.sent == ["bkpsdm-14.03"] and len(mailer.sent) == 1


def test_words_from_the_data_are_escaped_in_the_html_part():
    hostile = [case("<b>X</b>", "2026-03-13")]
    _, html = parts(digest.digest_message({"unit_id": "u", "name": "Unit", "email": "u@example.go.id"}, hostile,
                                          today=TODAY, desk_url=DESK, mail_from=FROM))
    assert "<b>X</b>" not in html and "NTR-&lt;b&gt;X&lt;/b&gt;" in html
    assert "/desk/kasus/case-%3Cb%3EX%3C%2Fb%3E" in html


def test_a_case_due_on_friday_reads_as_late_on_saturday_without_a_count_of_zero():
    text, _ = parts(digest.digest_message({"unit_id": "u", "name": "Unit", "email": "u@example.go.id"},
                                          [case("FRI-1120", "2026-11-20")], today=date(2026, 11, 21),
                                          desk_url=DESK, mail_from=FROM))
    assert "(terlambat)" in text and "terlambat 0" not in text


def test_rows_of_many_units_group_by_unit_for_the_digest_round():
    rows = BENGKALIS[:2] + [case("FAR-0410", "2026-04-10", unit_id="bawaslu-62.10")]
    grouped = digest.group_by_unit(rows)
    assert list(grouped) == ["bkpsdm-14.03", "bawaslu-62.10"]
    assert [c["tracking_code"] for c in grouped["bkpsdm-14.03"]] == ["NTR-LATE-0001", "NTR-SOON-0025"]


def test_no_digest_goes_out_on_a_day_off_such_as_cuti_bersama_for_idul_fitri():
    mailer = FakeMailer()
    outcome = run({"bkpsdm-14.03": BENGKALIS}, mailer, today=date(2026, 3, 20))
    assert outcome.day_off and mailer.sent == [] and outcome.sent == []


def test_a_rerun_on_the_same_day_mails_only_the_units_not_yet_mailed():
    rows = {"bkpsdm-14.03": BENGKALIS, "bkd-14": [case("LATE-0003", "2026-03-13", "bkd-14")]}
    first = run(rows, FakeMailer(refuse={"bkd@riau.go.id"}))
    mailer = FakeMailer()
    again = digest.send_digests(rows, mailer, units=UNITS, today=TODAY, desk_url=DESK, mail_from=FROM,
                                sent_today=first.sent)
    assert again.already_sent == ["bkpsdm-14.03"] and again.sent == ["bkd-14"]
    assert [m["To"].addresses[0].addr_spec for m in mailer.sent] == ["bkd@riau.go.id"]
