"""The reconciler: every accepted complaint reaches its next step in time, or an operator sees it.

    python -m services.ops reconcile               lists the overdue complaints (exit 1 when there are any)
    python -m services.ops reconcile --redrive     ... and sends each one's complaint.submitted again
    python -m services.ops reconcile --every 60    runs every 60 s: netra_complaints_overdue on its health
                                                   port (/metrics), one log line per run

A re-drive is safe because every step already is: evidence finds the manifest there and republishes
evidence.archived from it, routing re-announces the case it has, notify finds the unit's mail sent and
only republishes notification.sent (docs/operations.md, "Overdue complaints").
"""
from __future__ import annotations

import threading
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from typing import Callable

import structlog
from prometheus_client.core import GaugeMetricFamily

from .intake_records import again
from .overdue import STEPS, Overdue, count_by_step, duration, find_overdue
from .ports import ComplaintRecords

log = structlog.get_logger("netra.reconcile")


def utc_now() -> datetime:
    return datetime.now(timezone.utc)


@dataclass(frozen=True)
class Reconciler:
    records: ComplaintRecords
    due: dict[str, timedelta]
    clock: Callable[[], datetime] = utc_now

    def overdue(self) -> list[Overdue]:
        return find_overdue(self.records.waiting(), self.due, self.clock())


@dataclass
class Outcome:
    overdue: list[Overdue]
    redriven: list[Overdue]
    not_found: list[Overdue]  # no complaint.submitted in intake's outbox to send again
    locked: bool = False  # another reconciler was re-driving: nothing sent this time


def reconcile(reconciler: Reconciler, redrive: bool) -> Outcome:
    overdue = reconciler.overdue()
    if not redrive or not overdue:
        return Outcome(overdue, [], [])
    events = {item.complaint_id: reconciler.records.submitted_event(item.complaint_id) for item in overdue}
    found = [item for item in overdue if events[item.complaint_id]]
    missing = [item for item in overdue if not events[item.complaint_id]]
    if not reconciler.records.redrive([again(events[item.complaint_id]) for item in found]):
        return Outcome(overdue, [], missing, locked=True)
    return Outcome(overdue, found, missing)


def report(outcome: Outcome, say: Callable[[str], None] = print) -> None:
    """What an operator reads: tracking code, complaint id, the step missing, how late. Nothing else."""
    say(f"{len(outcome.overdue)} complaint(s) overdue")
    for item in outcome.overdue:
        say(f"{item.tracking_code}  {item.complaint_id}  waits for {item.step}  overdue {duration(item.late)}"
            f" (waiting {duration(item.waited)})")
    for item in outcome.redriven:
        say(f"redriven {item.tracking_code}: complaint.submitted sent again")
    for item in outcome.not_found:
        say(f"cannot redrive {item.tracking_code}: intake's outbox holds no complaint.submitted for it")
    if outcome.locked:
        say("another reconciler is re-driving right now: nothing was sent; run again")


def log_summary(outcome: Outcome) -> None:
    log.info("reconcile.done", overdue=count_by_step(outcome.overdue), redriven=len(outcome.redriven),
             not_found=len(outcome.not_found), locked=outcome.locked,
             oldest_late_seconds=int(outcome.overdue[0].late.total_seconds()) if outcome.overdue else 0)


def run_every(reconciler: Reconciler, seconds: float, redrive: bool, stop: threading.Event) -> None:
    """A run, then another `seconds` later, until stop is set; a run that fails is logged and tried again."""
    while not stop.is_set():
        try:
            log_summary(reconcile(reconciler, redrive))
        except Exception as exc:  # noqa: BLE001 - the schedule outlives a database outage
            log.warning("reconcile.failed", error_type=type(exc).__name__)
        stop.wait(seconds)


class OverdueCollector:
    """netra_complaints_overdue{step}, counted from intake's database at scrape time (left out while the
    database does not answer: netra_check_up{check="database"} says why)."""

    def __init__(self, reconciler: Reconciler | None):
        self.reconciler = reconciler

    def describe(self):  # lets the registry learn the name without a query
        yield GaugeMetricFamily("netra_complaints_overdue", "", labels=["step"])

    def collect(self):
        try:
            counts = count_by_step(self.reconciler.overdue())
        except Exception as exc:  # noqa: BLE001 - a scrape must answer while the database is away
            log.warning("reconcile.count_unknown", error_type=type(exc).__name__)
            return
        family = GaugeMetricFamily("netra_complaints_overdue",
                                   "Accepted complaints past the time of the step they wait for", labels=["step"])
        for step in STEPS:
            family.add_metric([step], counts[step])
        yield family
