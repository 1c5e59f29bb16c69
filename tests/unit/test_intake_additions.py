"""Evidence added from /lacak on intake's HTTP edge with in-memory parts: stored like the form's files, one
complaint.evidence_added event with a timeline entry, and clear refusals (type, quota, count) that keep nothing."""
import hashlib
import io
import re

import pytest

from services.intake.app import create_app
from services.intake.settings import IntakeSettings
from tests.support.complaints import png_bytes
from tests.support.contracts import assert_matches_example
from tests.support.intake_fakes import FakeRepository, FakeStore
from tests.support.tracking_fakes import FakeTracking

CODE, RECEIPT, COMPLAINT = "NTR-7K4M-Q2XP", "rahasia-tanda-terima-yang-panjang", "7c9e6679-7425-40de-944b-e07fc1f90ae7"


@pytest.fixture
def parts():
    tracking, repository, store = FakeTracking(), FakeRepository(), FakeStore()
    tracking.add_complaint(COMPLAINT, CODE, RECEIPT)
    return tracking, repository, store


def client_for(parts, **settings):
    tracking, repository, store = parts
    app = create_app(IntakeSettings(database_url="sqlite://", rate_limits_enabled=False, **settings),
                     repository=repository, store=store, tracking=tracking)
    return app.test_client()


def add(client, *files, receipt=RECEIPT):
    form_token = re.search(r'name="token" value="([^"]+)"', client.get("/lacak").text).group(1)
    data = {"token": form_token, "kode": CODE, "tanda_terima": receipt,
            "bukti": [(io.BytesIO(content), name) for name, content in files]}
    return client.post("/lacak/bukti", data=data, content_type="multipart/form-data")


def test_the_case_page_offers_a_file_input_like_the_form(parts):
    client = client_for(parts)
    form_token = re.search(r'name="token" value="([^"]+)"', client.get("/lacak").text).group(1)
    page = client.post("/lacak", data={"token": form_token, "kode": CODE, "tanda_terima": RECEIPT}).text
    assert 'action="/lacak/bukti"' in page and 'enctype="multipart/form-data"' in page
    assert 'accept="image/png,image/jpeg,image/webp,image/gif,application/pdf"' in page


def test_a_file_is_stored_under_its_content_address_and_announced_with_a_timeline_entry(parts):
    tracking, repository, store = parts
    page = add(client_for(parts), ("tangkapan.png", png_bytes(3)), ("surat.pdf", b"%PDF-1.7\n" + b"x" * 50))
    assert page.status_code == 200 and "2 berkas bukti terkirim" in page.text
    assert "Pelapor menambahkan bukti" in page.text
    [event] = tracking.events
    assert_matches_example(event, "complaint.evidence_added")
    pdf = b"%PDF-1.7\n" + b"x" * 50
    shas = [hashlib.sha256(data).hexdigest() for data in (png_bytes(3), pdf)]
    assert event["payload"]["evidence"] == [
        {"index": 0, "key": f"complaints/{COMPLAINT}/{shas[0]}.png", "sha256": shas[0], "size": len(png_bytes(3))},
        {"index": 1, "key": f"complaints/{COMPLAINT}/{shas[1]}.pdf", "sha256": shas[1], "size": len(pdf)}]
    assert store.objects[f"complaints/{COMPLAINT}/{shas[0]}.png"] == png_bytes(3)
    assert sum(repository.quota.values()) == len(png_bytes(3)) + 59
    assert RECEIPT not in str(event) and "tangkapan" not in str(event)


def test_an_unknown_type_is_refused_with_a_clear_message_and_nothing_kept(parts):
    tracking, repository, store = parts
    page = add(client_for(parts), ("skrip.png", b"#!/bin/sh\nrm -rf /\n"))
    assert page.status_code == 422
    assert "Jenis berkas tidak diterima" in page.text and 'aria-invalid="true"' in page.text
    assert tracking.events == [] and store.objects == {} and sum(repository.quota.values()) == 0


def test_the_daily_quota_refuses_with_a_clear_message(parts):
    tracking, repository, store = parts
    page = add(client_for(parts, daily_evidence_quota_bytes=10), ("tangkapan.png", png_bytes(3)))
    assert page.status_code == 422 and "Kapasitas penyimpanan bukti untuk hari ini sudah penuh" in page.text
    assert tracking.events == [] and store.objects == {}


def test_more_files_than_the_form_allows_are_refused(parts):
    page = add(client_for(parts, max_files=1), ("a.png", png_bytes(1)), ("b.png", png_bytes(2)))
    assert page.status_code == 422 and "paling banyak 1 berkas" in page.text
    assert parts[0].events == []


def test_no_file_and_a_wrong_receipt_add_nothing(parts):
    client = client_for(parts)
    assert "Pilih setidaknya satu berkas" in add(client).text
    assert add(client, ("a.png", png_bytes(1)), receipt="salah").status_code == 404
    assert parts[0].events == [] and parts[2].objects == {}


def test_an_unreachable_store_keeps_nothing_and_releases_the_quota(parts):
    tracking, repository, store = parts
    store.down = True
    page = add(client_for(parts), ("a.png", png_bytes(1)))
    assert page.status_code == 503 and tracking.events == [] and sum(repository.quota.values()) == 0
