"""The citizen's pages as served: the region picker works without JavaScript, nothing is preselected where
a default would misroute, the notices come from the vocabulary and the retention period from the settings."""
import re

import pytest

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


def test_the_english_notice_exists_for_api_clients():
    assert "Article 454(4)" in label("notices", "anonymous_bawaslu", "en")
