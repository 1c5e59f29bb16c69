from datetime import datetime, timezone

from jinja2 import meta

from services.notify.events import CaseRouted
from services.notify.mail import (_templates, evidence_rejected_message, reporter_ack_message,
                                  unit_case_message)
from services.notify.wording import category_label, file_size, long_date, region_label
from tests.support import notify_events

EXPIRES = datetime(2026, 11, 10, tzinfo=timezone.utc)
REPORTER = {"name": "Siti Pelapor Rahasia", "email": "siti.pelapor@example.com", "phone": "081234567890",
            "ip": "203.0.113.9"}


def unit_mail(**extra):
    case = CaseRouted().load(notify_events.case_routed(**extra)["payload"])
    links = {f["key"]: f"https://store.test/{f['key']}?X-Amz-Signature=abc&X-Amz-Expires=604800"
             for f in case["files"]}
    return case, unit_case_message(case, links, EXPIRES, "Netra <netra@localhost>")


def parts(message):
    return (message.get_body(("plain",)).get_content(), message.get_body(("html",)).get_content())


def test_unit_mail_tells_the_unit_everything_about_the_case():
    case, message = unit_mail()
    text, html = parts(message)
    for body in (text, html):
        for expected in ("NTR-7K4M-Q2XP", case["case_id"], "Mengunggah dukungan kepada calon atau partai politik",
                         "Facebook", "https://www.facebook.com/andi.saputra/posts/123", "2 November 2026",
                         "Bengkalis", "Andi Saputra", "198001012005011001", "Kepala Seksi Kurikulum",
                         "Dinas Pendidikan Kabupaten Bengkalis", "Kabupaten Bengkalis, Riau (14.03)",
                         "Pemerintah kabupaten/kota", "pasangan calon nomor 2", "kabupaten_kota-default",
                         "kesbangpol@14.03", "kesbangpol@14", "tidak ada unit di wilayah tersebut", "ab" * 32,
                         "image/png", "120,6 KB",
                         "10 November 2026", "Identitas pelapor dirahasiakan"):
            assert expected in body
    assert "https://store.test/" in text and "X-Amz-Signature=abc&X-Amz-Expires" in text
    assert "X-Amz-Signature=abc&amp;X-Amz-Expires" in html


def test_unit_mail_goes_to_the_primary_unit_and_names_the_copies():
    case, message = unit_mail()
    assert message["To"] == "BKPSDM Kabupaten Bengkalis <bkpsdm-14.03@unit.netra.invalid>"
    assert message["Cc"] is None and "Tembusan: Bawaslu Kabupaten Bengkalis" in parts(message)[0]
    assert message["Message-ID"] == f"<case-{case['case_id']}@netra>"
    assert str(message["Subject"]) == ("[Netra] Pengaduan netralitas ASN NTR-7K4M-Q2XP — "
                                       "Mengunggah dukungan kepada calon atau partai politik")
    assert message.get_content_type() == "multipart/alternative"


def test_copy_units_get_their_own_mail():
    case = CaseRouted().load(notify_events.case_routed()["payload"])
    message = unit_case_message(case, {f["key"]: "https://store.test/x" for f in case["files"]}, EXPIRES,
                                "Netra <netra@localhost>", for_copies=True)
    assert message["To"] == "Bawaslu Kabupaten Bengkalis <bawaslu-14.03@unit.netra.invalid>"
    assert message["Message-ID"] == f"<copies-{case['case_id']}@netra>"
    assert str(message["Subject"]).startswith("[Netra] Tembusan: Pengaduan netralitas ASN")


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
        assert names <= {"unit_name", "copy_names", "tracking_code", "case_id", "subject", "violation", "files",
                         "links_expire_on", "matched_rule", "fallback", "title"}


def test_html_part_escapes_what_the_complaint_says():
    case = CaseRouted().load(notify_events.case_routed()["payload"])
    case["violation"]["description"] = "<script>alert(1)</script>"
    case["violation"]["post_urls"] = ["javascript:alert(2)"]
    _, html = parts(unit_case_message(case, {f["key"]: "https://s/x" for f in case["files"]}, EXPIRES, "n@l"))
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert 'href="javascript' not in html


def test_unit_mail_without_files_says_so():
    case, message = unit_mail(files=[])
    text, _ = parts(message)
    assert "Tidak ada berkas bukti yang diarsipkan" in text


def test_reporter_ack_explains_how_to_follow_the_case():
    message = reporter_ack_message("NTR-AAAA-BBBB", "2026-11-02T08:00:00+00:00", "siti@example.com",
                                   complaint_id="c-1", public_url="https://netra.example.go.id/",
                                   mail_from="Netra <netra@localhost>")
    text, html = parts(message)
    assert message["To"] == "siti@example.com"
    assert message["Message-ID"] == "<ack-c-1@netra>"
    for body in (text, html):
        assert "NTR-AAAA-BBBB" in body
        assert "telah kami terima pada 2 November 2026" in body
        assert "https://netra.example.go.id/api/v1/complaints/NTR-AAAA-BBBB" in body
        assert "X-Receipt" in body
        assert "Identitas Anda dirahasiakan" in body


def test_evidence_rejected_notice_lists_files_by_their_number():
    message = evidence_rejected_message("NTR-AAAA-BBBB", [{"index": 2, "reason": "berkas rusak"},
                                                          {"index": 0, "reason": "jenis berkas tidak diizinkan"}],
                                        "siti@example.com", complaint_id="c-1", public_url="http://x",
                                        mail_from="n@l")
    text, html = parts(message)
    assert text.index("Berkas ke-1: jenis berkas tidak diizinkan") < text.index("Berkas ke-3: berkas rusak")
    assert "Berkas ke-3: berkas rusak" in html
    assert "tidak dapat diterima" in str(message["Subject"])


def test_wording_reads_indonesian():
    assert category_label("fasilitas_negara") == "Menggunakan fasilitas atau anggaran negara untuk kampanye"
    assert category_label("kategori_baru") == "kategori_baru"
    assert long_date("2026-08-17") == "17 Agustus 2026"
    assert file_size(1536) == "1,5 KB" and file_size(12) == "12 bita"
    assert region_label("14") == "Riau (14)" and region_label(None) == "-"
