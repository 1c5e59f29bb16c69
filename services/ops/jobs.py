"""What the scheduler runs. Each job but the holiday check is the owning service's own command, run with
that service's database as NETRA_DATABASE_URL: the scheduler reads no service's tables, and an operator can
run the same command by hand."""
from __future__ import annotations

import sys
from dataclasses import dataclass
from datetime import date

import structlog

from services.common import workdays

log = structlog.get_logger("netra.schedule")


@dataclass(frozen=True)
class Job:
    name: str
    database: str  # the service whose database holds the lock (and the job's data)
    schedule: str  # the ScheduleSettings field with its cron expression
    command: tuple[str, ...] = ()  # empty: runs in the scheduler itself
    dated: bool = False  # its command takes --date YYYY-MM-DD (the office day it works for)


def module(name: str, *args: str) -> tuple[str, ...]:
    return (sys.executable, "-m", name, *args)


JOBS = (
    Job("digest", "desk", "schedule_digest", module("services.desk.cli", "digest"), dated=True),
    Job("escalation", "desk", "schedule_digest", module("services.desk.cli", "escalate"), dated=True),
    Job("purge-contacts", "notify", "schedule_purge", module("services.notify.cli", "purge-contacts")),
    Job("purge-identities", "intake", "schedule_purge", module("services.intake.cli", "purge-identities")),
    Job("holiday-check", "desk", "schedule_holiday_check"),
)
BY_NAME = {job.name: job for job in JOBS}


def holiday_days_left(today: date) -> int:
    return (workdays.last_published_day() - today).days


def check_holidays(today: date, warn_days: int) -> int:
    """Days of published holiday data left; a warning to operators once fewer than warn_days remain."""
    left = holiday_days_left(today)
    if left < warn_days:
        log.warning("schedule.holiday_data_running_out", days_left=left,
                    last_published=workdays.last_published_day().isoformat(),
                    advice="update lokal-id once the next SKB 3 Menteri is published; until then deadlines "
                           "after that day are estimates (perkiraan) from NETRA_ESTIMATED_HOLIDAYS_FILE")
    return left
