"""The scheduler's pieces without servers: the holiday check's warning, the job table against the settings,
and refused cron expressions."""
from datetime import timedelta

import pytest
from pydantic import ValidationError
from structlog.testing import capture_logs

from services.common import workdays
from services.ops.jobs import BY_NAME, JOBS, check_holidays
from services.ops.job_lock import lock_key
from services.ops.settings import ScheduleSettings


def test_the_holiday_check_warns_once_fewer_days_are_left_than_configured():
    end = workdays.last_published_day()
    with capture_logs() as early:
        assert check_holidays(end - timedelta(days=200), warn_days=180) == 200
    with capture_logs() as late:
        assert check_holidays(end - timedelta(days=90), warn_days=180) == 90
    assert not [line for line in early if line["log_level"] == "warning"]
    [warning] = [line for line in late if line["log_level"] == "warning"]
    assert warning["event"] == "schedule.holiday_data_running_out" and warning["days_left"] == 90
    assert warning["last_published"] == end.isoformat()


def test_every_job_has_a_schedule_setting_and_a_lock_of_its_own():
    fields = ScheduleSettings.model_fields
    assert all(job.schedule in fields and job.database in ("intake", "notify", "desk") for job in JOBS)
    assert len({lock_key(job.name) for job in JOBS} | {lock_key("scheduler")}) == len(JOBS) + 1
    assert set(BY_NAME) == {"digest", "escalation", "purge-contacts", "purge-identities", "holiday-check"}


@pytest.mark.parametrize("field, value", [("schedule_purge", "61 * * * *"), ("schedule_digest", "daily"),
                                          ("schedule_timezone", "Mars/Olympus")])
def test_a_wrong_schedule_is_refused_at_start(field, value):
    with pytest.raises(ValidationError, match=field):
        ScheduleSettings(**{field: value})


def test_the_shipped_times_are_in_the_office_zone():
    settings = ScheduleSettings()
    assert settings.schedule_timezone == "Asia/Jakarta" and settings.schedule_digest == "0 7 * * *"


def test_a_run_for_a_given_day_passes_it_to_the_digest_and_the_escalation_only(monkeypatch):
    from datetime import date
    from types import SimpleNamespace

    from services.ops import schedule
    ran = []
    monkeypatch.setattr(schedule.subprocess, "run", lambda command, **_: ran.append(command) or
                        SimpleNamespace(returncode=0))
    settings = SimpleNamespace(database_urls=lambda: {"desk": "d", "notify": "n", "intake": "i"})
    for name in ("digest", "escalation", "purge-contacts"):
        assert schedule.execute(BY_NAME[name], settings, None, date(2026, 12, 7)) == schedule.OK
    assert [command[-2:] for command in ran[:2]] == [["--date", "2026-12-07"]] * 2
    assert "--date" not in ran[2]
