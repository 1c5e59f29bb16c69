"""The citizen's pages as served: the region picker works without JavaScript, nothing is preselected where
a default would misroute, the notices come from the vocabulary and the retention period from the settings."""
import json
import re

import pytest

from services.common.sealing import Opener
from services.common.settings import DEV_IDENTITY_PRIVATE_KEY
from services.intake.app import create_app
from services.intake.settings import IntakeSettings
from services.reference.vocabulary import label
from tests.support.intake_fakes import FakeRepository, FakeStore


def client_with(**overrides):
    settings = IntakeSettings(database_url="sqlite://", rate_limits_enabled=False, log_format="json", **overrides)
    return create_app(settings, repository=FakeRepository(), store=FakeStore()).test_client()


@pytest.fixture
def page():
    return client_with(max_files=7, max_body_bytes=5 * 1024 * 1024).get("/").get_data(as_text=True)


def test_every_province_is_an_optgroup_with_itself_and_its_regencies(page):
    picker = re.search(r'<select id="f-subject-region_code".*?</select>', page, re.S).group(0)
    assert picker.count("<optgroup") == 38
    riau = re.search(r'<optgroup label="Riau">(.*?)</optgroup>', picker, re.S).group(1)
    assert '<option value="14">Riau — seluruh provinsi</option>' in riau
    assert '<option value="14.03">Kabupaten Bengkalis</option>' in riau
    assert "selected" not in picker


def test_employer_level_has_plain_words_hints_and_no_default(page):
    radios = re.findall(r'<input type="radio"[^>]*name="subject.employer_level"[^>]*>', page, re.S)
    assert len(radios) == 3 and not any("checked" in radio for radio in radios)
    assert label("employer_levels", "provinsi") in page and "guru SMA/SMK negeri" in page


def test_each_category_shows_one_example_and_the_evidence_input_its_limits(page):
    assert page.count('name="violation.category"') == 10 and page.count("Contoh: ") == 10
    evidence = re.search(r'<input id="f-evidence"[^>]*>', page, re.S).group(0)
    assert 'accept="image/png,image/jpeg,image/webp,image/gif,application/pdf"' in evidence
    assert 'data-max-files="7"' in evidence and f'data-max-bytes="{5 * 1024 * 1024}"' in evidence
    assert "paling banyak 7 berkas" in page and "5 MB" in page


def test_the_anonymity_notice_and_the_privacy_summary_are_on_the_form(page):
    assert label("notices", "anonymous_bawaslu") in page and "UU 7/2017 Pasal 454 ayat 4" in page
    assert "Kontak Anda dihapus 90 hari setelah pengaduan selesai" in page
    assert '<a href="/privasi">' in page and '<a href="/lacak">' in page


def test_the_privacy_notice_shows_the_configured_retention():
    answer = client_with(contact_retention_days=30).get("/privasi")
    text = answer.get_data(as_text=True)
    assert answer.status_code == 200 and "<strong>30 hari</strong>" in text and "UU 27/2022" in text
    assert "custodian" not in text.lower() or "petugas penjaga identitas" in text
    assert answer.headers["Content-Security-Policy"].startswith("default-src 'self'")


def test_the_privacy_notice_names_the_configured_data_controller_and_promises_deleting_name_and_contact():
    text = client_with(data_controller="Badan Kepegawaian Daerah Provinsi Riau",
                       data_controller_contact="ppid@bkd.riau.go.id").get("/privasi").get_data(as_text=True)
    assert '<strong id="pengendali-data">Badan Kepegawaian Daerah Provinsi Riau</strong>' in text
    assert '<span id="kontak-pengendali">ppid@bkd.riau.go.id</span>' in text
    assert "Nama dan kontak Anda dihapus <strong>90 hari</strong>" in text


def test_the_english_notice_exists_for_api_clients():
    assert "Article 454(4)" in label("notices", "anonymous_bawaslu", "en")


FORM = {"idempotency_key": "8d0c6f2e-5b7a-4a3e-9a51-2f1c1f0a9b11", "subject.name": "Budi Santoso",
        "subject.agency": "Dinas Pendidikan Kabupaten Bengkalis", "subject.employer_level": "kabupaten_kota",
        "subject.region_code": "14.03", "violation.category": "foto_simbol_paslon", "violation.platform": "facebook",
        "violation.post_urls": "https://www.facebook.com/budi/posts/1", "violation.occurred_on": "2026-11-02",
        "violation.description": "Berfoto dengan calon bupati sambil mengacungkan dua jari.", "declaration": "ya",
        "reporter.name": "", "reporter.email": ""}


def posting():
    repository = FakeRepository()
    settings = IntakeSettings(database_url="sqlite://", rate_limits_enabled=False, log_format="json")
    return create_app(settings, repository=repository, store=FakeStore()).test_client(), repository


def test_without_javascript_the_form_posts_and_the_page_shows_the_code_once_for_a_repeat():
    client, repository = posting()
    first = client.post("/", data=FORM, content_type="multipart/form-data")
    again = client.post("/", data=FORM, content_type="multipart/form-data")  # the same form load, sent twice
    assert first.status_code == again.status_code == 200
    (code,) = repository.accepted
    page = first.get_data(as_text=True)
    assert f'<code id="kode">{code}</code>' in page and code in again.get_data(as_text=True)
    assert first.headers["Cache-Control"] == "no-store"
    assert re.search(r'id="waktu-kirim">\d\d/\d\d/20\d\d \d\d\.\d\d WIB<', page)  # the printed receipt's date
    assert '<strong id="alamat-lacak">http://127.0.0.1:8080/lacak</strong>' in page
    saved = repository.accepted[code]
    assert saved.identity_token is None and saved.event["payload"]["subject"]["region_code"] == "14.03"


def test_without_javascript_errors_come_back_next_to_the_fields_with_the_values_kept():
    client, repository = posting()
    answer = client.post("/", data={**FORM, "subject.nip": "123", "subject.employer_level": "", "declaration": ""},
                         content_type="multipart/form-data")
    page = answer.get_data(as_text=True)
    assert answer.status_code == 422 and repository.accepted == {}
    assert '<p class="galat" id="e-subject-nip">NIP harus tepat 18 angka.</p>' in page
    assert re.search(r'id="f-subject-nip"[^>]*value="123"[^>]*aria-invalid="true"', page, re.S)
    assert '<p class="galat" id="e-subject-employer_level">Wajib diisi.</p>' in page
    assert "<a href=\"#f-subject-nip\">NIP: NIP harus tepat 18 angka.</a>" in page
    assert '<option value="14.03" selected>Kabupaten Bengkalis</option>' in page
    assert "Centang pernyataan" in page and FORM["idempotency_key"] in page  # nothing was accepted: the same key goes with the corrected form


def test_the_form_asks_a_named_reporter_for_an_address_and_seals_it_with_the_name(page):
    assert 'id="f-reporter-address" name="reporter.address"' in page and "Pasal 454 ayat (4)" in page
    client, repository = posting()
    named = {**FORM, "reporter.name": "Siti Rahmawati", "reporter.email": "siti@example.org",
             "reporter.address": "Jl. Sudirman No. 17, Pekanbaru"}
    assert client.post("/", data=named, content_type="multipart/form-data").status_code == 200
    [saved] = repository.accepted.values()
    opened = Opener.from_texts([DEV_IDENTITY_PRIVATE_KEY]).open(saved.identity_token)
    assert opened == {"name": "Siti Rahmawati", "address": "Jl. Sudirman No. 17, Pekanbaru",
                      "email": "siti@example.org"}
    assert "Sudirman" not in json.dumps(saved.event)
