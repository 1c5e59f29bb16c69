"""Accepting a complaint: validate, stage the evidence, then commit the complaint and its event together."""
from __future__ import annotations

import hashlib
import json
import uuid
from dataclasses import dataclass
from datetime import datetime, timezone

import structlog
from marshmallow import ValidationError
from sqlalchemy import insert, select
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError

from services.common.envelope import new_event

from . import secrets as codes
from .schemas import load_complaint
from .staging import Upload, stage, unstage, upload_problems
from .tables import complaints, idempotency_keys, outbox, reporters, timeline

log = structlog.get_logger("netra.intake")


class UnsupportedEvidence(Exception):
    def __init__(self, errors: dict):
        self.errors = errors


class IdempotencyConflict(Exception):
    """The Idempotency-Key was used before for a different request."""


@dataclass(frozen=True)
class Intake:
    engine: Engine
    s3: object
    vault: codes.Vault
    public_url: str
    max_files: int


def check(document, uploads: list[Upload], max_files: int) -> dict:
    errors: dict = {}
    data: dict = {}
    try:
        data = load_complaint(document, len(uploads))
    except ValidationError as exc:
        errors = dict(exc.messages)
    invalid, unsupported = upload_problems(uploads, max_files)
    if errors or invalid:
        raise ValidationError({**errors, **invalid, **unsupported})
    if unsupported:
        raise UnsupportedEvidence(unsupported)
    return data


def submit_complaint(intake: Intake, document, uploads: list[Upload], client_ip: str | None,
                     idempotency_key: str | None = None) -> dict:
    data = check(document, uploads, intake.max_files)
    fingerprint = request_fingerprint(document, uploads) if idempotency_key else None
    if idempotency_key and (earlier := first_answer(intake, idempotency_key, fingerprint)):
        return earlier
    complaint_id = str(uuid.uuid4())
    staged = stage(intake.s3, complaint_id, uploads)
    try:
        answer = record(intake, complaint_id, data, staged, client_ip, idempotency_key, fingerprint)
    except IntegrityError:
        unstage(intake.s3, staged)
        if idempotency_key and (earlier := first_answer(intake, idempotency_key, fingerprint)):
            return earlier
        raise
    except Exception:
        unstage(intake.s3, staged)
        raise
    log.info("complaint.accepted", correlation_id=complaint_id, evidence_files=len(staged))
    return answer


def record(intake: Intake, complaint_id: str, data: dict, staged: list[dict], client_ip: str | None,
           idempotency_key: str | None, fingerprint: str | None) -> dict:
    now = datetime.now(timezone.utc)
    tracking_code, receipt = codes.new_tracking_code(), codes.new_receipt()
    reporter = data.get("reporter") or {}
    identity = {} if reporter.get("anonymous") else {k: reporter.get(k) for k in ("name", "email", "phone")}
    answer = {"tracking_code": tracking_code, "receipt": receipt, "status": "received",
              "status_url": f"{intake.public_url}/api/v1/complaints/{tracking_code}"}
    event = submitted_event(complaint_id, tracking_code, now, data, staged,
                            intake.vault.seal_contact(identity.get("email")))
    with intake.engine.begin() as conn:
        conn.execute(insert(complaints).values(
            complaint_id=complaint_id, tracking_code=tracking_code, receipt_hash=codes.receipt_hash(receipt),
            status="received", subject=event["payload"]["subject"], violation=event["payload"]["violation"],
            evidence=staged, submitted_at=now))
        conn.execute(insert(reporters).values(
            complaint_id=complaint_id, identity=intake.vault.lock({**identity, "ip": client_ip})))
        conn.execute(insert(timeline).values(complaint_id=complaint_id, status="received", at=now))
        conn.execute(insert(outbox).values(event_id=event["event_id"], event_type=event["event_type"],
                                           body=json.dumps(event, ensure_ascii=False)))
        if idempotency_key:
            conn.execute(insert(idempotency_keys).values(
                key=idempotency_key, request_hash=fingerprint, answer=intake.vault.lock(answer)))
    return answer


def submitted_event(complaint_id, tracking_code, now, data, staged, sealed_contact) -> dict:
    violation = {**data["violation"], "occurred_on": data["violation"]["occurred_on"].isoformat()}
    payload = {"complaint_id": complaint_id, "tracking_code": tracking_code, "submitted_at": now.isoformat(),
               "subject": data["subject"], "violation": violation, "evidence": staged,
               "reporter_contact": sealed_contact}
    return new_event("complaint.submitted", payload, correlation_id=complaint_id, producer="intake")


def request_fingerprint(document, uploads: list[Upload]) -> str:
    digest = hashlib.sha256(json.dumps(document, sort_keys=True, ensure_ascii=False).encode())
    for upload in uploads:
        digest.update(upload.sha256().encode())
    return digest.hexdigest()


def first_answer(intake: Intake, key: str, fingerprint: str) -> dict | None:
    with intake.engine.connect() as conn:
        row = conn.execute(select(idempotency_keys).where(idempotency_keys.c.key == key)).first()
    if row is None:
        return None
    if row.request_hash != fingerprint:
        raise IdempotencyConflict()
    return intake.vault.unlock(row.answer)
