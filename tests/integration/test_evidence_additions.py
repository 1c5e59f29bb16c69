"""Evidence added from /lacak, archived against the real MinIO: the file and its sanitised copy under
complaints/<id>/, a locked write-once additions/<addition id>.json, staged objects deleted, evidence.added
as documented; a redelivery writes nothing new and announces the same event."""
import io
import json
import uuid

import pytest
from minio.commonconfig import GOVERNANCE
from minio.deleteobjects import DeleteObject
from minio.error import S3Error

from services.common.envelope import derived_event_id, new_event
from services.common.storage import EVIDENCE_BUCKET, STAGING_BUCKET, ensure_staging_bucket
from services.evidence.additions import add_evidence
from services.evidence.buckets import ensure_evidence_bucket
from services.evidence.repository import EvidenceStore
from tests.support.complaints import png_bytes
from tests.support.contracts import assert_matches_example

pytestmark = pytest.mark.integration


@pytest.fixture
def complaint_id(s3):
    ensure_evidence_bucket(s3, 1, GOVERNANCE)
    ensure_staging_bucket(s3)
    complaint_id = str(uuid.uuid4())
    yield complaint_id
    versions = s3.list_objects(EVIDENCE_BUCKET, prefix=f"complaints/{complaint_id}/", recursive=True,
                               include_version=True)
    doomed = [DeleteObject(v.object_name, v.version_id) for v in versions]
    assert list(s3.remove_objects(EVIDENCE_BUCKET, doomed, bypass_governance_mode=True)) == []


def staged(s3, key: str, data: bytes) -> dict:
    s3.put_object(STAGING_BUCKET, key, io.BytesIO(data), len(data))
    return {"index": int(key.rsplit("/", 1)[1]), "staged_key": key, "size": len(data)}


def added_event(complaint_id: str, addition_id: str, evidence: list[dict]) -> dict:
    return new_event("complaint.evidence_added", {"complaint_id": complaint_id, "tracking_code": "NTR-TEST-0002",
                                                  "addition_id": addition_id, "evidence": evidence},
                     correlation_id=complaint_id, producer="intake",
                     event_id=derived_event_id("complaint.evidence_added", addition_id))


def versions(s3, complaint_id: str) -> list[tuple[str, str]]:
    return sorted((v.object_name, v.version_id) for v in s3.list_objects(
        EVIDENCE_BUCKET, prefix=f"complaints/{complaint_id}/", recursive=True, include_version=True))


def test_an_addition_is_archived_sanitised_locked_and_unstaged_once(s3, complaint_id):
    addition_id, prefix = str(uuid.uuid4()), f"{complaint_id}/additions/"
    evidence = [staged(s3, f"{prefix}{uuid.uuid4()}/0", png_bytes(7)),
                staged(s3, f"{prefix}{uuid.uuid4()}/1", b"#!/bin/sh\nnot evidence\n")]
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
    for item in evidence:
        with pytest.raises(S3Error, match="NoSuchKey"):
            s3.stat_object(STAGING_BUCKET, item["staged_key"])

    written = versions(s3, complaint_id)
    add_evidence(event, **handle)  # the same message again
    assert versions(s3, complaint_id) == written and len(written) == 3
    assert published[1] == {**announced, "occurred_at": published[1]["occurred_at"]}


def test_the_additions_manifest_cannot_be_replaced(s3, complaint_id):
    addition_id = str(uuid.uuid4())
    item = staged(s3, f"{complaint_id}/additions/{addition_id}/0", png_bytes(9))
    store = EvidenceStore(s3)
    add_evidence(added_event(complaint_id, addition_id, [item]), store=store, publish=lambda e: None,
                 retention_days=1, retention_mode=GOVERNANCE)
    key = f"complaints/{complaint_id}/additions/{addition_id}.json"
    assert store.put_new(key, b"{}", "application/json", None) is None
    [version] = [v for v in versions(s3, complaint_id) if v[0] == key]
    with pytest.raises(S3Error, match="AccessDenied|ObjectLocked|InvalidRequest"):
        s3.remove_object(EVIDENCE_BUCKET, key, version_id=version[1])
    assert json.loads(s3.get_object(EVIDENCE_BUCKET, key).read())["addition_id"] == addition_id
