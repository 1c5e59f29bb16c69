"""When the PPK's step passes its deadline, the Kanreg that recommended sees it, with blocking the civil
servant's data in SIASN as the next action (Peraturan BKN 1/2023). Netra records that the Kanreg blocked;
it does not call SIASN."""
from __future__ import annotations

import copy
from datetime import date, datetime

from ..cases import deadlines
from ..cases.access import Staff
from ..cases.case import Case
from ..cases.changes import Change, NotFound, Refused, audit_line
from .steps import active_step

NEXT_ACTION = "Blokir data di SIASN"


def recommender(chain: dict | None, step: dict | None) -> dict | None:
    """The step whose recommendation the PPK's step acts on: the one just before it."""
    if not step or step["outcome"] != "keputusan" or step["number"] < 2:
        return None
    return chain["steps"][step["number"] - 2]


def overdue_ppk(chain: dict | None, today: date) -> dict | None:
    """The PPK's step when it is the active one and past its due date (and no block is recorded yet)."""
    step = active_step(chain)
    if step is None or step["outcome"] != "keputusan" or not step.get("due") or step.get("siasn_block"):
        return None
    return step if deadlines.is_overdue(deadlines.as_day(step["due"]), today) else None


def flagged_to(staff: Staff, chain: dict | None, today: date) -> dict | None:
    """The overdue PPK step, when this officer's unit made the recommendation it acts on."""
    step = overdue_ppk(chain, today)
    before = recommender(chain, step)
    done_by = (before or {}).get("done_by") or {}
    return step if step and staff.unit_id in (done_by.get("unit_id"), (before or {}).get("unit_id")) else None


def record_block(case: Case, staff: Staff, reference: str, at: datetime) -> Change:
    if case.accesses.get(staff.unit_id) is None:
        raise NotFound(case.case_id)
    step = flagged_to(staff, case.row.get("chain"), deadlines.office_day(at))
    if step is None or staff.role not in ("petugas", "kepala"):
        raise Refused(["Pemblokiran hanya dicatat oleh unit yang merekomendasikan, setelah tenggat PPK lewat."])
    if not reference.strip():
        raise Refused(["Nomor atau keterangan pemblokiran di SIASN wajib diisi."])
    chain = copy.deepcopy(case.row["chain"])
    chain["steps"][step["number"] - 1]["siasn_block"] = {"recorded_at": at.isoformat(), "unit_id": staff.unit_id,
                                                         "reference": reference.strip()[:200]}
    note = f"Data ASN diblokir di SIASN karena PPK tidak menindaklanjuti rekomendasi ({reference.strip()[:200]})."
    entry = {"case_id": case.case_id, "unit_id": staff.unit_id, "status": case.status,
             "previous_status": case.status, "actor": staff.username, "file_note": note, "public_note": None,
             "details": None, "at": at}
    return Change(case.case_id, case_updates={"chain": chain}, history=[entry],
                  audit=[audit_line(staff.username, staff.unit_id, "siasn.block_recorded", case.case_id, note)])
