"""The scheduler: runs each job of jobs.py on its cron expression, under its advisory lock, one log line
and one count per run; of several replicas only the leader (job_lock.Leadership) schedules.

`python -m services.ops schedule` serves /healthz, /readyz and /metrics on NETRA_HEALTH_BIND until SIGTERM;
`--once JOB...` runs those jobs now and exits with their status (a Kubernetes CronJob, or an operator).
"""
from __future__ import annotations

import os
import signal
import subprocess
import threading
import time
from datetime import date, datetime
from zoneinfo import ZoneInfo

import structlog
from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.triggers.cron import CronTrigger

from services.common.db import database_answers
from services.common.health import serve_health
from services.common.metrics import ScheduleMetrics

from .job_lock import Leadership, job_lock
from .jobs import BY_NAME, JOBS, Job, check_holidays
from .settings import ScheduleSettings

log = structlog.get_logger("netra.schedule")
OK, FAILED, SKIPPED = "ok", "failed", "skipped"
STANDBY_SECONDS = 15  # how often a standby replica tries to take the lead
LEADER_CHECK_SECONDS = 30  # how often the leader checks that its lock's session is still there


def run_job(job: Job, settings: ScheduleSettings, metrics: ScheduleMetrics, day: date | None = None) -> str:
    """Runs one job if its lock is free (a dated job for `day`, default today); returns ok, failed or skipped,
    counted and logged."""
    started = time.monotonic()
    with job_lock(settings.database_urls()[job.database], job.name) as held:
        outcome = execute(job, settings, metrics, day) if held else SKIPPED
    metrics.runs.labels(job=job.name, outcome=outcome).inc()
    if outcome == OK:
        metrics.last_success.labels(job=job.name).set_to_current_time()
    report = log.error if outcome == FAILED else log.info
    report("schedule.job_run", job=job.name, outcome=outcome, seconds=round(time.monotonic() - started, 3))
    return outcome


def execute(job: Job, settings: ScheduleSettings, metrics: ScheduleMetrics, day: date | None = None) -> str:
    try:
        if not job.command:
            today = datetime.now(ZoneInfo(settings.schedule_timezone)).date()
            metrics.holiday_days_left.set(check_holidays(today, settings.holiday_warn_days))
            return OK
        # A job is a service's own command run by this service: the scheduler's environment only, no file.
        env = {**os.environ, "NETRA_DATABASE_URL": settings.database_urls()[job.database], "NETRA_SETTINGS_DIR": ""}
        command = [*job.command, *(("--date", day.isoformat()) if day and job.dated else ())]
        return OK if subprocess.run(command, env=env, timeout=3600).returncode == 0 else FAILED
    except Exception as exc:  # noqa: BLE001 - a job that fails must not stop the scheduler; the next run tries again
        log.error("schedule.job_error", job=job.name, error=type(exc).__name__)
        return FAILED


def serve(settings: ScheduleSettings, metrics: ScheduleMetrics) -> int:
    """Stands by until this replica leads, then schedules every job until SIGTERM (0) or until its lock's
    session is lost (1: the supervisor restarts it, and another replica may lead meanwhile)."""
    stop = threading.Event()
    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, lambda *_: stop.set())
    leader = Leadership(settings.desk_database_url)
    health = serve_health(settings.health_bind, {"database": lambda: database_answers(leader.engine)})
    log.info("schedule.started", health_port=health.server_address[1],
             jobs={job.name: getattr(settings, job.schedule) for job in JOBS})
    try:
        if not wait_to_lead(leader, metrics, stop):
            return 0
        return lead(leader, build_scheduler(settings, metrics), stop)
    finally:
        leader.release()
        health.shutdown()
        log.info("schedule.stopped")


def wait_to_lead(leader: Leadership, metrics: ScheduleMetrics, stop: threading.Event) -> bool:
    metrics.leader.set(0)
    if not leader.try_acquire():
        log.info("schedule.standby", advice="another scheduler replica leads; this one takes over when it stops")
        while not leader.try_acquire():
            if stop.wait(STANDBY_SECONDS):
                return False
    metrics.leader.set(1)
    log.info("schedule.leading")
    return True


def lead(leader: Leadership, scheduler: BackgroundScheduler, stop: threading.Event) -> int:
    scheduler.start()
    try:
        while not stop.wait(LEADER_CHECK_SECONDS):
            if not leader.held():
                log.error("schedule.leadership_lost", advice="restarting; another replica may lead meanwhile")
                return 1
        return 0
    finally:
        scheduler.shutdown(wait=True)


def build_scheduler(settings: ScheduleSettings, metrics: ScheduleMetrics) -> BackgroundScheduler:
    scheduler = BackgroundScheduler(timezone=ZoneInfo(settings.schedule_timezone),
                                    job_defaults={"coalesce": True, "max_instances": 1, "misfire_grace_time": 600})
    for job in JOBS:
        trigger = CronTrigger.from_crontab(getattr(settings, job.schedule), timezone=scheduler.timezone)
        scheduler.add_job(run_job, trigger, args=(job, settings, metrics), id=job.name, name=job.name)
    return scheduler


def run_once(names: list[str], settings: ScheduleSettings, metrics: ScheduleMetrics,
             day: date | None = None) -> int:
    """Each named job now (all of them for "all"), the digest and escalation for `day` (default today); 1 when
    one failed. A skipped run is not a failure."""
    jobs = JOBS if names == ["all"] else tuple(BY_NAME[name] for name in names)
    outcomes = [run_job(job, settings, metrics, day) for job in jobs]
    return 1 if FAILED in outcomes else 0
