"""Who may ask for a reporter's identity, and what a request must carry; plain checks that say why not.

Only an officer of the body that owns the case's current step asks (for a case without a chain: the unit
working it), and only when disclosure.yaml lists that body's kind: a unit in copy, or one whose step has
ended, reads the case and is told why it may not ask."""
from __future__ import annotations

import uuid
from datetime import datetime

from services.reference.disclosure import bases_for

from ..cases.access import WRITERS, Staff
from ..chain.steps import DONE, active_step

CUSTODIAN = "kustodian"
MIN_REASON = 20
MAX_REASON = 2000
ASKED, APPROVED, REFUSED, AVAILABLE, UNAVAILABLE, SHOWN = (
    "diajukan", "disetujui", "ditolak", "tersedia", "tidak_tersedia", "ditampilkan")
OPEN = (ASKED, APPROVED)
NOT_ENTITLED = "Unit Anda tidak berwenang meminta identitas pelapor."
STEP_ENDED = ("Langkah unit Anda pada kasus ini sudah selesai: identitas pelapor hanya dapat diminta oleh unit "
              "yang memegang langkah yang sedang berjalan.")
ONLY_READS = ("Unit Anda hanya membaca kasus ini (tembusan): identitas pelapor hanya dapat diminta oleh unit "
              "yang memegang langkah yang sedang berjalan.")


def may_ask(staff: Staff, unit_kind: str | None, case: dict, access: str | None) -> list[str]:
    """Why this officer may not ask for this case's reporter; empty when they may."""
    if access is None or staff.role not in WRITERS or not bases_for(unit_kind):
        return [NOT_ENTITLED]
    if ended_here(staff.unit_id, case, access):
        return [STEP_ENDED]
    if access != "write":
        return [ONLY_READS]
    if (case.get("law") or {}).get("reporter_named") is False:
        return ["Pelapor kasus ini tidak menyebutkan identitas (anonim): tidak ada identitas untuk diminta."]
    return []


def ended_here(unit_id: str, case: dict, access: str) -> bool:
    """Whether this unit's step of the case's chain is over: handed on, or completed and waiting for the next."""
    chain = case.get("chain")
    if not chain:
        return False
    if access == "write":
        return active_step(chain) is None
    return any((step["state"] == DONE or step["number"] < chain["current"])
               and unit_id in (step["unit_id"], (step.get("done_by") or {}).get("unit_id")) for step in chain["steps"])


def new_request(staff: Staff, unit_kind: str | None, case: dict, access: str | None, reason: str,
                basis: str, at: datetime) -> tuple[dict | None, list[str]]:
    """(the request row, []) or (None, the reasons it is refused)."""
    problems = may_ask(staff, unit_kind, case, access)
    reason = (reason or "").strip()
    if not problems and not MIN_REASON <= len(reason) <= MAX_REASON:
        problems.append(f"Alasan wajib diisi, {MIN_REASON} sampai {MAX_REASON} karakter.")
    if not problems and basis not in bases_for(unit_kind):
        problems.append("Pilih dasar hukum dari daftar.")
    if problems:
        return None, problems
    return {"request_id": str(uuid.uuid4()), "case_id": case["case_id"], "unit_id": staff.unit_id,
            "requested_by_id": staff.id, "requested_by": staff.username, "reason": reason, "legal_basis": basis,
            "requested_at": at, "state": ASKED}, []


def decision_problems(staff: Staff, reason: str) -> list[str]:
    if staff.role != CUSTODIAN:
        return ["Hanya kustodian identitas yang dapat memutuskan permintaan identitas."]
    if not MIN_REASON <= len((reason or "").strip()) <= MAX_REASON:
        return [f"Alasan keputusan wajib diisi, {MIN_REASON} sampai {MAX_REASON} karakter."]
    return []
