"""Timeliness per body: how often each unit left a status within its statutory or default period, and how
many days it took to first answer a case and to close it.

A case's history is a chain of periods: it enters a status (a history line whose status differs from the
one before) and stays until the next change. Each period has the due date that services/desk/cases/deadlines.py
gives every page (Indonesian working days, holidays included, data/durations.yaml). A period that ended on
or before its due date is on time; one that ended later, or is still open after its due date, is late; one
still open and not yet due is not counted. A period belongs to the unit that worked the case in it.
First answer: the first status change an officer made; closed: the case reached a final status.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime
from itertools import groupby
from statistics import median

from ..cases import deadlines
from ..cases.arrivals import SYSTEM


@dataclass(frozen=True)
class StatusPeriod:
    case_id: str
    unit_id: str
    status: str
    entered: datetime
    left: datetime | None


def status_periods(lines: list[dict]) -> list[StatusPeriod]:
    """The periods of one case's history lines, oldest first; a line that keeps the status starts none."""
    found: list[StatusPeriod] = []
    for line in sorted(lines, key=lambda line: line["at"]):
        if found and found[-1].status == line["status"]:
            continue
        if found:
            found[-1] = _closed(found[-1], line["at"])
        found.append(StatusPeriod(line["case_id"], line["unit_id"], line["status"], line["at"], None))
    return found


def on_time(period: StatusPeriod, today: date) -> bool | None:
    """True or False once known; None for a final status (no deadline) or an open period not yet due."""
    due = deadlines.due_date(period.status, period.entered) if period.status in deadlines.durations() else None
    if due is None:
        return None
    if period.left is None:
        return False if deadlines.is_overdue(due, today) else None
    return deadlines.office_day(period.left) <= due


def current_verdict(due: date | None, lines: list[dict], today: date) -> bool | None:
    """A case's standing against its deadline: while open, its due date (the step's statutory clock or the
    status's duration) decides, late once passed and None until then; once closed (no due date), whether the
    status it was closed from was left in time."""
    if due is not None:
        return False if deadlines.is_overdue(due, today) else None
    periods = status_periods(lines)
    return on_time(periods[-2], today) if len(periods) > 1 else None


def per_body(cases: list[dict], lines: list[dict], today: date) -> dict[str, dict]:
    """unit id -> {decided, on_time, rate (0..1 or None), first_answer_days, close_days (medians or None)}."""
    received = {case["case_id"]: case["received_at"] for case in cases}
    counts: dict[str, dict] = defaultdict(lambda: {"decided": 0, "on_time": 0, "answers": [], "closes": []})
    by_case = groupby(sorted((line for line in lines if line["case_id"] in received), key=_case_order), key=_case_id)
    for case_id, own in by_case:
        own = list(own)
        _count_periods(counts, status_periods(own), today)
        _count_days(counts, own, received[case_id])
    return {unit: _summary(entry) for unit, entry in sorted(counts.items())}


def _count_periods(counts, periods: list[StatusPeriod], today: date) -> None:
    for period in periods:
        verdict = on_time(period, today)
        if verdict is not None:
            counts[period.unit_id]["decided"] += 1
            counts[period.unit_id]["on_time"] += verdict


def _count_days(counts, lines: list[dict], received: datetime) -> None:
    answered = next((line for line in lines if line["actor"] != SYSTEM and line["status"] != line["previous_status"]), None)
    closed = next((line for line in lines if line["status"] in final_statuses()), None)
    if answered:
        counts[answered["unit_id"]]["answers"].append(_days(received, answered["at"]))
    if closed:
        counts[closed["unit_id"]]["closes"].append(_days(received, closed["at"]))


def final_statuses() -> tuple[str, ...]:
    return tuple(code for code, entry in deadlines.durations().items() if entry.working_days is None)


def _summary(entry: dict) -> dict:
    decided = entry["decided"]
    return {"decided": decided, "on_time": entry["on_time"],
            "rate": entry["on_time"] / decided if decided else None,
            "first_answer_days": _median(entry["answers"]), "close_days": _median(entry["closes"]),
            "answered": len(entry["answers"]), "closed": len(entry["closes"])}


def _closed(period: StatusPeriod, left: datetime) -> StatusPeriod:
    return StatusPeriod(period.case_id, period.unit_id, period.status, period.entered, left)


def _days(start: datetime, end: datetime) -> float:
    return (end - start).total_seconds() / 86400


def _median(values: list[float]) -> float | None:
    return round(median(values), 1) if values else None


def _case_id(line: dict) -> str:
    return line["case_id"]


def _case_order(line: dict) -> tuple:
    return line["case_id"], line["at"], line.get("id") or 0
