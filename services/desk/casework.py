"""What officers do to a case: move it, ask for and approve a transfer, ask the reporter a question.

Plain functions over a repository (`cases`): they check access and the lifecycle, then hand one Change
to `cases.apply`. Officers' names and notes for the file stay in the desk; events carry the public part.
"""
from __future__ import annotations

import uuid
from datetime import datetime, timezone

from . import deadlines, events, lifecycle
from .access import Staff, access_to
from .changes import Change, NotFound, Refused, audit_line


def now() -> datetime:
    return datetime.now(timezone.utc)


def open_case(cases, case_id: str, staff: Staff, write: bool = False) -> tuple[dict, str]:
    """The case and this officer's access to it; NotFound when they may not see it (or may not act)."""
    case = cases.get(case_id)
    access = access_to(staff, cases.accesses(case_id)) if case else None
    if access is None:
        raise NotFound(case_id)
    if write and access != "write":
        raise Refused(["Unit Anda hanya dapat membaca kasus ini."])
    return case, access


def move_case(cases, case_id: str, staff: Staff, move: lifecycle.Move, at: datetime | None = None) -> dict:
    case, _ = open_case(cases, case_id, staff, write=True)
    reasons = lifecycle.refusals(case["status"], move)
    if reasons:
        raise Refused(reasons)
    change = status_change(case, move, at or now())
    change.audit.append(audit_line(staff.username, staff.unit_id, "case.moved", case_id,
                                   f"{case['status']} -> {move.target}"))
    cases.apply(change)
    return cases.get(case_id)


def status_change(case: dict, move: lifecycle.Move, at: datetime) -> Change:
    sequence = case["sequence"] + 1
    updates = {"status": move.target, "status_since": at, "sequence": sequence,
               "due_date": deadlines.due_date(move.target, at)}
    if move.target == "sanksi_dijatuhkan":
        updates["sanction"] = dict(move.details)
    entry = {"case_id": case["case_id"], "unit_id": case["unit_id"], "status": move.target,
             "previous_status": case["status"], "actor": move.actor, "file_note": move.file_note,
             "public_note": move.public_note or None, "details": dict(move.details) or None, "at": at}
    event = events.status_changed(case, move.target, case["status"], move.public_note, sequence, at)
    return Change(case["case_id"], case_updates=updates, expected_sequence=case["sequence"],
                  history=[entry], events=[event])


def request_transfer(cases, units, case_id: str, staff: Staff, to_unit_id: str, reason: str) -> dict:
    case, _ = open_case(cases, case_id, staff, write=True)
    problems = transfer_problems(cases, units, case, to_unit_id, reason)
    if problems:
        raise Refused(problems)
    transfer = {"transfer_id": str(uuid.uuid4()), "case_id": case_id, "from_unit_id": case["unit_id"],
                "to_unit_id": to_unit_id, "reason": reason.strip(), "requested_by": staff.username,
                "requested_at": now(), "state": "diajukan"}
    cases.apply(Change(case_id, new_transfer=transfer, audit=[audit_line(
        staff.username, staff.unit_id, "transfer.requested", case_id, f"ke {to_unit_id}")]))
    return transfer


def transfer_problems(cases, units, case: dict, to_unit_id: str, reason: str) -> list[str]:
    problems = []
    if not reason or not reason.strip():
        problems.append("Alasan pengalihan wajib diisi.")
    if to_unit_id not in units:
        problems.append(f"Unit '{to_unit_id}' tidak ada dalam direktori.")
    elif to_unit_id == case["unit_id"]:
        problems.append("Kasus sudah berada di unit tersebut.")
    if "dialihkan" not in lifecycle.statuses()[case["status"]]["moves"]:
        problems.append(f"Kasus berstatus '{lifecycle.label(case['status'])}' tidak dapat dialihkan.")
    if cases.pending_transfer(case["case_id"]):
        problems.append("Sudah ada pengalihan yang menunggu persetujuan.")
    return problems


def approve_transfer(cases, case_id: str, staff: Staff, public_note: str | None = None) -> dict:
    case, _ = open_case(cases, case_id, staff, write=True)
    transfer = cases.pending_transfer(case_id)
    if transfer is None:
        raise Refused(["Tidak ada pengalihan yang menunggu persetujuan."])
    move = lifecycle.Move("dialihkan", staff.username, staff.role, f"Pengalihan disetujui: {transfer['reason']}",
                          public_note or "Laporan dialihkan ke unit yang berwenang.")
    reasons = lifecycle.refusals(case["status"], move, via="transfer")
    if reasons:
        raise Refused(reasons)
    at = now()
    change = status_change(case, move, at)
    change.transfer_updates = (transfer["transfer_id"], {"state": "disetujui", "approved_by": staff.username,
                                                         "approved_at": at})
    change.events.append(events.transfer_approved(case, transfer, at))
    change.audit.append(audit_line(staff.username, staff.unit_id, "transfer.approved", case_id,
                                   f"ke {transfer['to_unit_id']}"))
    cases.apply(change)
    return transfer


def ask_reporter(cases, case_id: str, staff: Staff, question: str) -> dict:
    case, _ = open_case(cases, case_id, staff, write=True)
    if not question or not question.strip():
        raise Refused(["Pertanyaan tidak boleh kosong."])
    if len(question) > 2000:
        raise Refused(["Pertanyaan paling panjang 2000 karakter."])
    asked = {"question_id": str(uuid.uuid4()), "case_id": case_id, "unit_id": case["unit_id"],
             "question": question.strip(), "asked_by": staff.username, "asked_at": now()}
    cases.apply(Change(case_id, new_question=asked, events=[events.question_asked(case, asked)],
                       audit=[audit_line(staff.username, staff.unit_id, "question.asked", case_id)]))
    return asked
