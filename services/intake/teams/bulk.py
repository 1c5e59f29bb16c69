"""A team's batch: each item checked like a citizen's complaint and accepted or refused on its own.

An accepted item is staged and saved exactly like a single complaint (one transaction with its outbox
row, so `complaint.submitted` follows), marked with the team as its source and with no reporter. The
team's `external_id` is the item's idempotency key: an item the team filed before answers its first
tracking code and files nothing.
"""
from __future__ import annotations

import uuid
from datetime import datetime, timezone

import structlog
from marshmallow import ValidationError
from sqlalchemy.exc import IntegrityError

from ..complaints import receipts
from ..complaints.repository import Accepted
from ..complaints.submit import QuotaExceeded, submitted_event
from ..complaints.uploads import Upload, store_originals
from ..complaints.validation import UnsupportedEvidence, check
from .manifest import EXTERNAL_ID, NumberCell, column_of, defused, finding_document
from .teams import TeamKey

log = structlog.get_logger("netra.intake.teams")


def submit_batch(intake, store, team: TeamKey, rows: list[tuple[int, dict]], files: dict) -> dict:
    """Every item's outcome, saved so GET /api/v1/batches/{id} answers the same later."""
    batch_id, now = str(uuid.uuid4()), datetime.now(timezone.utc)
    items = [submit_item(intake, store, team, batch_id, number, row, files) for number, row in rows]
    results = {"batch_id": batch_id, "submitted_at": now.isoformat(),
               **{outcome: sum(i["status"] == outcome for i in items) for outcome in ("accepted", "duplicate",
                                                                                      "refused")},
               "items": items}
    store.save_batch(batch_id, team.team_id, results, now)
    log.info("batch.filed", team_id=team.team_id, batch_id=batch_id, accepted=results["accepted"],
             duplicate=results["duplicate"], refused=results["refused"])
    return results


def submit_item(intake, store, team: TeamKey, batch_id: str, number: int, row: dict, files: dict) -> dict:
    external_id = row.get("external_id")
    answer = {"row": number, "external_id": defused(external_id) if external_id is not None else None}
    if not isinstance(external_id, str) or not EXTERNAL_ID.fullmatch(external_id):
        return refused(answer, {"external_id": ["Required: 1 to 100 letters, digits or . _ - / :, "
                                                "starting with a letter or digit."]})
    if earlier := store.finding(team.team_id, external_id):
        return {**answer, "status": "duplicate", "tracking_code": earlier}
    document, names = finding_document(row)
    errors = {"screenshots": [f"No file named {defused(n)} in this upload." for n in names if n not in files]}
    if isinstance(row.get("subject_nip"), NumberCell):
        errors["subject_nip"] = ["Enter the NIP as text: a spreadsheet number keeps only 15 digits."]
    uploads = [Upload.read(i, files[n]) for i, n in enumerate(names) if n in files]
    try:
        data = check(document, uploads, intake.max_files)
    except (ValidationError, UnsupportedEvidence) as exc:
        add_errors(errors, exc.messages if isinstance(exc, ValidationError) else exc.errors, names)
    if any(errors.values()):
        return refused(answer, errors)
    try:
        tracking_code = accept_finding(intake, store, team, batch_id, external_id, data, uploads)
    except IntegrityError:  # the same item raced in another batch: that one was filed
        return {**answer, "status": "duplicate", "tracking_code": store.finding(team.team_id, external_id)}
    except QuotaExceeded:
        return refused(answer, {"screenshots": ["Today's evidence storage quota is used up; upload again tomorrow."]})
    return {**answer, "status": "accepted", "tracking_code": tracking_code}


def refused(answer: dict, errors: dict) -> dict:
    return {**answer, "status": "refused", "errors": {k: v for k, v in errors.items() if v}}


def add_errors(errors: dict, messages, names: list[str]) -> None:
    """Validation errors by the team's column names; a file's error names the file."""
    flat = messages if isinstance(messages, dict) else {"_schema": messages}
    for path, found in flat.items():
        found = found if isinstance(found, list) else [str(found)]
        if path.startswith("evidence.") and path[9:].isdigit() and int(path[9:]) < len(names):
            found = [f"{defused(names[int(path[9:])])}: {m}" for m in found]
        errors.setdefault(column_of(path), []).extend(str(m) for m in found)


def accept_finding(intake, store, team: TeamKey, batch_id: str, external_id: str, data: dict,
                   uploads: list[Upload]) -> str:
    size, day = sum(u.size for u in uploads), datetime.now(timezone.utc).date()
    if size and not intake.repository.reserve_quota(day, size, intake.daily_quota_bytes):
        raise QuotaExceeded()
    complaint_id, now, tracking_code = str(uuid.uuid4()), datetime.now(timezone.utc), receipts.new_tracking_code()
    try:
        originals = store_originals(intake.store, complaint_id, uploads)
        event = submitted_event(complaint_id, tracking_code, now, data, originals, None, team.source)
        unseen_receipt = receipts.receipt_hash(receipts.new_receipt())  # never shown: a team reads its findings with its key
        with intake.repository.transaction() as tx:
            tx.add(Accepted(complaint_id, tracking_code, unseen_receipt, now, event, None, None))
            store.add_finding(tx, team.team_id, external_id, complaint_id, batch_id)
    except Exception:
        intake.repository.release_quota(day, size)
        raise
    log.info("finding.accepted", correlation_id=complaint_id, team_id=team.team_id, evidence_files=len(originals))
    return tracking_code
