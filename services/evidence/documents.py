"""Documents a unit filed with its step's outcome (the PPK's decree, the BAP), told by case.step_completed: the
desk wrote each original once, locked, at `complaints/<complaint id>/documents/<sha256>.pdf`. Each is checked
(this complaint's folder, the SHA-256 and size the event names, a PDF by its bytes) and sanitised like the
reporter's evidence (no document info, XMP, embedded files, scripts or actions, no comment's author), the copy
written once and locked under `sanitised/`; then both are listed in the complaint's manifest.

The manifest is the chain of custody, so a document joins it as a new locked version written only over the
version read (If-Match): the versions before stay locked as they were, and two writers cannot lose each
other's entry. An entry is found by its original's SHA-256, so a redelivered event adds nothing and
re-announces document.archived from the entry already there.
"""
from __future__ import annotations

import hashlib
import json
from datetime import datetime, timedelta, timezone

import structlog
from minio.retention import Retention

from services.common.envelope import derived_event_id, new_event, read_payload
from services.common.media import sniff

from .archive import manifest_key, put_copy
from .events import PRODUCER, StepCompletedSchema
from .ports import EvidenceObjects
from .sanitise import Refused, sanitise
from .sanitise.refusal import NOT_STORED, NOT_THE_ORIGINAL, UNKNOWN_TYPE

log = structlog.get_logger("netra.evidence")
DOCUMENTS = {"document": "decree", "bap": "bap"}  # the outcome's fields that hold a filed document, its kind
ATTEMPTS = 5
PDF = "application/pdf"


class ManifestMissing(Exception):
    """Transient: the complaint's manifest is not there (a case is routed only after it is written)."""


class ManifestBusy(Exception):
    """Transient: other writers kept adding versions; the worker retries the message later."""


def file_documents(event: dict, store: EvidenceObjects, publish, retention_days: int, retention_mode: str) -> None:
    completed = read_payload(StepCompletedSchema, event)
    filed = [{**completed["outcome"][name], "kind": kind} for name, kind in DOCUMENTS.items()
             if completed["outcome"].get(name)]
    if not filed:
        return  # a step without documents: nothing to archive
    complaint_id = completed["complaint_id"]
    retention = Retention(retention_mode, _now() + timedelta(days=retention_days))
    entries = [document_entry(store, completed, document, retention) for document in filed]
    listed = add_to_manifest(store, complaint_id, entries, retention)
    for entry in listed:
        publish(archived_event(complaint_id, completed["case_id"], entry))
    log.info("evidence.documents_done", documents=len(listed), step=completed["step"],
             refused=sorted(e["reason"] for e in listed if "reason" in e))


def document_entry(store: EvidenceObjects, completed: dict, document: dict, retention: Retention) -> dict:
    """The manifest's entry of one filed document: kind, step, when, both hashes and sizes (no officer's name)."""
    entry = {"kind": document["kind"], "step": completed["step"], "filed_at": completed["completed_at"],
             "original": {"key": document["key"], "sha256": document["sha256"], "size": document["size"]}}
    try:
        copy = sanitise(checked_original(store, completed["complaint_id"], document), PDF)
    except Refused as refused:
        return {**entry, "reason": refused.reason}
    sanitised, _ = put_copy(store, f"complaints/{completed['complaint_id']}/sanitised", copy, PDF, "pdf", retention)
    return {**entry, "media_type": PDF, "sanitised": sanitised}


def checked_original(store: EvidenceObjects, complaint_id: str, document: dict) -> bytes:
    """The original the desk wrote in this complaint's documents folder, the very file the event names."""
    key = document["key"]
    found = store.read(key) if key.startswith(f"complaints/{complaint_id}/documents/") else None
    if found is None:
        raise Refused(NOT_STORED)
    if hashlib.sha256(found).hexdigest() != document["sha256"] or len(found) != document["size"]:
        raise Refused(NOT_THE_ORIGINAL)
    if (sniff(found) or ("",))[0] != PDF:
        raise Refused(UNKNOWN_TYPE)
    return found


def add_to_manifest(store: EvidenceObjects, complaint_id: str, entries: list[dict], retention: Retention) -> list[dict]:
    """The manifest's entries of these documents, adding those it does not list yet as one new version."""
    key = manifest_key(complaint_id)
    for _ in range(ATTEMPTS):
        current = store.read_current(key)
        if current is None:
            raise ManifestMissing(complaint_id)
        manifest, etag = json.loads(current[0]), current[1]
        listed = {d["original"]["sha256"]: d for d in manifest.get("documents", [])}
        new = [{**e, "archived_at": _now().isoformat()} for e in entries if e["original"]["sha256"] not in listed]
        if not new or store.put_over(key, _as_json({**manifest, "documents": [*listed.values(), *new]}),
                                     "application/json", retention, etag):
            listed.update({e["original"]["sha256"]: e for e in new})
            return [listed[e["original"]["sha256"]] for e in entries]
    raise ManifestBusy(complaint_id)


def archived_event(complaint_id: str, case_id: str, entry: dict) -> dict:
    """Built from the manifest's entry, so a redelivery announces the same facts under the same event id."""
    payload = {"complaint_id": complaint_id, "case_id": case_id, "step": entry["step"], "kind": entry["kind"],
               "sha256": entry["original"]["sha256"], "size": entry["original"]["size"],
               "sanitised": entry.get("sanitised"), "reason": entry.get("reason"),
               "archived_at": entry["archived_at"]}
    return new_event("document.archived", payload, correlation_id=complaint_id, producer=PRODUCER,
                     event_id=derived_event_id("document.archived", f"{complaint_id}:{entry['original']['sha256']}"))


def _as_json(document: dict) -> bytes:
    return json.dumps(document, ensure_ascii=False, indent=2).encode()


def _now() -> datetime:
    return datetime.now(timezone.utc)
