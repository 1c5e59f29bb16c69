"""The API's error texts: Bahasa Indonesia when the client asks `Accept-Language: id`, English otherwise.

Field keys stay as they are; every message intake or marshmallow writes has an Indonesian wording.
"""
import json

import pytest

from services.intake.app import create_app
from services.intake.settings import IntakeSettings
from services.intake.wording import FALLBACK_MESSAGE, FALLBACK_TITLE, message_in
from tests.support.complaints import complaint
from tests.support.intake_fakes import FakeRepository, FakeStore


@pytest.fixture
def client():
    settings = IntakeSettings(database_url="sqlite://", rate_limits_enabled=False, log_format="json")
    return create_app(settings, repository=FakeRepository(), store=FakeStore()).test_client()


def broken_complaint() -> dict:
    document = complaint()
    document["subject"].update(nip="123", region_code="99.99", employer_level="desa")
    document["reporter"] = {"email": "bukan-email", "phone": "abc"}
    document["violation"].update(occurred_on="2999-01-01", description="pendek", post_urls=["ftp://x"])
    document["violation"].pop("category")
    document["declaration"] = False
    document["extra"] = 1
    return document


def test_indonesian_is_answered_when_asked_with_the_same_field_keys(client):
    english = client.post("/api/v1/complaints", json=broken_complaint())
    indonesian = client.post("/api/v1/complaints", json=broken_complaint(), headers={"Accept-Language": "id"})
    assert english.status_code == indonesian.status_code == 422
    assert set(english.json["errors"]) == set(indonesian.json["errors"])
    assert english.json["title"] == "Invalid complaint"
    assert indonesian.json["title"] == "Pengaduan belum lengkap atau ada isian yang salah"
    assert indonesian.headers["Content-Language"] == "id" and english.headers["Content-Language"] == "en"
    errors = indonesian.json["errors"]
    assert errors["subject.nip"] == ["NIP harus tepat 18 angka."]
    assert errors["violation.category"] == ["Wajib diisi."]
    assert errors["violation.occurred_on"] == ["Tanggal tidak boleh setelah hari ini."]
    assert errors["declaration"] == ["Centang pernyataan bahwa laporan ini benar."]
    assert errors["violation.description"] == ["Panjang harus antara 10 dan 5000 karakter."]
    every = [m for messages in errors.values() for m in messages] + [indonesian.json["detail"]]
    assert FALLBACK_MESSAGE not in every, json.dumps(indonesian.json, ensure_ascii=False)


def test_a_browser_language_list_preferring_indonesian_gets_indonesian(client):
    answer = client.post("/api/v1/complaints", json={"subject": {}},
                         headers={"Accept-Language": "id-ID,id;q=0.9,en-US;q=0.8"})
    assert answer.json["errors"]["violation"] == ["Wajib diisi."]
    english_first = client.post("/api/v1/complaints", json={"subject": {}}, headers={"Accept-Language": "en,id"})
    assert english_first.json["errors"]["violation"] == ["Missing data for required field."]


def test_unreadable_and_unsupported_bodies_are_worded_too(client):
    unreadable = client.post("/api/v1/complaints", data="{", content_type="application/json",
                             headers={"Accept-Language": "id"})
    assert (unreadable.status_code, unreadable.json["detail"]) == (400, "Dokumen pengaduan bukan JSON yang valid.")
    plain = client.post("/api/v1/complaints", data="x", content_type="text/plain", headers={"Accept-Language": "id"})
    assert plain.status_code == 415 and plain.json["title"] == "Format kiriman tidak didukung"


@pytest.mark.parametrize("english, indonesian", [
    ("At most 10 evidence files.", "Paling banyak 10 berkas bukti."),
    ("Storage is unavailable; retry shortly (ab12cd34).",
     "Penyimpanan sedang tidak tersedia. Pengaduan belum diterima; coba lagi sebentar lagi (kode ab12cd34)."),
    ("Longer than maximum length 200.", "Terlalu panjang: maksimal 200 karakter."),
    ("Something nobody wrote a wording for.", FALLBACK_MESSAGE),
])
def test_messages_keep_their_numbers(english, indonesian):
    assert message_in(english, "id") == indonesian
    assert message_in(english, "en") == english


def test_an_unknown_title_is_not_shown_in_english():
    from services.intake.wording import title_in
    assert title_in("I'm a teapot", "id") == FALLBACK_TITLE
