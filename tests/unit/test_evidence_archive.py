"""The archiving handler with an in-memory store: what is kept, what units get, what is announced."""
import hashlib
import json
import uuid
from datetime import datetime, timezone

import pytest

from services.common.envelope import derived_event_id
from services.common.worker import Permanent
from services.evidence.archive import archive_evidence
from tests.support import hostile
from tests.support.evidence_store import FakeEvidenceStore, received

PNG = hostile.author_png()
PDF = hostile.pdf_named_png()
SUBJECT = {"name": "Budi", "nip": None, "position": "Guru", "agency": "Dinas Pendidikan",
           "employer_level": "kabupaten_kota", "region_code": "14.03"}
VIOLATION = {"category": "unggah_dukungan", "platform": "facebook", "post_urls": [],
             "occurred_on": "2026-11-02", "location": None, "description": "Mengunggah dukungan."}


def submitted(complaint_id: str, evidence: list[dict]) -> dict:
    return {"event_id": str(uuid.uuid4()), "event_type": "complaint.submitted", "schema_version": 1,
            "occurred_at": "2026-11-03T01:00:00+00:00", "correlation_id": complaint_id, "producer": "intake",
            "payload": {"complaint_id": complaint_id, "tracking_code": "NTR-7K4M-Q2XP",
                        "submitted_at": "2026-11-03T01:00:00+00:00", "subject": SUBJECT, "violation": VIOLATION,
                        "evidence": evidence, "reporter_contact": None, "something_new": 1}}


def archive(event, store, published):
    archive_evidence(event, store, published.append, retention_days=30, retention_mode="GOVERNANCE")


@pytest.fixture
def complaint_id():
    return str(uuid.uuid4())


def test_the_original_intake_wrote_is_checked_and_units_get_a_clean_copy_beside_it(complaint_id):
    store, published = FakeEvidenceStore(), []
    archive(submitted(complaint_id, received(store, complaint_id, [PNG])), store, published)

    [event] = published
    [entry] = event["payload"]["files"]
    sha256 = hashlib.sha256(PNG).hexdigest()
    assert {k: entry[k] for k in ("key", "sha256", "size", "media_type")} == {
        "key": f"complaints/{complaint_id}/{sha256}.png", "sha256": sha256, "size": len(PNG),
        "media_type": "image/png"}
    [kept] = store.versions(entry["key"])
    assert kept["data"] == PNG and kept["retention"] == "intake's retention"  # evidence never wrote it again
    copy = store.latest(entry["sanitised"]["key"])
    copy_sha = hashlib.sha256(copy).hexdigest()
    assert entry["sanitised"] == {"key": f"complaints/{complaint_id}/sanitised/{copy_sha}.png",
                                  "sha256": copy_sha, "size": len(copy), "media_type": "image/png"}
    assert hostile.NAME.encode() in PNG and hostile.NAME.encode() not in copy
    [version] = store.versions(entry["sanitised"]["key"])
    assert version["retention"].mode == "GOVERNANCE" and version["content_type"] == "image/png"
    assert (version["retention"].retain_until_date - datetime.now(timezone.utc)).days in (29, 30)


def test_files_are_announced_with_the_derived_event_id_and_pass_through_fields(complaint_id):
    store, published = FakeEvidenceStore(), []
    archive(submitted(complaint_id, received(store, complaint_id, [PNG, PDF])), store, published)

    [event] = published
    assert event["event_type"] == "evidence.archived"
    assert event["event_id"] == derived_event_id("evidence.archived", complaint_id)
    assert event["correlation_id"] == complaint_id and event["producer"] == "evidence"
    payload = event["payload"]
    assert payload["subject"] == SUBJECT and payload["violation"] == VIOLATION and payload["rejected"] == []
    assert payload["manifest_key"] == f"complaints/{complaint_id}/manifest.json"
    pdf = payload["files"][1]
    assert pdf["media_type"] == "application/pdf"
    assert pdf["sanitised"]["key"].startswith(f"complaints/{complaint_id}/sanitised/")
    assert pdf["sanitised"]["key"].endswith(".pdf")
    assert hostile.EMAIL.encode() not in store.latest(pdf["sanitised"]["key"])


def test_manifest_records_both_hashes_and_the_chain_of_custody(complaint_id):
    store, published = FakeEvidenceStore(), []
    event = submitted(complaint_id, received(store, complaint_id, [PNG]))
    archive(event, store, published)

    [version] = store.versions(f"complaints/{complaint_id}/manifest.json")
    manifest = json.loads(version["data"])
    assert version["retention"].mode == "GOVERNANCE"
    assert manifest["complaint_id"] == complaint_id and manifest["tracking_code"] == "NTR-7K4M-Q2XP"
    assert manifest["source_event_id"] == event["event_id"]
    [entry] = manifest["files"]
    assert entry["sha256"] == hashlib.sha256(PNG).hexdigest() and entry["size"] == len(PNG)
    assert entry["sanitised"]["sha256"] == hashlib.sha256(store.latest(entry["sanitised"]["key"])).hexdigest()
    assert entry["index"] == 0 and "staged_key" not in entry
    received_at = store.versions(entry["key"])[0]["at"]
    assert datetime.fromisoformat(entry["archived_at"]) == received_at  # custody from intake's write
    assert received_at <= datetime.fromisoformat(manifest["archived_at"])
    assert "Budi" not in version["data"].decode()  # the manifest is about files, not people


def test_refused_files_stay_locked_as_received_never_shown_and_the_manifest_says_why(complaint_id):
    store, published = FakeEvidenceStore(), []
    files = [b"ini teks biasa, bukan gambar", (PNG + b"never written",), PNG, hostile.png_bomb(),
             hostile.gif_script()]
    event = submitted(complaint_id, received(store, complaint_id, files))
    archive(event, store, published)

    archived, rejected = published
    expected = [{"index": 0, "reason": "unknown_type"}, {"index": 1, "reason": "not_stored"},
                {"index": 3, "reason": "decompression_bomb"}, {"index": 4, "reason": "active_content"}]
    assert [f["index"] for f in archived["payload"]["files"]] == [2]
    assert archived["payload"]["rejected"] == expected
    assert rejected["event_type"] == "evidence.rejected"
    assert rejected["event_id"] == derived_event_id("evidence.rejected", complaint_id)
    assert rejected["payload"] == {"complaint_id": complaint_id, "tracking_code": "NTR-7K4M-Q2XP",
                                   "rejected": expected}
    [png] = archived["payload"]["files"]
    refused_originals = [item["key"] for n, item in enumerate(event["payload"]["evidence"]) if n in (0, 3, 4)]
    assert sorted(store.evidence) == sorted([png["key"], png["sanitised"]["key"], *refused_originals,
                                             f"complaints/{complaint_id}/manifest.json"])
    manifest = json.loads(store.latest(f"complaints/{complaint_id}/manifest.json"))
    assert [(r["index"], r["key"], r["sha256"], r["reason"]) for r in manifest["rejected"]] == [
        (r["index"], item["key"], item["sha256"], r["reason"])
        for r, item in zip(expected, [event["payload"]["evidence"][n] for n in (0, 1, 3, 4)])]


def test_a_key_that_does_not_hold_the_named_original_is_refused_and_nothing_is_copied(complaint_id):
    store, published = FakeEvidenceStore(), []
    [item] = received(store, complaint_id, [PNG])
    other = str(uuid.uuid4())
    [elsewhere] = received(store, other, [PDF])  # another complaint's file
    wrong_hash = {**item, "index": 1, "sha256": "0" * 64}
    archive(submitted(complaint_id, [wrong_hash, {**elsewhere, "index": 2}]), store, published)

    [archived, rejected] = published
    assert archived["payload"]["files"] == []
    assert rejected["payload"]["rejected"] == [{"index": 1, "reason": "not_the_original"},
                                               {"index": 2, "reason": "not_stored"}]
    assert not any("/sanitised/" in key for key in store.evidence)


def test_redelivery_writes_nothing_twice_and_republishes_the_same_events(complaint_id):
    store, published = FakeEvidenceStore(), []
    event = submitted(complaint_id, received(store, complaint_id, [PNG, (PDF,)]))
    archive(event, store, published)
    first = list(published)
    archive(event, store, published)

    again = published[len(first):]
    assert [e["event_id"] for e in again] == [e["event_id"] for e in first]
    assert [e["payload"] for e in again] == [e["payload"] for e in first]
    assert all(len(versions) == 1 for versions in store.evidence.values())
    # The copy and the manifest were written again and refused, once each; the original was never written.
    copy = first[0]["payload"]["files"][0]["sanitised"]["key"]
    assert sorted(store.refused_writes) == sorted([copy, f"complaints/{complaint_id}/manifest.json"])


def test_crash_before_the_manifest_keeps_each_archived_file_single(complaint_id):
    store, published = FakeEvidenceStore(), []
    event = submitted(complaint_id, received(store, complaint_id, [hostile.gps_jpeg(), hostile.js_pdf()]))
    archive(event, store, published)
    store.evidence.pop(f"complaints/{complaint_id}/manifest.json")
    archive(event, store, published)

    assert all(len(versions) == 1 for versions in store.evidence.values())
    assert len(store.evidence) == 5  # two originals, two copies (sanitising is deterministic), one manifest
    assert len(store.refused_writes) == 2
    assert published[0]["payload"]["files"] == published[1]["payload"]["files"]


def test_a_complaint_with_only_links_is_still_archived(complaint_id):
    store, published = FakeEvidenceStore(), []
    archive(submitted(complaint_id, []), store, published)
    [event] = published
    assert event["payload"]["files"] == [] and event["payload"]["rejected"] == []
    assert f"complaints/{complaint_id}/manifest.json" in store.evidence


def test_an_unreadable_payload_is_permanent(complaint_id):
    event = submitted(complaint_id, [])
    del event["payload"]["tracking_code"]
    event["payload"]["complaint_id"] = "../../etc"
    with pytest.raises(Permanent, match="tracking_code"):
        archive(event, FakeEvidenceStore(), [])


class UnreachableStore(FakeEvidenceStore):
    def read_original(self, key):
        raise ConnectionRefusedError("minio is down")


def test_an_unreachable_store_is_transient_and_publishes_nothing(complaint_id):
    store, published = UnreachableStore(), []
    items = received(store, complaint_id, [PNG])
    with pytest.raises(ConnectionRefusedError):
        archive(submitted(complaint_id, items), store, published)
    assert published == [] and list(store.evidence) == [items[0]["key"]]
