"""Whether each step of a case's chain kept its own deadline, and its outcome in words: for the case file and the
figures per step and body.

A step's deadline is its statutory due date (`due`, set when routing opened it). A step ended on or before that
office day is on time, one ended later is late; an open step past it is late already; an open step not yet due,
a step with no statutory due date and a waiting step are not judged.
"""
from __future__ import annotations

from datetime import date

from ..cases.deadlines import as_day

ON_TIME, LATE, RUNNING, NO_DEADLINE, WAITING = "tepat_waktu", "terlambat", "berjalan", "tanpa_tenggat", "menunggu"
WORDS = {ON_TIME: "tepat waktu", LATE: "terlambat", RUNNING: "berjalan, belum lewat tenggat",
         NO_DEADLINE: "tanpa tenggat", WAITING: "belum dimulai"}


def kept(step: dict, today: date) -> str:
    """One of ON_TIME, LATE, RUNNING, NO_DEADLINE, WAITING."""
    if not step.get("opened_at"):
        return WAITING
    due = as_day(step.get("due"))
    if due is None:
        return NO_DEADLINE
    ended = as_day(step.get("completed_at"))
    if ended is None:
        return LATE if today > due else RUNNING
    return ON_TIME if ended <= due else LATE


def owner(step: dict) -> tuple[str, str]:
    """(unit id, name) of the body that owned the step: the one that completed it, else the one it went to."""
    done_by = step.get("done_by") or {}
    return done_by.get("unit_id") or step["unit_id"], done_by.get("name") or step.get("name") or step["unit_id"]


def outcome_lines(result: dict | None) -> list[str]:
    """The outcome handed on, as lines: the recommendation or the decision with its decree and sanction."""
    if not result:
        return []
    lines = []
    if result.get("kind") == "keputusan":
        lines.append(f"Keputusan PPK nomor {result.get('decree_number') or '—'} tanggal "
                     f"{result.get('decree_date') or '—'}: {result.get('label') or '—'}.")
        if result.get("no_sanction_reason"):
            lines.append(f"Alasan tanpa sanksi: {result['no_sanction_reason']}")
    elif result.get("kind") == "rekomendasi":
        lines.append(f"Rekomendasi: {result.get('label') or '—'}.")
    if result.get("summary"):
        lines.append(f"{handoff_word(result.get('kind'))}: {result['summary']}")
    return lines


def handoff_word(kind: str | None) -> str:
    return {"hasil_pemantauan": "Hasil pemantauan", "keputusan": "Catatan"}.get(kind or "", "Ringkasan temuan")
