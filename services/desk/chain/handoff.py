"""The end of a step: the unit that owns it records its outcome (a recommendation, the PPK's decision with
its decree and BAP, or the result of the Kanreg's check) and hands the case on. Routing then opens the next step
(case.step_opened); after the last step the case is closed.

Runs on the desk's Case inside the repository's transaction with the case's row locked (`cases.act`), like
every other move; the decree's and the BAP's PDFs are archived (documents.py) only once the outcome is acceptable.
"""
from __future__ import annotations

import copy
import functools
from dataclasses import asdict, dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Callable

import yaml

from .. import events
from ..cases import deadlines
from ..cases.access import Staff, access_to
from ..cases.case import READ_ONLY, Case
from ..cases.changes import Change, NotFound, Refused, audit_line
from .steps import DONE, active_step

SANCTIONS = Path(__file__).resolve().parents[1] / "data" / "sanctions.yaml"
CLOSED = ("langkah_selesai", "selesai", "dialihkan")
NONE = "tidak_ada"
TEXT_LIMIT = 4000


@functools.cache
def sanctions() -> dict:
    return yaml.safe_load(SANCTIONS.read_text(encoding="utf-8"))


@dataclass(frozen=True)
class Outcome:
    """What an officer typed at the end of a step; which fields count depends on the step's outcome kind."""
    summary: str = ""
    file_note: str = ""
    recommendation: str = ""  # a level of sanctions.yaml `recommendations`
    decision: str = ""  # a code of sanctions.yaml `decisions`
    decree_number: str = ""
    decree_date: str = ""
    no_sanction_reason: str = ""


def outcome_problems(kind: str, outcome: Outcome, today: date) -> list[str]:
    problems = [] if kind == "keputusan" or outcome.summary.strip() else ["Ringkasan untuk instansi berikutnya wajib diisi."]
    if len(outcome.summary) > TEXT_LIMIT:
        problems.append(f"Ringkasan paling panjang {TEXT_LIMIT} karakter.")
    if kind == "rekomendasi" and outcome.recommendation not in sanctions()["recommendations"]:
        problems.append("Pilih rekomendasi sanksi.")
    if kind == "keputusan":
        problems += decision_problems(outcome, today)
    return problems


def decision_problems(outcome: Outcome, today: date) -> list[str]:
    problems = [] if outcome.decree_number.strip() else ["Nomor keputusan wajib diisi."]
    try:
        if date.fromisoformat(outcome.decree_date) > today:
            problems.append("Tanggal keputusan tidak boleh di masa depan.")
    except ValueError:
        problems.append("Tanggal keputusan wajib diisi dengan format YYYY-MM-DD.")
    if outcome.decision not in sanctions()["decisions"]:
        problems.append("Pilih sanksi menurut PP 94/2021, sanksi moral, atau tanpa sanksi.")
    elif outcome.decision == NONE and not outcome.no_sanction_reason.strip():
        problems.append("Alasan tidak dijatuhkan sanksi wajib diisi.")
    return problems


def label_of(outcome: Outcome) -> str:
    """The recommendation or decision in words, for the next body's mail and page."""
    if outcome.decision:
        return sanctions()["decisions"][outcome.decision]["label"]
    return sanctions()["recommendations"].get(outcome.recommendation, "")


def complete_step(case: Case, staff: Staff, outcome: Outcome, archive: Callable[[], dict],
                  at: datetime) -> Change:
    """The step's outcome recorded, the step closed and case.step_completed in the outbox. A decision's
    documents are archived (`archive`: {"document": the decree, "bap": the BAP or None}) only once it is
    acceptable; case.step_completed then tells the evidence service to add them to the manifest."""
    step = _writable_step(case, staff)
    _refuse(outcome_problems(step["outcome"], outcome, deadlines.office_day(at)))
    documents = archive() if step["outcome"] == "keputusan" else {}
    result = {"kind": step["outcome"], **asdict(outcome), "label": label_of(outcome),
              "document": documents.get("document"), "bap": documents.get("bap")}
    del result["file_note"]  # the note for the file stays in the desk's history
    chain = copy.deepcopy(case.row["chain"])
    record = chain["steps"][step["number"] - 1]
    record.update(state=DONE, completed_at=at.isoformat(), result=result,
                  done_by={"unit_id": case.row["unit_id"], "name": case.row["unit_name"]})
    last = step["number"] == len(chain["steps"])
    status = "selesai" if last else "langkah_selesai"
    return _change(case, staff, chain, record, status, outcome.file_note or outcome.summary, at)


def _change(case: Case, staff: Staff, chain: dict, record: dict, status: str, note: str, at: datetime) -> Change:
    sequence = case.row["sequence"] + 1
    entry = {"case_id": case.case_id, "unit_id": case.row["unit_id"], "status": status,
             "previous_status": case.status, "actor": staff.username, "file_note": note, "public_note": None,
             "details": record["result"], "at": at}
    sent = [events.step_completed(case.row, record, len(chain["steps"]), at)]
    if status == "selesai":
        sent.append(events.status_changed(case.row, status, case.status, "Penanganan selesai.", sequence, at))
    updates = {"chain": chain, "status": status, "status_since": at, "sequence": sequence, "due_date": None}
    if sanction := sanction_of(record["result"]):
        updates["sanction"] = sanction
    return Change(case.case_id, case_updates=updates,
                  expected_sequence=case.row["sequence"], history=[entry], events=sent,
                  audit=[audit_line(staff.username, staff.unit_id, "case.step_completed", case.case_id,
                                    f"langkah {record['number']}: {record['result']['kind']}")])


def sanction_of(result: dict) -> dict | None:
    """The PPK's decision as the case's sanction (the status move's shape, which the figures, the export and the
    reports read); None for another outcome or no sanction."""
    level = sanctions()["decisions"][result["decision"]]["level"] if result.get("decision") else NONE
    if result["kind"] != "keputusan" or level == NONE:
        return None
    return {"decree_number": result["decree_number"], "decree_date": result["decree_date"], "sanction_kind": level}


def _writable_step(case: Case, staff: Staff) -> dict:
    access = access_to(staff, case.accesses)
    if access is None:
        raise NotFound(case.case_id)
    if access != "write":
        raise Refused([READ_ONLY])
    step = active_step(case.row.get("chain"))
    if step is None or case.status in CLOSED:
        raise Refused(["Kasus ini tidak memiliki langkah yang sedang dikerjakan unit Anda."])
    if case.pending_transfer:
        raise Refused(["Selesaikan dulu pengalihan yang menunggu persetujuan."])
    return step


def _refuse(reasons: list[str]) -> None:
    if reasons:
        raise Refused(reasons)


def followed(chain: dict | None) -> dict | None:
    """Whether the PPK's decision follows the last recommendation before it: diikuti, lebih ringan, lebih berat."""
    steps = (chain or {}).get("steps", [])
    decided = next((s for s in steps if s["outcome"] == "keputusan" and s.get("result")), None)
    advised = [s for s in steps if s["outcome"] == "rekomendasi" and s.get("result")
               and decided and s["number"] < decided["number"]]
    if not decided or not advised:
        return None
    levels = sanctions()["levels"]
    wanted, got = advised[-1]["result"]["recommendation"], sanctions()["decisions"][decided["result"]["decision"]]["level"]
    verdict = "diikuti" if wanted == got else ("lebih ringan" if levels.index(got) < levels.index(wanted) else "lebih berat")
    return {"recommended": sanctions()["recommendations"][wanted], "by": advised[-1]["done_by"]["name"],
            "decided": sanctions()["decisions"][decided["result"]["decision"]]["label"], "verdict": verdict}


DOCUMENT_FIELDS = ("document", "bap")  # a decision's result: the decree, the BAP


def documents_of(chain: dict | None) -> list[dict]:
    """Every document the case's steps filed, with the sanitised copy once the evidence service made it."""
    return [s["result"][name] for s in (chain or {}).get("steps", []) for name in DOCUMENT_FIELDS
            if (s.get("result") or {}).get(name)]
