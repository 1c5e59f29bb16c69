"""The documents a step filed (the PPK's decree, the BAP), as the evidence service archives them: a sanitised
copy that keeps the page and loses whoever made it, and one entry each in the complaint's manifest, never two."""
import copy
import hashlib
import json
import shutil
import subprocess
import uuid

import pytest

from services.common.envelope import derived_event_id
from services.evidence.documents import file_documents
from services.evidence.sanitise import sanitise
from tests.support.contracts import assert_matches_example, example
from tests.support.documents import PAGE_TEXT, TRACES, office_pdf
from tests.support.evidence_store import FakeEvidenceStore

DECREE, BAP = office_pdf(), office_pdf("Berita Acara Pemeriksaan")


def page_text(data: bytes, tmp_path) -> str:
    path = tmp_path / "copy.pdf"
    path.write_bytes(data)
    return subprocess.run([shutil.which("pdftotext"), str(path), "-"], check=True, capture_output=True,
                          text=True).stdout


def test_the_sanitised_copy_keeps_the_page_text_and_loses_every_trace_of_who_made_it(tmp_path):
    assert all(trace.encode() in DECREE for trace in TRACES)  # the original carries each of them
    clean = sanitise(DECREE, "application/pdf")
    assert [trace for trace in TRACES if trace.encode() in clean] == []
    assert b"/EmbeddedFile" not in clean and b"/Metadata" not in clean and b"/Author" not in clean
    assert PAGE_TEXT in page_text(clean, tmp_path)


def filed(complaint_id: str, kind: str, data: bytes) -> dict:
    sha256 = hashlib.sha256(data).hexdigest()
    return {"kind": kind, "key": f"complaints/{complaint_id}/documents/{sha256}.pdf", "sha256": sha256,
            "size": len(data), "media_type": "application/pdf"}


def completed(complaint_id: str, documents: dict) -> dict:
    event = copy.deepcopy(example("case.step_completed"))
    event["payload"].update(complaint_id=complaint_id, step=2)
    event["payload"]["outcome"].update(kind="keputusan", **documents)
    return event


@pytest.fixture
def store():
    return FakeEvidenceStore()


@pytest.fixture
def complaint_id(store):
    complaint_id = str(uuid.uuid4())
    store.put_new(f"complaints/{complaint_id}/manifest.json", json.dumps({"complaint_id": complaint_id,
                  "files": [], "rejected": []}).encode(), "application/json", "retention")
    return complaint_id


def run(event, store, published):
    file_documents(event, store, published.append, retention_days=30, retention_mode="GOVERNANCE")


def manifest(store, complaint_id):
    return json.loads(store.latest(f"complaints/{complaint_id}/manifest.json"))


def test_the_decree_and_the_bap_join_the_manifest_with_both_hashes_and_sizes(store, complaint_id):
    decree, bap = filed(complaint_id, "decree", DECREE), filed(complaint_id, "bap", BAP)
    for document, data in ((decree, DECREE), (bap, BAP)):
        store.put_new(document["key"], data, "application/pdf", "the desk's retention")
    published = []
    run(completed(complaint_id, {"document": decree, "bap": bap}), store, published)
    listed = manifest(store, complaint_id)["documents"]
    assert [(d["kind"], d["step"], d["original"]["sha256"], d["original"]["size"]) for d in listed] == [
        ("decree", 2, decree["sha256"], len(DECREE)), ("bap", 2, bap["sha256"], len(BAP))]
    for entry in listed:
        copy_bytes = store.latest(entry["sanitised"]["key"])
        assert entry["sanitised"]["sha256"] == hashlib.sha256(copy_bytes).hexdigest()
        assert entry["sanitised"]["size"] == len(copy_bytes) and entry["sanitised"]["key"].startswith(
            f"complaints/{complaint_id}/sanitised/")
        assert entry["filed_at"] and entry["archived_at"]
    assert "petugas" not in json.dumps(listed)
    assert len(store.versions(f"complaints/{complaint_id}/manifest.json")) == 2  # the first stays as it was
    assert [e["payload"]["kind"] for e in published] == ["decree", "bap"]
    for event in published:
        assert_matches_example(event, "document.archived")


def test_a_redelivered_step_adds_no_second_entry_and_announces_the_same_events(store, complaint_id):
    decree = filed(complaint_id, "decree", DECREE)
    store.put_new(decree["key"], DECREE, "application/pdf", "the desk's retention")
    event, first, again = completed(complaint_id, {"document": decree, "bap": None}), [], []
    run(event, store, first)
    run(event, store, again)
    assert len(manifest(store, complaint_id)["documents"]) == 1
    assert len(store.versions(f"complaints/{complaint_id}/manifest.json")) == 2
    assert [(e["event_id"], e["payload"]) for e in first] == [(e["event_id"], e["payload"]) for e in again]
    assert first[0]["event_id"] == derived_event_id("document.archived", f"{complaint_id}:{decree['sha256']}")


def test_a_writer_that_came_first_is_kept_and_the_entry_added_after_it(store, complaint_id, monkeypatch):
    decree = filed(complaint_id, "decree", DECREE)
    store.put_new(decree["key"], DECREE, "application/pdf", "the desk's retention")
    key, real = f"complaints/{complaint_id}/manifest.json", store.put_over

    def another_writer_first(*args, **kwargs):
        monkeypatch.setattr(store, "put_over", real)
        current, etag = store.read_current(key)
        real(key, json.dumps({**json.loads(current), "documents": [{"original": {"sha256": "e" * 64}}]}).encode(),
             "application/json", "retention", etag)
        return real(*args, **kwargs)

    monkeypatch.setattr(store, "put_over", another_writer_first)
    run(completed(complaint_id, {"document": decree, "bap": None}), store, [])
    assert [d["original"]["sha256"] for d in manifest(store, complaint_id)["documents"]] == ["e" * 64, decree["sha256"]]


def test_a_document_that_is_not_the_file_named_is_listed_with_its_reason_and_no_copy(store, complaint_id):
    decree = filed(complaint_id, "decree", DECREE)
    store.put_new(decree["key"], BAP, "application/pdf", "the desk's retention")  # other bytes under the name
    published = []
    run(completed(complaint_id, {"document": decree, "bap": None}), store, published)
    [entry] = manifest(store, complaint_id)["documents"]
    assert entry["reason"] == "not_the_original" and "sanitised" not in entry
    assert published[0]["payload"]["sanitised"] is None and published[0]["payload"]["reason"] == "not_the_original"


def test_a_step_without_documents_changes_nothing(store, complaint_id):
    published = []
    run(completed(complaint_id, {"document": None, "bap": None}), store, published)
    assert published == [] and len(store.versions(f"complaints/{complaint_id}/manifest.json")) == 1


def test_a_decree_filed_before_documents_had_a_kind_is_listed_as_the_decree(store, complaint_id):
    decree = filed(complaint_id, "decree", DECREE)
    del decree["kind"]  # case.step_completed as the desk wrote it before the BAP
    store.put_new(decree["key"], DECREE, "application/pdf", "the desk's retention")
    run(completed(complaint_id, {"document": decree}), store, [])
    assert [d["kind"] for d in manifest(store, complaint_id)["documents"]] == ["decree"]
