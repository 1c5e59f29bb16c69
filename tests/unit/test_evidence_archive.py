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
from tests.support.evidence_store import FakeEvidenceStore

PNG = hostile.author_png()
PDF = hostile.pdf_named_png()
SUBJECT = {"name": "Budi", "nip": None, "position": "Guru", "agency": "Dinas Pendidikan",
           "employer_level": "kabupaten_kota", "region_code": "14.03"}
VIOLATION = {"category": "unggah_dukungan", "platform": "facebook", "post_urls": [],
             "occurred_on": "2026-11-02", "location": None, "description": "Mengunggah dukungan."}


def submitted(complaint_id: str, staged_keys: list[str]) -> dict:
    evidence = [{"index": i, "staged_key": key, "size": 1} for i, key in enumerate(staged_keys)]
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


def test_the_original_is_kept_byte_for_byte_and_units_get_a_clean_copy_beside_it(complaint_id):
    store, published = FakeEvidenceStore(), []
    store.stage(f"{complaint_id}/0", PNG)
    archive(submitted(complaint_id, [f"{complaint_id}/0"]), store, published)

    [event] = published
    [entry] = event["payload"]["files"]
    sha256 = hashlib.sha256(PNG).hexdigest()
    assert {k: entry[k] for k in ("key", "sha256", "size", "media_type")} == {
        "key": f"complaints/{complaint_id}/{sha256}.png", "sha256": sha256, "size": len(PNG),
        "media_type": "image/png"}
    assert store.latest(entry["key"]) == PNG
    copy = store.latest(entry["sanitised"]["key"])
    copy_sha = hashlib.sha256(copy).hexdigest()
    assert entry["sanitised"] == {"key": f"complaints/{complaint_id}/sanitised/{copy_sha}.png",
                                  "sha256": copy_sha, "size": len(copy), "media_type": "image/png"}
    assert hostile.NAME.encode() in PNG and hostile.NAME.encode() not in copy
    for key in (entry["key"], entry["sanitised"]["key"]):
        [version] = store.versions(key)
        assert version["retention"].mode == "GOVERNANCE" and version["content_type"] == "image/png"
        assert (version["retention"].retain_until_date - datetime.now(timezone.utc)).days in (29, 30)


def test_files_are_announced_with_the_derived_event_id_and_pass_through_fields(complaint_id):
    store, published = FakeEvidenceStore(), []
    store.stage(f"{complaint_id}/0", PNG)
    store.stage(f"{complaint_id}/1", PDF)
    archive(submitted(complaint_id, [f"{complaint_id}/0", f"{complaint_id}/1"]), store, published)

    [event] = published
    assert event["event_type"] == "evidence.archived"
    assert event["event_id"] == derived_event_id("evidence.archived", complaint_id)
    assert event["correlation_id"] == complaint_id and event["producer"] == "evidence"
    payload = event["payload"]
    assert payload["subject"] == SUBJECT and payload["violation"] == VIOLATION and payload["rejected"] == []
    assert payload["manifest_key"] == f"complaints/{complaint_id}/manifest.json"
    pdf = payload["files"][1]
    assert pdf["media_type"] == "application/pdf" and pdf["key"].endswith(".pdf")
    assert pdf["sanitised"]["key"].startswith(f"complaints/{complaint_id}/sanitised/")
    assert hostile.EMAIL.encode() not in store.latest(pdf["sanitised"]["key"])
    assert store.staging == {}


def test_manifest_records_both_hashes_and_the_chain_of_custody(complaint_id):
    store, published = FakeEvidenceStore(), []
    store.stage(f"{complaint_id}/0", PNG)
    event = submitted(complaint_id, [f"{complaint_id}/0"])
    archive(event, store, published)

    [version] = store.versions(f"complaints/{complaint_id}/manifest.json")
    manifest = json.loads(version["data"])
    assert version["retention"].mode == "GOVERNANCE"
    assert manifest["complaint_id"] == complaint_id and manifest["tracking_code"] == "NTR-7K4M-Q2XP"
    assert manifest["source_event_id"] == event["event_id"]
    [entry] = manifest["files"]
    assert entry["sha256"] == hashlib.sha256(PNG).hexdigest() and entry["size"] == len(PNG)
    assert entry["sanitised"]["sha256"] == hashlib.sha256(store.latest(entry["sanitised"]["key"])).hexdigest()
    assert entry["staged_key"] == f"{complaint_id}/0" and entry["index"] == 0
    assert datetime.fromisoformat(entry["archived_at"]) <= datetime.fromisoformat(manifest["archived_at"])
    assert "Budi" not in version["data"].decode()  # the manifest is about files, not people


def test_refused_files_are_announced_by_code_and_not_kept_while_the_rest_goes_on(complaint_id):
    store, published = FakeEvidenceStore(), []
    store.stage(f"{complaint_id}/0", b"ini teks biasa, bukan gambar")
    store.stage(f"{complaint_id}/2", PNG)
    store.stage(f"{complaint_id}/3", hostile.png_bomb())
    store.stage(f"{complaint_id}/4", hostile.gif_script())
    keys = [f"{complaint_id}/{i}" for i in range(5)]
    archive(submitted(complaint_id, keys), store, published)

    archived, rejected = published
    expected = [{"index": 0, "reason": "unknown_type"}, {"index": 1, "reason": "not_staged"},
                {"index": 3, "reason": "decompression_bomb"}, {"index": 4, "reason": "active_content"}]
    assert [f["index"] for f in archived["payload"]["files"]] == [2]
    assert archived["payload"]["rejected"] == expected
    assert rejected["event_type"] == "evidence.rejected"
    assert rejected["event_id"] == derived_event_id("evidence.rejected", complaint_id)
    assert rejected["payload"] == {"complaint_id": complaint_id, "tracking_code": "NTR-7K4M-Q2XP",
                                   "rejected": expected}
    [png] = archived["payload"]["files"]
    assert sorted(store.evidence) == sorted([png["key"], png["sanitised"]["key"],
                                             f"complaints/{complaint_id}/manifest.json"])
    assert store.staging == {}


def test_redelivery_writes_nothing_twice_and_republishes_the_same_events(complaint_id):
    store, published = FakeEvidenceStore(), []
    store.stage(f"{complaint_id}/0", PNG)
    event = submitted(complaint_id, [f"{complaint_id}/0", f"{complaint_id}/1"])
    archive(event, store, published)
    first = list(published)
    store.stage(f"{complaint_id}/0", PNG)  # a leftover, as if the first run crashed before clearing staging
    archive(event, store, published)

    again = published[len(first):]
    assert [e["event_id"] for e in again] == [e["event_id"] for e in first]
    assert [e["payload"] for e in again] == [e["payload"] for e in first]
    assert all(len(versions) == 1 for versions in store.evidence.values())
    # The leftover was archived again, but each of its keys was taken: every write was refused, once.
    assert len(store.evidence) == 3 and sorted(store.refused_writes) == sorted(store.evidence)
    assert store.staging == {}


def test_redelivery_after_staging_was_cleared_republishes_from_the_manifest(complaint_id):
    store, published = FakeEvidenceStore(), []
    store.stage(f"{complaint_id}/0", PNG)
    event = submitted(complaint_id, [f"{complaint_id}/0"])
    archive(event, store, published)
    archive(event, store, published)  # the staged object is gone: only the manifest already there can tell

    first, again = published
    assert again["event_id"] == first["event_id"] and again["payload"] == first["payload"]
    assert [f["sha256"] for f in again["payload"]["files"]] == [hashlib.sha256(PNG).hexdigest()]
    assert store.refused_writes == [f"complaints/{complaint_id}/manifest.json"]


def test_crash_before_the_manifest_keeps_each_archived_file_single(complaint_id):
    store, published = FakeEvidenceStore(), []
    store.stage(f"{complaint_id}/0", hostile.gps_jpeg())
    store.stage(f"{complaint_id}/1", hostile.js_pdf())
    event = submitted(complaint_id, [f"{complaint_id}/0", f"{complaint_id}/1"])
    archive(event, store, published)
    store.evidence.pop(f"complaints/{complaint_id}/manifest.json")
    store.stage(f"{complaint_id}/0", hostile.gps_jpeg())
    store.stage(f"{complaint_id}/1", hostile.js_pdf())
    archive(event, store, published)

    assert all(len(versions) == 1 for versions in store.evidence.values())
    assert len(store.evidence) == 5  # two originals, two copies (sanitising is deterministic), one manifest
    assert len(store.refused_writes) == 4
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
    def read_staged(self, key):
        raise ConnectionRefusedError("minio is down")


def test_an_unreachable_store_is_transient_and_publishes_nothing(complaint_id):
    store, published = UnreachableStore(), []
    store.stage(f"{complaint_id}/0", PNG)
    with pytest.raises(ConnectionRefusedError):
        archive(submitted(complaint_id, [f"{complaint_id}/0"]), store, published)
    assert published == [] and store.evidence == {}
    assert list(store.staging) == [f"{complaint_id}/0"]
