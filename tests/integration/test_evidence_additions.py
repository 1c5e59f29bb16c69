"""Evidence added from /lacak, checked against the real MinIO: the original intake wrote under
complaints/<id>/, its sanitised copy beside it, a locked write-once additions/<addition id>.json,
evidence.added as documented; a redelivery writes nothing new and announces the same event."""
import hashlib
import json
import uuid

import pytest
from minio.commonconfig import GOVERNANCE
from minio.deleteobjects import DeleteObject
from minio.error import S3Error

from services.common.envelope import derived_event_id, new_event
from services.common.storage import EVIDENCE_BUCKET
from services.evidence.additions import add_evidence
from services.evidence.buckets import ensure_evidence_bucket
from services.evidence.repository import EvidenceStore
from services.intake.complaints.uploads import OriginalsStore
from tests.support.complaints import png_bytes
from tests.support.contracts import assert_matches_example



@pytest.fixture
def complaint_id(s3):
    ensure_evidence_bucket(s3, 1, GOVERNANCE)
    complaint_id = str(uuid.uuid4())
    yield complaint_id
    versions = s3.list_objects(EVIDENCE_BUCKET, prefix=f"complaints/{complaint_id}/", recursive=True,
                               include_version=True)
    doomed = [DeleteObject(v.object_name, v.version_id) for v in versions]
    assert list(s3.remove_objects(EVIDENCE_BUCKET, doomed, bypass_governance_mode=True)) == []


def received(s3, complaint_id: str, index: int, data: bytes) -> dict:
    """An original as intake writes it (its store; GOVERNANCE here, so the fixture can clean up)."""
    sha256 = hashlib.sha256(data).hexdigest()
    key, store = f"complaints/{complaint_id}/{sha256}.png", OriginalsStore(s3, 1, GOVERNANCE)
    store.put_new(key, data, store.retention())
    return {"index": index, "key": key, "sha256": sha256, "size": len(data)}


def added_event(complaint_id: str, addition_id: str, evidence: list[dict]) -> dict:
    return new_event("complaint.evidence_added", {"complaint_id": complaint_id, "tracking_code": "NTR-TEST-0002",
                                                  "addition_id": addition_id, "evidence": evidence},
                     correlation_id=complaint_id, producer="intake",
                     event_id=derived_event_id("complaint.evidence_added", addition_id))


def versions(s3, complaint_id: str) -> list[tuple[str, str]]:
    return sorted((v.object_name, v.version_id) for v in s3.list_objects(
        EVIDENCE_BUCKET, prefix=f"complaints/{complaint_id}/", recursive=True, include_version=True))


def test_an_addition_is_checked_sanitised_and_locked_once(s3, complaint_id):
    addition_id = str(uuid.uuid4())
    evidence = [received(s3, complaint_id, 0, png_bytes(7)),
                received(s3, complaint_id, 1, b"#!/bin/sh\nnot evidence\n")]
    event, published = added_event(complaint_id, addition_id, evidence), []
    assert_matches_example(event, "complaint.evidence_added")  # what intake emits is what evidence reads
    handle = {"store": EvidenceStore(s3), "publish": published.append, "retention_days": 1,
              "retention_mode": GOVERNANCE}
    add_evidence(event, **handle)

    [announced] = published
    assert_matches_example(announced, "evidence.added")
    assert announced["event_id"] == derived_event_id("evidence.added", addition_id)
    [archived] = announced["payload"]["files"]
    assert announced["payload"]["rejected"] == [{"index": 1, "reason": "unknown_type"}]
    original = s3.get_object(EVIDENCE_BUCKET, archived["key"]).read()
    assert original == png_bytes(7) and archived["key"].startswith(f"complaints/{complaint_id}/")
    assert archived["sanitised"]["key"].startswith(f"complaints/{complaint_id}/sanitised/")
    s3.stat_object(EVIDENCE_BUCKET, archived["sanitised"]["key"])
    manifest_key = f"complaints/{complaint_id}/additions/{addition_id}.json"
    manifest = json.loads(s3.get_object(EVIDENCE_BUCKET, manifest_key).read())
    assert manifest["addition_id"] == addition_id and manifest["files"][0]["key"] == archived["key"]
    assert s3.get_object_retention(EVIDENCE_BUCKET, manifest_key).mode == GOVERNANCE
    assert manifest["rejected"][0]["key"] == evidence[1]["key"]  # refused, kept locked as received

    written = versions(s3, complaint_id)
    add_evidence(event, **handle)  # the same message again
    assert versions(s3, complaint_id) == written and len(written) == 4  # two originals, a copy, the manifest
    assert published[1] == {**announced, "occurred_at": published[1]["occurred_at"]}


def test_the_additions_manifest_cannot_be_replaced(s3, complaint_id):
    addition_id = str(uuid.uuid4())
    item = received(s3, complaint_id, 0, png_bytes(9))
    store = EvidenceStore(s3)
    add_evidence(added_event(complaint_id, addition_id, [item]), store=store, publish=lambda e: None,
                 retention_days=1, retention_mode=GOVERNANCE)
    key = f"complaints/{complaint_id}/additions/{addition_id}.json"
    assert store.put_new(key, b"{}", "application/json", None) is None
    [version] = [v for v in versions(s3, complaint_id) if v[0] == key]
    with pytest.raises(S3Error, match="AccessDenied|ObjectLocked|InvalidRequest"):
        s3.remove_object(EVIDENCE_BUCKET, key, version_id=version[1])
    assert json.loads(s3.get_object(EVIDENCE_BUCKET, key).read())["addition_id"] == addition_id
