"""evidence.added: files the reporter added from /lacak join the case's evidence list (the sanitised copy,
opened through the same audited route as the first files), with the history line "Pelapor menambahkan bukti".

Idempotent: each appended file carries its addition_id, so a redelivered event finds them and changes
nothing. An addition for a case the desk has not received yet (case.routed still on its way) is retried.
"""
from __future__ import annotations

from datetime import datetime, timezone

from services.common.envelope import read_payload

from ..events import EvidenceAddedSchema
from ..ports import CaseWork, Tell
from .arrivals import SYSTEM, evidence_files
from .changes import Change, audit_line
from .reporter_news import ADDED_EVIDENCE, nobody

HISTORY_NOTE = "Pelapor menambahkan bukti"


class CaseNotYetHere(Exception):
    """Transient: the worker retries until case.routed has created the case."""


def evidence_added(event: dict, cases: CaseWork, tell: Tell = nobody) -> None:
    """Appends the files and tells the unit; a redelivered event (already appended) tells it again, as the
    first telling may be what failed (services/desk/cases/reporter_news.py)."""
    added = read_payload(EvidenceAddedSchema, event)
    case = cases.by_complaint(added["complaint_id"])
    if case is None:
        raise CaseNotYetHere(added["complaint_id"])
    if not added["files"]:
        return  # nothing archived
    if not any(f.get("addition_id") == added["addition_id"] for f in case["files"]):
        cases.apply(addition_change(case, added, datetime.now(timezone.utc)))
    tell(case, ADDED_EVIDENCE)


def addition_change(case: dict, added: dict, at: datetime) -> Change:
    after = max((f["index"] for f in case["files"]), default=-1) + 1
    new = [{**shown, "index": after + n, "addition_id": added["addition_id"]}
           for n, shown in enumerate(evidence_files(added["files"]))]
    entry = {"case_id": case["case_id"], "unit_id": case["unit_id"], "status": case["status"],
             "previous_status": case["status"], "actor": SYSTEM, "file_note": f"{HISTORY_NOTE} ({len(new)} berkas).",
             "public_note": None, "details": None, "at": at}
    return Change(case["case_id"], case_updates={"files": case["files"] + new}, history=[entry],
                  audit=[audit_line(SYSTEM, case["unit_id"], "evidence.added", case["case_id"], added["addition_id"])])
