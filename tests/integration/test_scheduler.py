"""The scheduler against the real PostgreSQL (its locks and each service's own database) and the SMTP
mailbox: reporters' contacts (notify) and sealed identities (intake) are gone after the retention period
and kept while a case is open; a job whose lock another process holds is skipped; of two schedulers at
once only one runs the jobs, and the other takes over when it stops."""
import json
import os
import subprocess
import sys
import threading
import time
import uuid
from datetime import datetime, timedelta, timezone

import pytest
import requests
from sqlalchemy import insert, select

from services.common.db import make_engine
from services.intake.tables import complaints, sealed_identities, timeline
from services.ops.job_lock import job_lock
from services.notify.repository import reporter_contacts
from tests.support.notify_mail import reporter
from tests.support import servers
from tests.support.migrated import migrated
from tests.support.system import ROOT

pytestmark = pytest.mark.integration
NOW = datetime.now(timezone.utc)


@pytest.fixture
def databases():
    """A fresh, migrated database for each service the scheduler's jobs work on."""
    made = {service: servers.new_database() for service in ("intake", "notify", "desk")}
    yield {service: migrated(service, url) for service, (_, url) in made.items()}
    for name, _ in made.values():
        servers.drop_database(name)


@pytest.fixture
def engines(databases):
    found = {service: make_engine(url) for service, url in databases.items()}
    yield found
    for engine in found.values():
        engine.dispose()


def scheduler_env(databases: dict, **extra: str) -> dict:
    return {**os.environ, "NETRA_INTAKE_DATABASE_URL": databases["intake"],
            "NETRA_NOTIFY_DATABASE_URL": databases["notify"], "NETRA_DESK_DATABASE_URL": databases["desk"],
            "NETRA_LOG_FORMAT": "json", "NETRA_HEALTH_BIND": "127.0.0.1:0", **extra}


def run_once(databases: dict, *jobs: str) -> list[dict]:
    done = subprocess.run([sys.executable, "-m", "services.ops", "schedule", "--once", *jobs], cwd=ROOT,
                          env=scheduler_env(databases), capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    return [line for line in log_lines(done.stderr) if line.get("event") == "schedule.job_run"]


def log_lines(text: str) -> list[dict]:
    return [json.loads(line) for line in text.splitlines() if line.startswith("{")]


def identity(engine, history: list[tuple[str, int]]) -> str:
    """A complaint with a sealed identity whose case went through history [(status, days ago)]."""
    complaint_id = str(uuid.uuid4())
    with engine.begin() as conn:
        conn.execute(insert(complaints).values(
            complaint_id=complaint_id, tracking_code=f"NTR-{uuid.uuid4().hex[:8].upper()}",
            receipt_hash="0" * 64, status="routed", subject={}, violation={}, evidence=[],
            submitted_at=NOW - timedelta(days=300)))
        conn.execute(insert(sealed_identities).values(complaint_id=complaint_id, token="sealed-for-the-custodian"))
        for status, days_ago in [("received", 300), *history]:
            conn.execute(insert(timeline).values(complaint_id=complaint_id, status=status,
                                                 at=NOW - timedelta(days=days_ago), event_id=str(uuid.uuid4())))
    return complaint_id


def has_identity(engine, complaint_id: str) -> bool:
    with engine.connect() as conn:
        return conn.execute(select(sealed_identities.c.complaint_id)
                            .where(sealed_identities.c.complaint_id == complaint_id)).first() is not None


def has_contact(engine, complaint_id: str) -> bool:
    with engine.connect() as conn:
        return conn.execute(select(reporter_contacts.c.sealed_contact)
                            .where(reporter_contacts.c.complaint_id == complaint_id)).scalar() is not None


def test_contacts_and_identities_are_gone_after_the_period_and_kept_while_the_case_is_open(databases, engines):
    intake, notify = engines["intake"], engines["notify"]
    old = identity(intake, [("selesai", 100)]), reporter(notify, [(4, "selesai", 100)])[0]
    recent = identity(intake, [("selesai", 10)]), reporter(notify, [(4, "selesai", 10)])[0]
    still_open = identity(intake, [("dalam_pemeriksaan", 200)]), reporter(notify, [(3, "dalam_pemeriksaan", 200)])[0]
    reopened = (identity(intake, [("selesai", 150), ("diverifikasi", 140)]),
                reporter(notify, [(4, "selesai", 150), (5, "diverifikasi", 140)])[0])

    runs = run_once(databases, "purge-contacts", "purge-identities")

    assert [(run["job"], run["outcome"]) for run in runs] == [("purge-contacts", "ok"), ("purge-identities", "ok")]
    assert not has_identity(intake, old[0]) and not has_contact(notify, old[1])
    for kept in (recent, still_open, reopened):
        assert has_identity(intake, kept[0]) and has_contact(notify, kept[1])


def test_a_job_whose_lock_another_process_holds_is_skipped_and_runs_once_the_lock_is_free(databases, engines):
    old = identity(engines["intake"], [("selesai", 100)])
    with job_lock(databases["intake"], "purge-identities") as held:
        assert held
        runs = run_once(databases, "purge-identities")
        assert [run["outcome"] for run in runs] == ["skipped"] and has_identity(engines["intake"], old)
    assert [run["outcome"] for run in run_once(databases, "purge-identities")] == ["ok"]
    assert not has_identity(engines["intake"], old)


class Scheduler:
    """A `python -m services.ops schedule` process whose JSON log lines are collected as they come."""

    def __init__(self, env: dict):
        self.process = subprocess.Popen([sys.executable, "-m", "services.ops", "schedule"], cwd=ROOT, env=env,
                                        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        self.lines: list[dict] = []
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        for line in self.process.stderr:
            if line.startswith("{"):
                self.lines.append(json.loads(line))

    def events(self, name: str) -> list[dict]:
        return [line for line in list(self.lines) if line.get("event") == name]

    def runs(self, job: str) -> list[str]:
        return [line["outcome"] for line in self.events("schedule.job_run") if line["job"] == job]

    def metrics(self) -> str:
        port = self.events("schedule.started")[0]["health_port"]
        return requests.get(f"http://127.0.0.1:{port}/metrics", timeout=5).text

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=30)


def wait_until(condition, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.2)


@pytest.mark.timeout(300)
def test_of_two_schedulers_at_once_one_runs_each_job_and_the_other_takes_over_when_it_stops(databases):
    every_minute = {f"NETRA_SCHEDULE_{job}": "* * * * *" for job in ("DIGEST", "PURGE", "HOLIDAY_CHECK")}
    jobs = ("digest", "purge-contacts", "purge-identities", "holiday-check")
    first, second = (Scheduler(scheduler_env(databases, **every_minute)) for _ in range(2))
    try:
        wait_until(lambda: first.events("schedule.leading") or second.events("schedule.leading"), 60, "a leader")
        leader, standby = (first, second) if first.events("schedule.leading") else (second, first)
        wait_until(lambda: standby.events("schedule.standby"), 30, "the other to stand by")
        wait_until(lambda: all(leader.runs(job) for job in jobs), 120, "the first minute's runs")
        assert all(leader.runs(job) == ["ok"] for job in jobs), leader.events("schedule.job_run")
        assert 'netra_scheduled_runs_total{job="purge-contacts",outcome="ok"} 1.0' in leader.metrics()
        assert "netra_scheduler_leader 1.0" in leader.metrics() and "netra_scheduler_leader 0.0" in standby.metrics()

        leader.stop()
        wait_until(lambda: standby.events("schedule.leading"), 60, "the standby to take over")
        wait_until(lambda: all(standby.runs(job) for job in jobs), 120, "the next minute's runs")
        # the standby ran nothing while the leader led: its runs are the ones after the take-over only
        assert all(standby.runs(job) == ["ok"] for job in jobs), standby.events("schedule.job_run")
        assert all(leader.runs(job) == ["ok"] for job in jobs)
    finally:
        for scheduler in (first, second):
            if scheduler.process.poll() is None:
                scheduler.stop()
