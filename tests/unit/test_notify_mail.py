import re

import pytest
from jinja2 import meta

from services.notify.events import CaseRouted
from services.notify.mail import (_templates, evidence_rejected_message, reporter_ack_message,
                                  reporter_update_message, unit_case_message)
from services.notify.wording import category_label, defang, file_size, long_date, region_label
from tests.support import notify_events
from tests.support.notify_fakes import as_received

DESK = "https://desk.netra.test/"
REPORTER = {"name": "Siti Pelapor Rahasia", "email": "siti.pelapor@example.com", "phone": "081234567890",
            "ip": "203.0.113.9"}
# A mail client turns these into links: a scheme, or a dotted host name.
LINKABLE = re.compile(r"https?://|www\.|facebook\.com|bkn\.go\.id")


def unit_mail(**extra):
    case = CaseRouted().load(notify_events.case_routed(**extra)["payload"])
    return case, as_received(unit_case_message(case, DESK, "Netra <netra@localhost>"))


def parts(message):
    return (message.get_body(("plain",)).get_content(), message.get_body(("html",)).get_content())


def test_unit_mail_tells_the_unit_everything_about_the_case_in_words():
    case, message = unit_mail()
    text, html = parts(message)
    for body in (text, html):
        for expected in ("NTR-7K4M-Q2XP", "NTR-2026-1403-00123", "Mengunggah dukungan kepada calon atau partai politik",
                         "Facebook", "hxxps://www[.]facebook[.]com/andi.saputra/posts/123", "2 November 2026",
                         "Bengkalis", "Andi Saputra", "198001012005011001", "Kepala Seksi Kurikulum",
                         "Dinas Pendidikan Kabupaten Bengkalis", "Kabupaten Bengkalis, Riau (14.03)",
                         "Pemerintah kabupaten atau kota", "pasangan calon nomor 2",
                         "Kesbangpol, Kabupaten Bengkalis, Riau (14.03) tidak tersedia (tidak ada unit di wilayah "
                         "tersebut); diteruskan kepada Kesbangpol, Riau (14)", "ab" * 32,
                         "cd" * 32, "image/png", "120,6 KB", "117,2 KB", "Identitas pelapor dirahasiakan",
                         f"https://desk.netra.test/desk/kasus/{case['case_id']}", "bukan tautan"):
            assert expected in body, expected


def test_a_case_routed_before_case_numbers_is_named_by_its_id():
    case, message = unit_mail(case_number=None)
    for body in parts(message):
        assert re.search(rf"Nomor kasus\s*(:|</th><td>)\s*{case['case_id']}", body)


def test_unit_mail_links_only_to_the_desk():
    case, message = unit_mail()
    text, html = parts(message)
    assert re.findall(r'href="([^"]+)"', html) == [f"https://desk.netra.test/desk/kasus/{case['case_id']}"]
    assert "X-Amz" not in message.as_string() and case["files"][0]["sha256"] in text
    for body in (text, html):
        without_desk = body.replace(f"https://desk.netra.test/desk/kasus/{case['case_id']}", "")
        assert not LINKABLE.search(without_desk.replace("netra@localhost", "")), LINKABLE.search(without_desk)


def test_unit_mail_goes_to_the_primary_unit_and_names_the_copies():
    case, message = unit_mail()
    assert message["To"] == "BKPSDM Kabupaten Bengkalis <bkpsdm-14.03@unit.netra.invalid>"
    assert message["Cc"] == "Bawaslu Kabupaten Bengkalis <bawaslu-14.03@unit.netra.invalid>"
    text = parts(message)[0]
    assert text.startswith("Yth. BKPSDM Kabupaten Bengkalis,\ndengan tembusan kepada Bawaslu Kabupaten Bengkalis,")
    assert "Tembusan: Bawaslu Kabupaten Bengkalis. Unit tembusan menerima surel ini untuk diketahui" in text
    assert message["Message-ID"] == f"<case-{case['case_id']}@netra>"
    assert str(message["Subject"]) == ("[Netra] Pengaduan netralitas ASN NTR-7K4M-Q2XP — "
                                       "Mengunggah dukungan kepada calon atau partai politik")
    assert message.get_content_type() == "multipart/alternative"


def test_unit_mail_on_the_wire_is_seven_bit_and_reads_back_in_words():
    units = {"primary": {"unit_id": "bkd-52", "name": "Badan Kepegawaian Daerah — NTB",
                         "email": "bkd-52@unit.netra.invalid"}, "copies": []}
    case = CaseRouted().load(notify_events.case_routed(units=units)["payload"])
    raw = unit_case_message(case, DESK, "Netra <netra@localhost>").as_bytes()
    assert raw.isascii() and max(len(line) for line in raw.splitlines()) <= 78
    assert b"Subject: [Netra] Pengaduan netralitas ASN NTR-7K4M-Q2XP =?utf-8?" in raw  # ASCII words stay readable
    message = as_received(unit_case_message(case, DESK, "Netra <netra@localhost>"))
    assert message["To"].addresses[0].display_name == "Badan Kepegawaian Daerah — NTB"
    assert "Yth. Badan Kepegawaian Daerah — NTB," in parts(message)[0]


def test_a_line_break_in_a_header_value_is_refused_not_sent_as_a_header_of_its_own():
    case = CaseRouted().load(notify_events.case_routed()["payload"])
    with pytest.raises(ValueError):
        unit_case_message(case, DESK, "Netra <netra@localhost>\nBcc: someone@example.com")


def test_the_units_in_copy_are_on_the_same_mail_and_listed_by_name():
    units = {"primary": notify_events.unit("bkpsdm-14.03", "BKPSDM Kabupaten Bengkalis"),
             "copies": [notify_events.unit("bawaslu-14.03", "Bawaslu Kabupaten Bengkalis"),
                        notify_events.unit("kesbangpol-14.03", "Kesbangpol Kabupaten Bengkalis"),
                        notify_events.unit("bkpsdm-14.03", "BKPSDM Kabupaten Bengkalis")]}
    case = CaseRouted().load(notify_events.case_routed(units=units)["payload"])
    message = as_received(unit_case_message(case, DESK, "Netra <netra@localhost>"))
    assert message["To"] == "BKPSDM Kabupaten Bengkalis <bkpsdm-14.03@unit.netra.invalid>"
    assert [a.addr_spec for a in message["Cc"].addresses] == [
        "bawaslu-14.03@unit.netra.invalid", "kesbangpol-14.03@unit.netra.invalid"]  # the primary unit once
    text, html = parts(message)
    assert text.startswith("Yth. BKPSDM Kabupaten Bengkalis,\n"
                           "dengan tembusan kepada Bawaslu Kabupaten Bengkalis, Kesbangpol Kabupaten Bengkalis,")
    for body in (text, html):
        assert "Tembusan: Bawaslu Kabupaten Bengkalis, Kesbangpol Kabupaten Bengkalis." in body
        assert "bawaslu-14.03" not in body and "kesbangpol-14.03" not in body  # names, not rule ids


def test_unit_mail_names_no_internal_rule_or_role_code():
    case, message = unit_mail()
    for body in parts(message):
        assert case["matched_rule"] not in body and "@14" not in body and "Aturan penentuan" not in body


def test_unit_mail_never_carries_reporter_identity():
    _, message = unit_mail(reporter=REPORTER, reporter_contact=notify_events.seal_contact(REPORTER["email"]))
    text, html = parts(message)
    for body in (message.as_string(), text, html):
        for value in REPORTER.values():
            assert value not in body


def test_unit_templates_use_no_reporter_variable():
    for name in ("unit_case.txt", "unit_case.html"):
        source = _templates.loader.get_source(_templates, name)[0]
        names = meta.find_undeclared_variables(_templates.parse(source))
        assert names <= {"unit_name", "copy_names", "tracking_code", "case_id", "case_number", "subject", "violation",
                         "files", "desk_link", "transferred", "fallback", "title", "group",
                         "team_name", "law"}


def test_html_part_escapes_what_the_complaint_says():
    case = CaseRouted().load(notify_events.case_routed()["payload"])
    case["violation"]["description"] = "<script>alert(1)</script>"
    case["violation"]["post_urls"] = ["javascript:alert(2)", "https://evil.example/\"><a href=x>"]
    _, html = parts(as_received(unit_case_message(case, DESK, "n@l")))
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert 'href="javascript' not in html and "<a href=x" not in html and "&lt;a href=x&gt;" in html


def test_unknown_codes_read_as_themselves():
    case, message = unit_mail(fallback=[{"wanted": "bkd@14.03", "used": "bkd@14", "reason": "alasan_baru"}])
    case["violation"]["platform"] = "mastodon"
    text, _ = parts(as_received(unit_case_message(case, DESK, "n@l")))
    assert "(alasan_baru)" in text and "mastodon" in text


def test_unit_mail_without_files_says_so():
    case, message = unit_mail(files=[])
    text, _ = parts(message)
    assert "Tidak ada berkas bukti yang diarsipkan" in text


def test_reporter_ack_explains_how_to_follow_the_case_under_a_neutral_subject():
    message = as_received(reporter_ack_message("NTR-AAAA-BBBB", "2026-11-02T08:00:00+00:00", "siti@example.com",
                                               complaint_id="c-1", public_url="https://netra.example.go.id/",
                                               mail_from="Netra <netra@localhost>"))
    text, html = parts(message)
    assert message["To"] == "siti@example.com"
    assert message["Message-ID"] == "<ack-c-1@netra>"
    assert str(message["Subject"]) == "[Netra] Pengaduan Anda telah diterima"
    for body in (text, html):
        assert "NTR-AAAA-BBBB" in body
        assert "telah kami terima pada 2 November 2026" in body
        assert "https://netra.example.go.id/lacak" in body and "api/v1" not in body
        assert "X-Receipt" not in body
        assert "Identitas Anda dirahasiakan" in body


def test_evidence_rejected_notice_lists_files_by_their_number_and_reason():
    message = as_received(evidence_rejected_message("NTR-AAAA-BBBB", [{"index": 2, "reason": "not_staged"},
                                                                      {"index": 0, "reason": "unknown_type"}],
                                                    "siti@example.com", complaint_id="c-1", public_url="http://x",
                                                    mail_from="n@l"))
    text, html = parts(message)
    assert text.index("Berkas ke-1: jenis berkas tidak dikenali") < text.index(
        "Berkas ke-3: berkas tidak ditemukan di tempat penampungan sementara")
    assert "Berkas ke-3: berkas tidak ditemukan" in html
    assert "tidak dapat diterima" in str(message["Subject"])


def test_reporter_update_names_the_complaint_points_to_lacak_and_says_nothing_else():
    message = as_received(reporter_update_message("question", "NTR-7K4M-Q2XP", "siti@example.com",
                                                  message_id="<question-q@netra>",
                                                  public_url="https://netra.example.go.id", mail_from="n@l"))
    text, html = parts(message)
    assert "https://netra.example.go.id/lacak" in text and 'href="https://netra.example.go.id/lacak"' in html
    assert "pertanyaan" in text
    for body in (text, html):
        assert "Kode pelacakan" in body and "NTR-7K4M-Q2XP" in body  # the reporter knows which complaint
        assert "receipt" not in body and "tanda terima yang Anda simpan" in body  # Indonesian words only
    assert "NTR-7K4M-Q2XP" not in str(message["Subject"])  # a watched mailbox shows subjects first


def test_wording_reads_indonesian():
    assert category_label("fasilitas_negara") == "Menggunakan fasilitas atau anggaran negara untuk kampanye"
    assert category_label("kategori_baru") == "kategori_baru"
    assert long_date("2026-08-17") == "17 Agustus 2026"
    assert file_size(1536) == "1,5 KB" and file_size(12) == "12 bita"
    assert region_label("14") == "Riau (14)" and region_label(None) == "-"


def test_defanged_addresses_keep_their_path_and_lose_their_link():
    assert defang("https://bkn.go.id/berita/1.html") == "hxxps://bkn[.]go[.]id/berita/1.html"
    assert defang("http://x.example") == "hxxp://x[.]example"
    assert defang("www.facebook.com/budi") == "www[.]facebook[.]com/budi"


def test_a_report_of_an_act_already_reported_says_so_in_subject_and_body():
    group = {"group_id": "g", "lead_case_id": "g", "lead_tracking_code": "NTR-3H8W-K1DM", "size": 4,
             "matched_on": ["phash", "post_url"]}
    _, message = unit_mail(group=group)
    assert message["Subject"].endswith("(laporan ke-4 atas perbuatan yang sama)")
    for body in parts(message):
        assert "laporan ke-4 atas perbuatan yang sama" in body and "NTR-3H8W-K1DM" in body
        assert "tangkapan layar yang hampir sama" in body and "alamat unggahan yang sama" in body


def test_the_first_report_of_an_act_reads_as_any_case():
    lead = {"group_id": "g", "lead_case_id": "g", "lead_tracking_code": "NTR-7K4M-Q2XP", "size": 1,
            "matched_on": []}
    _, message = unit_mail(group=lead)
    assert "perbuatan yang sama" not in message.as_string()


LAW = {"reporter_named": False, "contexts": ["pemilu"], "breach_kinds": ["etika", "disiplin"],
       "conflict_of_interest": {"region_code": "14.03", "office": "bupati", "running_for": "bupati"},
       "legal_basis": [{"source": "pp-94-2021", "article": "Pasal 5 huruf n", "kind": "disiplin"},
                       {"source": "pp-42-2004", "article": "Pasal 15 ayat (1)-(3)", "kind": "etika"}],
       "deadlines": [{"clock": "pemilu-laporan", "start": "2026-11-02", "due": "2026-11-11", "days": 7,
                      "day_kind": "working", "estimate": False},
                     {"clock": "pemilu-tindak-lanjut", "start": "2029-11-20", "due": "2029-11-27", "days": 7,
                      "day_kind": "calendar", "estimate": True}]}


def test_unit_mail_cites_the_basis_the_breach_kind_and_the_statutory_deadlines():
    _, message = unit_mail(**LAW)
    text, html = parts(message)
    for body in (text, html):
        for expected in (
                "Pemilihan umum (Pemilu)", "Pelanggaran kode etik dan kode perilaku; Pelanggaran disiplin PNS",
                "PP 94/2021 Pasal 5 huruf n (Pelanggaran disiplin PNS)",
                "Peraturan Pemerintah Nomor 94 Tahun 2021 tentang Disiplin Pegawai Negeri Sipil",
                "PP 42/2004 Pasal 15 ayat (1)-(3) (Pelanggaran kode etik dan kode perilaku)",
                "Batas penyampaian laporan ke Bawaslu (7 hari kerja sejak diketahui)", "11 November 2026",
                "7 hari kerja, UU 7/2017 Pasal 454 ayat (6)", "27 November 2029", "7 hari, UU 7/2017 Pasal 454 ayat (7)",
                "perkiraan: hari libur tahun itu belum tersedia", "Konflik kepentingan", "(bupati)",
                "diteruskan ke BKN dan Kementerian Dalam Negeri",
                "laporan tidak dapat diregistrasi oleh Bawaslu"):
            assert expected in " ".join(body.split()), expected


def test_unit_mail_of_a_case_without_law_data_says_no_basis_and_claims_nothing():
    text, _ = parts(unit_mail()[1])
    assert "Dasar hukum: -" in text
    assert "Konflik kepentingan" not in text and "Batas waktu" not in text and "Bawaslu (UU" not in text
