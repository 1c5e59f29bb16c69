"""Which accepted complaints missed their next step, told from intake's public status timeline.

A complaint is received, then its evidence is archived, then it is routed, then its unit is told
(`unit_notified`); each step is due a set time after the one before it (ReconcileSettings). A transfer
routes it again, and the new unit's mail is due after that. `evidence_rejected` comes beside
`evidence_archived` (evidence publishes both at once) and is no step of its own. Once the unit was told, or
its mail failed for good (`notification_failed`: the message is parked, the parking lot shows it), or the
unit has moved the case on, nothing is due until a transfer routes it again.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

STEPS = ("evidence_archived", "routed", "unit_notified")
NEXT = {"received": "evidence_archived", "evidence_archived": "routed", "routed": "unit_notified"}
BESIDE = frozenset({"evidence_rejected"})
# The statuses of a complaint that may still wait for a step (a complaint's status is its latest entry's).
WAITING = (*NEXT, *sorted(BESIDE))


@dataclass(frozen=True)
class Waiting:
    """One complaint whose status is still on the way to its unit, with its timeline in order."""
    complaint_id: str
    tracking_code: str
    entries: tuple[tuple[str, datetime], ...]  # (status, at), oldest first


@dataclass(frozen=True)
class Overdue:
    complaint_id: str
    tracking_code: str
    step: str  # the step it waits for: evidence_archived, routed or unit_notified
    waited: timedelta
    late: timedelta  # beyond the step's time


def next_step(entries) -> tuple[str, datetime] | None:
    """The step the complaint waits for and since when, or None when nothing is due."""
    waiting = None
    for status, at in entries:
        if status in NEXT:
            waiting = (NEXT[status], at)
        elif status not in BESIDE:
            waiting = None
    return waiting


def find_overdue(complaints: list[Waiting], due: dict[str, timedelta], now: datetime) -> list[Overdue]:
    """The complaints that waited longer than their step's time, the longest-waiting first."""
    found = []
    for complaint in complaints:
        waiting = next_step(complaint.entries)
        if waiting is None:
            continue
        step, since = waiting
        if now - since > due[step]:
            found.append(Overdue(complaint.complaint_id, complaint.tracking_code, step, now - since,
                                 now - since - due[step]))
    return sorted(found, key=lambda overdue: overdue.waited, reverse=True)


def count_by_step(overdue: list[Overdue]) -> dict[str, int]:
    """Every step, with 0 where nothing is overdue (so the metric's series exist from the first run)."""
    counts = dict.fromkeys(STEPS, 0)
    for item in overdue:
        counts[item.step] += 1
    return counts


def duration(delta: timedelta) -> str:
    """7m05s, 2h03m, 3d04h: short enough for a list, exact enough to act on."""
    seconds = int(delta.total_seconds())
    days, rest = divmod(seconds, 86400)
    hours, rest = divmod(rest, 3600)
    minutes, seconds = divmod(rest, 60)
    if days:
        return f"{days}d{hours:02d}h"
    if hours:
        return f"{hours}h{minutes:02d}m"
    return f"{minutes}m{seconds:02d}s"
