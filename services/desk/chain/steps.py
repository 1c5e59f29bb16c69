"""A case's chain of steps as the desk keeps it (`cases.chain`): which body owns which step, each step's due
date, state and outcome. Routing plans the chain (case.routed's `chain`) and opens each next step
(case.step_opened); the desk records what each unit decides and hands the case on (handoff.py).

A step: number, unit_id, name, task, outcome (the kind it hands on), clock, basis, plus the desk's
state (menunggu, aktif, selesai), opened_at, due, completed_at, done_by (the unit that completed it, which a
transfer within the step may have changed) and result (the outcome as recorded).
"""
from __future__ import annotations

import copy
from datetime import datetime, timezone

from services.common.envelope import Permanent, read_payload

from ..cases import deadlines, lifecycle
from ..cases.changes import Change, audit_line
from ..events import StepOpenedSchema
from ..ports import CaseWork

SYSTEM = "sistem"
WAITING, ACTIVE, DONE = "menunggu", "aktif", "selesai"
TASK_WORDS = {"periksa": "memeriksa", "rekomendasi": "memberi rekomendasi", "putusan": "memutus",
              "pantau": "memantau tindak lanjut"}
OUTCOME_WORDS = {"rekomendasi": "rekomendasi", "keputusan": "keputusan PPK", "hasil_pemantauan": "hasil pemantauan"}


def initial_chain(planned: dict | None, law_deadlines: list[dict], primary: dict, at: datetime) -> dict | None:
    """The chain as it arrives with the case: its first step open with the unit the case went to, the others
    waiting."""
    if not planned:
        return None
    steps = [{**step, "state": WAITING, "opened_at": None, "due": None, "completed_at": None, "done_by": None,
              "result": None} for step in planned["steps"]]
    first = steps[0]
    first.update(state=ACTIVE, opened_at=at.isoformat(), unit_id=primary["unit_id"], name=primary["name"],
                 due=next((d["due"] for d in law_deadlines if d.get("clock") == first.get("clock")), None))
    return {"chain_id": planned["chain_id"], "current": 1, "steps": steps}


def active_step(chain: dict | None) -> dict | None:
    if not chain:
        return None
    return next((s for s in chain["steps"] if s["number"] == chain["current"] and s["state"] == ACTIVE), None)


def step_opened(event: dict, cases: CaseWork) -> None:
    """The next step's unit owns the case now; the one before keeps reading it. A repeat changes nothing."""
    opened = read_payload(StepOpenedSchema, event)
    case = cases.get(opened["case_id"])
    if case is None or not case.get("chain"):
        raise Permanent(f"case {opened['case_id']} with a chain is not at the desk")
    if case["chain"]["current"] >= opened["step"]["number"]:
        return
    cases.apply(taken_over(case, opened, datetime.now(timezone.utc)))


def taken_over(case: dict, opened: dict, at: datetime) -> Change:
    step, previous = opened["step"], opened["previous"]
    chain = copy.deepcopy(case["chain"])
    chain["current"] = step["number"]
    record = chain["steps"][step["number"] - 1]
    due = (step.get("deadline") or {}).get("due")
    record.update(state=ACTIVE, opened_at=at.isoformat(), unit_id=step["unit_id"], name=step["name"], due=due)
    first = lifecycle.lifecycle()["first"]
    updates = {"unit_id": step["unit_id"], "unit_name": step["name"], "status": first, "status_since": at,
               "due_date": deadlines.as_day(due) if due else deadlines.due_date(first, at), "chain": chain}
    note = (f"Langkah {step['number']} dari {len(chain['steps'])}: diteruskan oleh {previous['name']} "
            f"dengan {OUTCOME_WORDS.get(previous['outcome'].get('kind'), 'hasil')}.")
    entry = {"case_id": case["case_id"], "unit_id": step["unit_id"], "status": first,
             "previous_status": case["status"], "actor": SYSTEM, "file_note": note, "public_note": None,
             "details": None, "at": at}
    return Change(case["case_id"], case_updates=updates,
                  accesses={previous["unit_id"]: "former", case["unit_id"]: "former", step["unit_id"]: "primary"},
                  history=[entry], audit=[audit_line(SYSTEM, step["unit_id"], "case.step_opened", case["case_id"],
                                                     note)])
