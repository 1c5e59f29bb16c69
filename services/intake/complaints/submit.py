"""Accepting a complaint: validate, reserve quota, write each original once into the evidence bucket, then save
the complaint and its event."""
from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, datetime, timezone

import structlog
from nacl.public import PublicKey

from services.common.envelope import new_event
from services.common.sealing import seal

from ..ports import Complaints, Originals
from . import receipts
from .repository import Accepted, DuplicateRequest
from .uploads import Upload, store_originals
from .validation import check

log = structlog.get_logger("netra.intake")


class IdempotencyConflict(Exception):
    """The Idempotency-Key was used before for a different request."""


class QuotaExceeded(Exception):
    """Today's evidence storage quota is used up."""


@dataclass(frozen=True)
class Intake:
    repository: Complaints
    store: Originals
    identity_key: PublicKey
    contact_key: PublicKey
    public_url: str
    max_files: int
    daily_quota_bytes: int
    disclosure_key: PublicKey | None = None  # the desk's: for requests the custodian approves


def submit_complaint(intake: Intake, document, uploads: list[Upload], idempotency_key: str | None = None) -> dict:
    data = check(document, uploads, intake.max_files)
    key = receipts.IdempotencyKey(idempotency_key) if idempotency_key else None
    fingerprint = key.fingerprint(document, [u.sha256 for u in uploads]) if key else None
    if key and (earlier := first_answer(intake.repository, key, fingerprint)):
        return earlier
    size, day = sum(u.size for u in uploads), datetime.now(timezone.utc).date()
    if size and not intake.repository.reserve_quota(day, size, intake.daily_quota_bytes):
        raise QuotaExceeded()
    try:
        return accept(intake, data, uploads, key, fingerprint)
    except DuplicateRequest:  # the same request raced with itself: both get the first answer
        intake.repository.release_quota(day, size)
        return first_answer(intake.repository, key, fingerprint)
    except Exception:
        intake.repository.release_quota(day, size)
        raise


def accept(intake: Intake, data: dict, uploads: list[Upload], key, fingerprint) -> dict:
    complaint_id, now = str(uuid.uuid4()), datetime.now(timezone.utc)
    tracking_code, receipt = receipts.new_tracking_code(), receipts.new_receipt()
    answer = {"tracking_code": tracking_code, "receipt": receipt, "status": "received",
              "status_url": f"{intake.public_url}/api/v1/complaints/{tracking_code}"}
    # Written before the complaint is saved, so a 202 always has its originals; a save that fails after
    # leaves them locked under a complaint id that never existed (intake may not delete: see docs).
    originals = store_originals(intake.store, complaint_id, uploads)
    identity, contact = sealed_reporter(intake, data.get("reporter") or {})
    with intake.repository.transaction() as tx:
        tx.add(Accepted(complaint_id, tracking_code, receipts.receipt_hash(receipt), now,
                        submitted_event(complaint_id, tracking_code, now, data, originals, contact), identity,
                        (key.digest, fingerprint, key.lock(answer)) if key else None,
                        disclosable(intake, data.get("reporter") or {}) if identity else None))
    log.info("complaint.accepted", correlation_id=complaint_id, evidence_files=len(originals))
    return answer


def sealed_reporter(intake: Intake, reporter: dict) -> tuple[str | None, str | None]:
    """(identity for the custodian, contact for notify): nothing at all for an anonymous reporter."""
    identity = {k: reporter[k] for k in ("name", "address", "email", "phone") if reporter.get(k)}
    if reporter.get("anonymous") or not identity:
        return None, None
    contact = seal(intake.contact_key, {"email": identity["email"]}) if identity.get("email") else None
    return seal(intake.identity_key, identity), contact


def disclosable(intake: Intake, reporter: dict) -> str | None:
    """The identity sealed to the desk's disclosure key: intake cannot open it either."""
    if intake.disclosure_key is None:
        return None
    return seal(intake.disclosure_key, {k: reporter[k] for k in ("name", "address", "email", "phone")
                                        if reporter.get(k)})


CITIZEN = {"kind": "citizen"}


def reporter_named(reporter: dict) -> bool:
    """Whether the reporter gave a name and a way to be reached (Bawaslu registers only such a report, UU 7/2017
    Pasal 454 ayat (4)). Only this yes/no leaves intake, never who."""
    return bool(not reporter.get("anonymous") and reporter.get("name")
                and (reporter.get("email") or reporter.get("phone")))


def submitted_event(complaint_id, tracking_code, now, data, originals, sealed_contact, source=None) -> dict:
    violation = {**data["violation"], "occurred_on": data["violation"]["occurred_on"].isoformat()}
    payload = {"complaint_id": complaint_id, "tracking_code": tracking_code, "submitted_at": now.isoformat(),
               "subject": data["subject"], "violation": violation,
               "reporter_named": reporter_named(data.get("reporter") or {}), "evidence": originals,
               "reporter_contact": sealed_contact, "source": source or CITIZEN}
    return new_event("complaint.submitted", payload, correlation_id=complaint_id, producer="intake")


def first_answer(repository: Complaints, key: receipts.IdempotencyKey, fingerprint: str) -> dict | None:
    found = repository.earlier_answer(key.digest)
    if found is None:
        return None
    if found[0] != fingerprint:
        raise IdempotencyConflict()
    return key.unlock(found[1])


def seconds_until_tomorrow(now: datetime | None = None) -> int:
    now = now or datetime.now(timezone.utc)
    tomorrow = datetime.combine(date.fromordinal(now.date().toordinal() + 1), datetime.min.time(), timezone.utc)
    return max(1, int((tomorrow - now).total_seconds()))
