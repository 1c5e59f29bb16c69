import hashlib
import json
import uuid
from datetime import datetime, timezone
from types import SimpleNamespace

import pytest
from minio.error import S3Error

from services.common.envelope import derived_event_id
from services.common.worker import Permanent
from services.evidence.archive import NOT_STAGED, UNKNOWN_TYPE, archive_evidence

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + b"\x01" * 40
PDF = b"%PDF-1.7\n1 0 obj\n<<>>\nendobj\n%%EOF\n"
SUBJECT = {"name": "Budi", "nip": None, "position": "Guru", "agency": "Dinas Pendidikan",
           "employer_level": "kabupaten_kota", "region_code": "14.03"}
VIOLATION = {"category": "unggah_dukungan", "platform": "facebook", "post_urls": [],
             "occurred_on": "2026-11-02", "location": None, "description": "Mengunggah dukungan."}


class FakeResponse:
    def __init__(self, data: bytes):
        self.data = data

    def read(self) -> bytes:
        return self.data

    def close(self):
        pass

    def release_conn(self):
        pass


class FakeStore:
    """Buckets as dicts of key -> list of versions; only the calls the archiver makes."""

    def __init__(self):
        self.buckets = {"netra-staging": {}, "netra-evidence": {}}

    def stage(self, key: str, data: bytes) -> None:
        self.buckets["netra-staging"][key] = [{"data": data}]

    def versions(self, key: str) -> list[dict]:
        return self.buckets["netra-evidence"].get(key, [])

    def get_object(self, bucket, key):
        return FakeResponse(self._latest(bucket, key)["data"])

    def stat_object(self, bucket, key):
        return SimpleNamespace(last_modified=self._latest(bucket, key)["at"])

    def put_object(self, bucket, key, data, length, content_type, retention, legal_hold):
        body = data.read()
        assert len(body) == length
        self.buckets[bucket].setdefault(key, []).append(
            {"data": body, "content_type": content_type, "retention": retention,
             "at": datetime.now(timezone.utc)})

    def remove_object(self, bucket, key):
        self.buckets[bucket].pop(key, None)

    def _latest(self, bucket, key):
        if key not in self.buckets[bucket]:
            raise S3Error(None, "NoSuchKey", "Object does not exist", key, None, None, bucket, key)
        return self.buckets[bucket][key][-1]


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


def test_files_are_archived_by_hash_with_retention_and_announced(complaint_id):
    store, published = FakeStore(), []
    store.stage(f"{complaint_id}/0", PNG)
    store.stage(f"{complaint_id}/1", PDF)
    archive(submitted(complaint_id, [f"{complaint_id}/0", f"{complaint_id}/1"]), store, published)

    png_key = f"complaints/{complaint_id}/{hashlib.sha256(PNG).hexdigest()}.png"
    [stored] = store.versions(png_key)
    assert stored["data"] == PNG and stored["content_type"] == "image/png"
    assert stored["retention"].mode == "GOVERNANCE"
    assert (stored["retention"].retain_until_date - datetime.now(timezone.utc)).days in (29, 30)
    [event] = published
    assert event["event_type"] == "evidence.archived"
    assert event["event_id"] == derived_event_id("evidence.archived", complaint_id)
    assert event["correlation_id"] == complaint_id and event["producer"] == "evidence"
    payload = event["payload"]
    assert payload["subject"] == SUBJECT and payload["violation"] == VIOLATION
    assert payload["rejected"] == []
    assert payload["manifest_key"] == f"complaints/{complaint_id}/manifest.json"
    assert payload["files"][0] == {"index": 0, "key": png_key, "sha256": hashlib.sha256(PNG).hexdigest(),
                                   "size": len(PNG), "media_type": "image/png"}
    assert payload["files"][1]["media_type"] == "application/pdf"
    assert payload["files"][1]["key"].endswith(".pdf")
    assert store.buckets["netra-staging"] == {}


def test_manifest_records_the_chain_of_custody(complaint_id):
    store, published = FakeStore(), []
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
    assert entry["staged_key"] == f"{complaint_id}/0" and entry["index"] == 0
    assert datetime.fromisoformat(entry["archived_at"]) <= datetime.fromisoformat(manifest["archived_at"])
    assert "Budi" not in version["data"].decode()  # the manifest is about files, not people


def test_unknown_and_missing_files_are_rejected_and_the_rest_goes_on(complaint_id):
    store, published = FakeStore(), []
    store.stage(f"{complaint_id}/0", b"ini teks biasa, bukan gambar")
    store.stage(f"{complaint_id}/2", PNG)
    keys = [f"{complaint_id}/0", f"{complaint_id}/1", f"{complaint_id}/2"]
    archive(submitted(complaint_id, keys), store, published)

    archived, rejected = published
    expected = [{"index": 0, "reason": UNKNOWN_TYPE}, {"index": 1, "reason": NOT_STAGED}]
    assert NOT_STAGED == "berkas tidak ditemukan di staging"
    assert [f["index"] for f in archived["payload"]["files"]] == [2]
    assert archived["payload"]["rejected"] == expected
    assert rejected["event_type"] == "evidence.rejected"
    assert rejected["event_id"] == derived_event_id("evidence.rejected", complaint_id)
    assert rejected["payload"] == {"complaint_id": complaint_id, "tracking_code": "NTR-7K4M-Q2XP",
                                   "rejected": expected}
    assert list(store.buckets["netra-evidence"]) == [archived["payload"]["files"][0]["key"],
                                                     f"complaints/{complaint_id}/manifest.json"]
    assert store.buckets["netra-staging"] == {}


def test_redelivery_writes_nothing_twice_and_republishes_the_same_events(complaint_id):
    store, published = FakeStore(), []
    store.stage(f"{complaint_id}/0", PNG)
    event = submitted(complaint_id, [f"{complaint_id}/0", f"{complaint_id}/1"])
    archive(event, store, published)
    first = list(published)
    store.stage(f"{complaint_id}/0", PNG)  # a leftover, as if the first run crashed before clearing staging
    archive(event, store, published)

    again = published[len(first):]
    assert [e["event_id"] for e in again] == [e["event_id"] for e in first]
    assert [e["payload"] for e in again] == [e["payload"] for e in first]
    assert all(len(versions) == 1 for versions in store.buckets["netra-evidence"].values())
    assert len(store.buckets["netra-evidence"]) == 2
    assert store.buckets["netra-staging"] == {}


def test_crash_before_the_manifest_keeps_the_archived_file_single(complaint_id):
    store, published = FakeStore(), []
    store.stage(f"{complaint_id}/0", PNG)
    event = submitted(complaint_id, [f"{complaint_id}/0"])
    archive(event, store, published)
    store.buckets["netra-evidence"].pop(f"complaints/{complaint_id}/manifest.json")
    store.stage(f"{complaint_id}/0", PNG)
    archive(event, store, published)

    assert all(len(versions) == 1 for versions in store.buckets["netra-evidence"].values())
    assert published[0]["payload"]["files"] == published[1]["payload"]["files"]


def test_a_complaint_with_only_links_is_still_archived(complaint_id):
    store, published = FakeStore(), []
    archive(submitted(complaint_id, []), store, published)
    [event] = published
    assert event["payload"]["files"] == [] and event["payload"]["rejected"] == []
    assert f"complaints/{complaint_id}/manifest.json" in store.buckets["netra-evidence"]


def test_an_unreadable_payload_is_permanent(complaint_id):
    event = submitted(complaint_id, [])
    del event["payload"]["tracking_code"]
    event["payload"]["complaint_id"] = "../../etc"
    with pytest.raises(Permanent, match="tracking_code"):
        archive(event, FakeStore(), [])


class UnreachableStore(FakeStore):
    def get_object(self, bucket, key):
        raise ConnectionRefusedError("minio is down")


def test_an_unreachable_store_is_transient_and_publishes_nothing(complaint_id):
    store, published = UnreachableStore(), []
    store.stage(f"{complaint_id}/0", PNG)
    with pytest.raises(ConnectionRefusedError):
        archive(submitted(complaint_id, [f"{complaint_id}/0"]), store, published)
    assert published == [] and store.buckets["netra-evidence"] == {}
    assert list(store.buckets["netra-staging"]) == [f"{complaint_id}/0"]
