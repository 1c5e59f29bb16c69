"""The evidence worker against the real MinIO and RabbitMQ: each test uses its own vhost and complaint id."""
import functools
import hashlib
import json
import threading
import uuid
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from datetime import datetime, timedelta, timezone

import pytest
from kombu import Queue
from minio.commonconfig import GOVERNANCE
from minio.deleteobjects import DeleteObject
from minio.error import S3Error
from minio.retention import Retention

from services.common.envelope import derived_event_id, new_event
from services.common.naming import EVENTS
from services.common.publishers import connect, Publisher
from services.evidence.settings import EvidenceSettings
from services.common.storage import EVIDENCE_BUCKET
from services.common.worker import EventWorker, Route
from services.evidence.archive import archive_evidence
from services.evidence.repository import EvidenceStore
from services.common.storage import create_bucket_once
from services.intake.complaints.uploads import OriginalsStore, StoreUnavailable
from services.evidence.buckets import ensure_evidence_bucket
from services.evidence.queues import queues
from tests.support import hostile
from tests.support.waiting import wait_until

RETENTION_DAYS = 1


@pytest.fixture
def complaint_id(s3):
    """A fresh complaint; its archived versions are removed afterwards (GOVERNANCE lets the owner do that)."""
    ensure_evidence_bucket(s3, RETENTION_DAYS, GOVERNANCE)
    complaint_id = str(uuid.uuid4())
    yield complaint_id
    versions = s3.list_objects(EVIDENCE_BUCKET, prefix=f"complaints/{complaint_id}/", recursive=True,
                               include_version=True)
    doomed = [DeleteObject(v.object_name, v.version_id) for v in versions]
    assert list(s3.remove_objects(EVIDENCE_BUCKET, doomed, bypass_governance_mode=True)) == []


@pytest.fixture
def settings(vhost_url, monkeypatch):
    monkeypatch.setenv("NETRA_AMQP_URL", vhost_url)
    monkeypatch.setenv("NETRA_RETRY_DELAYS_MS", "200")
    return EvidenceSettings()


@contextmanager
def running_worker(settings, s3):
    publisher = Publisher(connect(settings.amqp_url))  # handed to the worker thread, used only there
    archive = functools.partial(archive_evidence, store=EvidenceStore(s3), publish=publisher.publish,
                                retention_days=RETENTION_DAYS, retention_mode=GOVERNANCE)
    worker = EventWorker(connect(settings.amqp_url), [Route(spec, archive) for spec in queues(settings)],
                         publisher, settings.max_attempts, settings.prefetch)
    thread = threading.Thread(target=worker.run, daemon=True)
    thread.start()
    wait_until(lambda: worker.connected, "the worker to consume")
    try:
        yield
    finally:
        worker.should_stop = True
        thread.join(10)
        publisher.close()


@contextmanager
def observer(settings):
    """A queue of our own in the test's vhost, bound to everything evidence announces."""
    with connect(settings.amqp_url) as connection:
        queue = Queue("test.evidence_observer", exchange=EVENTS, routing_key="evidence.*")(connection.channel())
        queue.declare()

        def next_event(timeout: float = 20) -> dict:
            message = wait_until(lambda: queue.get(no_ack=True), "an evidence event", timeout)
            return json.loads(message.body)
        yield next_event



def submitted_event(complaint_id: str, originals: list[dict]) -> dict:
    payload = {"complaint_id": complaint_id, "tracking_code": "NTR-TEST-0001",
               "submitted_at": "2026-11-03T01:00:00+00:00",
               "subject": {"name": "Budi", "nip": None, "position": "Camat", "agency": "Pemkab Bengkalis",
                           "employer_level": "kabupaten_kota", "region_code": "14.03"},
               "violation": {"category": "hadir_kampanye", "platform": "luar_jaringan", "post_urls": [],
                             "occurred_on": "2026-11-02", "location": "Bengkalis", "description": "Hadir."},
               "evidence": originals,
               "reporter_contact": None}
    return new_event("complaint.submitted", payload, correlation_id=complaint_id, producer="intake")


def original(complaint_id: str, index: int, data: bytes, extension: str = "png") -> dict:
    sha256 = hashlib.sha256(data).hexdigest()
    return {"index": index, "key": f"complaints/{complaint_id}/{sha256}.{extension}", "sha256": sha256,
            "size": len(data)}


def received(s3, complaint_id: str, files: list[bytes], extension: str = "png") -> list[dict]:
    """Each file written as intake writes it (its store, GOVERNANCE here so the fixture can clean up)."""
    store, items = OriginalsStore(s3, RETENTION_DAYS, GOVERNANCE), []
    for index, data in enumerate(files):
        item = original(complaint_id, index, data, extension)
        store.put_new(item["key"], data, store.retention())
        items.append(item)
    return items


def versions_under(s3, complaint_id: str) -> dict[str, int]:
    counts: dict[str, int] = {}
    for version in s3.list_objects(EVIDENCE_BUCKET, prefix=f"complaints/{complaint_id}/", recursive=True,
                                   include_version=True):
        counts[version.object_name] = counts.get(version.object_name, 0) + 1
    return counts


def read_evidence(s3, key: str) -> bytes:
    response = s3.get_object(EVIDENCE_BUCKET, key)
    try:
        return response.read()
    finally:
        response.close()
        response.release_conn()


def test_worker_archives_the_original_and_a_clean_copy_once_under_retention(s3, settings, complaint_id):
    photo = hostile.gps_jpeg()
    event = submitted_event(complaint_id, received(s3, complaint_id, [photo], "jpg"))
    intake = Publisher(connect(settings.amqp_url))
    with running_worker(settings, s3), observer(settings) as next_event:
        intake.publish(event)
        archived = next_event()
        intake.publish(event)  # the broker redelivers, or intake publishes again after a crash
        archived_again = next_event()
    intake.close()

    sha256 = hashlib.sha256(photo).hexdigest()
    key = f"complaints/{complaint_id}/{sha256}.jpg"
    [entry] = archived["payload"]["files"]
    assert {k: entry[k] for k in ("index", "key", "sha256", "size", "media_type")} == {
        "index": 0, "key": key, "sha256": sha256, "size": len(photo), "media_type": "image/jpeg"}
    assert archived["event_id"] == derived_event_id("evidence.archived", complaint_id)
    assert archived["payload"]["subject"] == event["payload"]["subject"]
    assert archived_again["event_id"] == archived["event_id"]
    assert archived_again["payload"] == archived["payload"]

    assert read_evidence(s3, key) == photo  # the proof, byte for byte
    copy = read_evidence(s3, entry["sanitised"]["key"])
    assert hashlib.sha256(copy).hexdigest() == entry["sanitised"]["sha256"]
    assert entry["sanitised"]["key"] == f"complaints/{complaint_id}/sanitised/{entry['sanitised']['sha256']}.jpg"
    assert [value for value in hostile.PLANTED if value.encode() in copy] == []
    manifest = json.loads(read_evidence(s3, archived["payload"]["manifest_key"]))
    assert [(f["sha256"], f["sanitised"]["sha256"]) for f in manifest["files"]] == \
        [(sha256, entry["sanitised"]["sha256"])]
    assert versions_under(s3, complaint_id) == {key: 1, entry["sanitised"]["key"]: 1,
                                                f"complaints/{complaint_id}/manifest.json": 1}
    for locked in (key, entry["sanitised"]["key"]):
        assert s3.get_object_retention(EVIDENCE_BUCKET, locked).mode == GOVERNANCE
        version_id = s3.stat_object(EVIDENCE_BUCKET, locked).version_id
        with pytest.raises(S3Error) as refused:
            s3.remove_object(EVIDENCE_BUCKET, locked, version_id=version_id)
        assert "WORM protected" in refused.value.message  # MinIO answers InvalidRequest, AWS AccessDenied
        assert s3.stat_object(EVIDENCE_BUCKET, locked, version_id=version_id).version_id == version_id


def test_a_second_write_of_a_key_is_refused_by_the_store_and_the_first_version_stays(s3, complaint_id):
    store = EvidenceStore(s3)
    key = f"complaints/{complaint_id}/proof.bin"
    retention = Retention(GOVERNANCE, datetime.now(timezone.utc) + timedelta(days=RETENTION_DAYS))
    took = store.put_new(key, b"the first version", "application/octet-stream", retention)
    assert store.put_new(key, b"a replacement", "application/octet-stream", retention) is None
    # The time a write returns is the store's own (its answer's Date): the object's Last-Modified, to the second.
    assert abs(took - store.stored_at(key)) <= timedelta(seconds=1)

    assert store.read(key) == b"the first version"
    assert versions_under(s3, complaint_id) == {key: 1}


def test_a_digest_the_writer_took_signs_the_put_and_the_store_refuses_bytes_unlike_it(s3, complaint_id):
    """The writer's own SHA-256 goes into the signature instead of minio-py hashing the body again; MinIO hashes
    what it receives, so a body unlike the digest (a flipped byte on the way, a wrong digest) is never stored."""
    store = EvidenceStore(s3)
    retention = Retention(GOVERNANCE, datetime.now(timezone.utc) + timedelta(days=RETENTION_DAYS))
    data = bytes(range(256)) * 2048
    digest = hashlib.sha256(data).hexdigest()
    key = f"complaints/{complaint_id}/{digest}.bin"
    assert store.put_new(key, data, "application/octet-stream", retention, sha256=digest) is not None
    assert store.read(key) == data
    assert not any("netra" in name.lower() for name in s3.stat_object(EVIDENCE_BUCKET, key).metadata)

    wrong = f"complaints/{complaint_id}/wrong.bin"
    with pytest.raises(S3Error) as refused:
        store.put_new(wrong, data[:-1] + b"x", "application/octet-stream", retention, sha256=digest)
    assert refused.value.code == "XAmzContentSHA256Mismatch"
    originals = OriginalsStore(s3, RETENTION_DAYS, GOVERNANCE)
    with pytest.raises(StoreUnavailable, match="XAmzContentSHA256Mismatch"):
        originals.put_new(wrong, data, originals.retention(), sha256="0" * 64)
    assert versions_under(s3, complaint_id) == {key: 1}


def test_racing_writers_of_one_key_leave_exactly_one_version(s3, complaint_id):
    store = EvidenceStore(s3)
    key = f"complaints/{complaint_id}/raced.bin"
    retention = Retention(GOVERNANCE, datetime.now(timezone.utc) + timedelta(days=RETENTION_DAYS))
    with ThreadPoolExecutor(max_workers=6) as pool:
        written = list(pool.map(lambda i: store.put_new(key, f"writer {i}".encode(), "text/plain", retention),
                                range(6)))
    [first] = [i for i, took in enumerate(written) if took is not None]
    assert store.read(key) == f"writer {first}".encode()
    assert versions_under(s3, complaint_id) == {key: 1}


def test_hostile_files_are_refused_by_code_stay_locked_as_received_and_get_no_copy(s3, complaint_id):
    names = ["png_bomb", "gif_script", "truncated_jpeg", "author_png"]
    originals = received(s3, complaint_id, [hostile.CORPUS[name][0]() for name in names])
    published = []
    event = submitted_event(complaint_id, originals)
    archive_evidence(event, EvidenceStore(s3), published.append, RETENTION_DAYS, GOVERNANCE)

    archived, rejected = published
    assert rejected["payload"]["rejected"] == [{"index": 0, "reason": "decompression_bomb"},
                                               {"index": 1, "reason": "active_content"},
                                               {"index": 2, "reason": "truncated"}]
    [png] = archived["payload"]["files"]
    assert png["index"] == 3 and hostile.EMAIL.encode() not in read_evidence(s3, png["sanitised"]["key"])
    assert set(versions_under(s3, complaint_id)) == {*(item["key"] for item in originals), png["sanitised"]["key"],
                                                     f"complaints/{complaint_id}/manifest.json"}
    manifest = json.loads(read_evidence(s3, archived["payload"]["manifest_key"]))
    assert [(r["key"], r["reason"]) for r in manifest["rejected"]] == [
        (originals[0]["key"], "decompression_bomb"), (originals[1]["key"], "active_content"),
        (originals[2]["key"], "truncated")]


def test_handler_rejects_text_and_missing_files_against_real_minio(s3, complaint_id):
    [text] = received(s3, complaint_id, [b"ini teks, namanya saja bukti.png"])
    published = []
    event = submitted_event(complaint_id, [text, original(complaint_id, 1, b"never written")])
    archive_evidence(event, EvidenceStore(s3), published.append, RETENTION_DAYS, GOVERNANCE)

    archived, rejected = published
    assert archived["payload"]["files"] == []
    assert rejected["payload"]["rejected"] == [{"index": 0, "reason": "unknown_type"},
                                               {"index": 1, "reason": "not_stored"}]
    assert versions_under(s3, complaint_id) == {text["key"]: 1, f"complaints/{complaint_id}/manifest.json": 1}


def test_the_evidence_bucket_is_locked_and_versioned(s3):
    ensure_evidence_bucket(s3, RETENTION_DAYS, GOVERNANCE)
    ensure_evidence_bucket(s3, RETENTION_DAYS, GOVERNANCE)

    assert s3.get_object_lock_config(EVIDENCE_BUCKET) is not None
    assert s3.get_bucket_versioning(EVIDENCE_BUCKET).status == "Enabled"


def test_concurrent_creators_of_one_bucket_all_succeed(s3):
    bucket = f"netra-test-{uuid.uuid4().hex[:10]}"
    with ThreadPoolExecutor(max_workers=6) as pool:
        list(pool.map(lambda _: create_bucket_once(s3, bucket, object_lock=False), range(6)))
    assert s3.bucket_exists(bucket)
    s3.remove_bucket(bucket)


def test_bad_retention_settings_stop_the_start(s3):
    with pytest.raises(ValueError, match="retention mode"):
        ensure_evidence_bucket(s3, RETENTION_DAYS, "FOREVER")
    with pytest.raises(ValueError, match="retention days"):
        ensure_evidence_bucket(s3, 0, GOVERNANCE)
