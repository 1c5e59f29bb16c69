"""Figures of the chains of steps: cases per current step, and per body that owned a step its cases, how many of
its steps are running, and how many kept the step's own statutory deadline (step_timeliness.py).

Input: the plain rows of reports.py (with `chain`); a case without a chain counts under "Tanpa rangkaian
langkah". Every step task is listed, with 0 where no case is at it, so the table keeps its shape.
"""
from __future__ import annotations

from collections import Counter
from datetime import date

from ..chain import step_timeliness as kept
from ..chain.steps import DONE, active_step

STEPS = {"periksa": "Bawaslu memeriksa", "rekomendasi": "Kanreg merekomendasikan", "putusan": "PPK memutus",
         "pantau": "Kanreg memantau", "selesai": "Semua langkah selesai", "tanpa_rangkaian": "Tanpa rangkaian langkah"}


def current_step(chain: dict | None) -> str:
    """The task of the chain's current step; "selesai" once its last step is done."""
    if not chain:
        return "tanpa_rangkaian"
    step = chain["steps"][chain["current"] - 1]
    return "selesai" if step["state"] == DONE and chain["current"] == len(chain["steps"]) else step["task"]


def per_step(rows: list[dict]) -> dict[str, dict]:
    counted = Counter(current_step(row.get("chain")) for row in rows)
    ordered = list(STEPS) + sorted(code for code in counted if code not in STEPS)
    return {code: {"label": STEPS.get(code, code), "count": counted.get(code, 0)} for code in ordered}


def per_body(rows: list[dict], today: date) -> list[dict]:
    """Per body that owned an opened step, by name: its cases, steps running, steps judged, on time and the rate."""
    found: dict[str, dict] = {}
    for row in rows:
        chain = row.get("chain") or {}
        for step in chain.get("steps", []):
            if not step.get("opened_at"):
                continue
            unit_id, name = kept.owner(step)
            entry = found.setdefault(unit_id, {"unit_id": unit_id, "name": name, "cases": set(), "running": 0,
                                               "judged": 0, "on_time": 0})
            _count(entry, row["case_id"], step is active_step(chain), kept.kept(step, today))
    return [{**entry, "cases": len(entry["cases"]),
             "rate": entry["on_time"] / entry["judged"] if entry["judged"] else None}
            for entry in sorted(found.values(), key=lambda e: e["name"])]


def _count(entry: dict, case_id: str, running: bool, verdict: str) -> None:
    entry["cases"].add(case_id)
    entry["running"] += running
    entry["judged"] += verdict in (kept.ON_TIME, kept.LATE)
    entry["on_time"] += verdict == kept.ON_TIME
