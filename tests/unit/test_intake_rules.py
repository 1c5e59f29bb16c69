"""intake's validation and timeline rules, without any server."""
from datetime import date, timedelta

import pytest
from marshmallow import ValidationError

from services.intake.problems import flatten
from services.intake.schemas import load_complaint
from services.intake.staging import media_type_of
from services.intake.status import timeline_entry
from tests.support.complaints import complaint, png_bytes


def errors_of(document, evidence_count=0):
    with pytest.raises(ValidationError) as caught:
        load_complaint(document, evidence_count)
    return flatten(caught.value.messages)


def test_a_good_complaint_loads():
    data = load_complaint(complaint(), 0)
    assert data["subject"]["region_code"] == "14.03"
    assert data["violation"]["occurred_on"] == date.today() - timedelta(days=3)


def test_every_error_is_reported_at_once():
    document = complaint()
    document["subject"]["nip"] = "123"
    document["violation"]["category"] = "memilih"
    document["declaration"] = False
    assert set(errors_of(document)) == {"subject.nip", "violation.category", "declaration"}


def test_region_is_required_unless_central_and_must_exist():
    assert "subject.region_code" in errors_of(complaint(region_code=None))
    assert load_complaint(complaint(region_code=None, employer_level="pusat"), 0)
    assert "subject.region_code" in errors_of(complaint(region_code="14.03.01"))
    for code in ("14", "19", "52", "31", "62.10"):
        assert load_complaint(complaint(region_code=code), 0)


def test_evidence_or_url_is_required():
    document = complaint(post_urls=[])
    assert "evidence" in errors_of(document)
    assert load_complaint(document, evidence_count=1)


def test_unknown_fields_are_refused_by_name():
    document = complaint()
    document["subject"]["salary"] = 1
    assert "subject.salary" in errors_of(document)


def test_media_type_comes_from_bytes():
    assert media_type_of(png_bytes()[:16]) == "image/png"
    assert media_type_of(b"\xff\xd8\xff\xe0rest") == "image/jpeg"
    assert media_type_of(b"RIFF\x10\x00\x00\x00WEBPVP8 ") == "image/webp"
    assert media_type_of(b"%PDF-1.7\n") == "application/pdf"
    assert media_type_of(b"hello, I am text") is None


def event(kind, **payload):
    return {"event_type": kind, "payload": {"complaint_id": "c", **payload}}


def test_timeline_statuses_come_from_events():
    routed = {"primary": {"name": "BKPSDM Kabupaten Bengkalis"}, "copies": []}
    assert timeline_entry(event("case.routed", units=routed)) == ("routed", "BKPSDM Kabupaten Bengkalis")
    assert timeline_entry(event("notification.sent", recipient_kind="unit"))[0] == "unit_notified"
    assert timeline_entry(event("notification.sent", recipient_kind="reporter")) is None
    assert timeline_entry(event("evidence.archived", files=[{}, {}]))[0] == "evidence_archived"
