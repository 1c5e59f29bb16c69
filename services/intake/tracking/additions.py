"""Evidence the reporter adds from /lacak: the same checks and quota as a complaint's files, each original
written once beside the complaint's first ones (`complaints/<complaint id>/<sha256>.<ext>`), then
the complaint.evidence_added event saved with a timeline entry in one transaction with intake's outbox.
Plain functions; the repositories and the store come in as parameters."""
from __future__ import annotations

import uuid
from datetime import datetime, timezone

import structlog

from services.common.envelope import derived_event_id, new_event

from ..complaints.uploads import Upload, store_originals
from ..complaints.validation import upload_problems
from ..ports import TrackingRecords

log = structlog.get_logger("netra.intake")
REFUSALS = {
    "none": "Pilih setidaknya satu berkas bukti.",
    "too_many": "Terlalu banyak berkas: paling banyak {max_files} berkas sekaligus.",
    "empty": "Berkas kosong tidak dapat dikirim.",
    "type": "Jenis berkas tidak diterima: hanya PNG, JPEG, WebP, GIF, atau PDF (dinilai dari isinya, bukan namanya).",
    "quota": "Kapasitas penyimpanan bukti untuk hari ini sudah penuh. Silakan coba lagi besok.",
}


class Refused(Exception):
    """The files were not accepted; `message` says why, in words for the citizen."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def refusal(uploads: list[Upload], max_files: int) -> str | None:
    if not uploads:
        return REFUSALS["none"]
    invalid, unsupported = upload_problems(uploads, max_files)
    if "evidence" in invalid:
        return REFUSALS["too_many"].format(max_files=max_files)
    return REFUSALS["empty"] if invalid else REFUSALS["type"] if unsupported else None


def add_evidence(intake, tracking_repository: TrackingRecords, complaint: dict, uploads: list[Upload]) -> str:
    """Stores the originals and saves the event; returns the addition id. Raises Refused (nothing kept)."""
    if message := refusal(uploads, intake.max_files):
        raise Refused(message)
    size, day = sum(u.size for u in uploads), datetime.now(timezone.utc).date()
    if not intake.repository.reserve_quota(day, size, intake.daily_quota_bytes):
        raise Refused(REFUSALS["quota"])
    addition_id = str(uuid.uuid4())
    try:
        originals = store_originals(intake.store, complaint["complaint_id"], uploads)
        tracking_repository.add_evidence(complaint["complaint_id"], added_event(complaint, addition_id, originals))
    except Exception:
        intake.repository.release_quota(day, size)
        raise
    log.info("complaint.evidence_added", correlation_id=complaint["complaint_id"], evidence_files=len(originals))
    return addition_id


def added_event(complaint: dict, addition_id: str, originals: list[dict]) -> dict:
    payload = {"complaint_id": complaint["complaint_id"], "tracking_code": complaint["tracking_code"],
               "addition_id": addition_id, "evidence": originals}
    return new_event("complaint.evidence_added", payload, correlation_id=complaint["complaint_id"],
                     producer="intake", event_id=derived_event_id("complaint.evidence_added", addition_id))
