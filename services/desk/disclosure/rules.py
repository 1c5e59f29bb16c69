"""Who may ask for a reporter's identity, and what a request must carry; plain checks that say why not."""
from __future__ import annotations

import uuid
from datetime import datetime

from services.reference.disclosure import bases_for

from services.desk.cases.access import WRITERS, Staff

CUSTODIAN = "kustodian"
MIN_REASON = 20
MAX_REASON = 2000
ASKED, APPROVED, REFUSED, AVAILABLE, UNAVAILABLE, SHOWN = (
    "diajukan", "disetujui", "ditolak", "tersedia", "tidak_tersedia", "ditampilkan")
OPEN = (ASKED, APPROVED)


def may_ask(staff: Staff, unit_kind: str | None, case: dict, access: str | None) -> list[str]:
    """Why this officer may not ask for this case's reporter; empty when they may."""
    if access is None or staff.role not in WRITERS or not bases_for(unit_kind):
        return ["Unit Anda tidak berwenang meminta identitas pelapor."]
    if (case.get("law") or {}).get("reporter_named") is False:
        return ["Pelapor kasus ini tidak menyebutkan identitas (anonim): tidak ada identitas untuk diminta."]
    return []


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
