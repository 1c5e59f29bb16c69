"""Every command an operator starts (each worker, both gunicorn apps, each CLI) refuses a wrong configuration
before it connects anywhere: it exits non-zero and names every wrong variable on stderr.

Each entry point runs as a subprocess with no NETRA_* variable but the ones under test, so no server is needed.
"""
import os
import re
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from services.common.settings import CommonSettings
from services.desk.settings import DeskSettings, DeskWorkerSettings, DigestSettings
from services.evidence.settings import EvidenceSettings
from services.intake.settings import IdentityRetentionSettings, IntakeSettings
from services.migrate.settings import MigrateSettings
from services.notify.settings import ContactRetentionSettings, NotifySettings
from services.ops.settings import BackupSettings, ReconcileSettings, ScheduleSettings
from services.provision import ProvisionSettings
from services.routing.settings import RoutingSettings
from tests.conftest import ROOT

GUNICORN = str(Path(sys.executable).with_name("gunicorn"))
ENTRY_POINTS = {  # the command as docker-compose.yml, deploy/run-local.sh and docs/operations.md run it
    "intake": ([GUNICORN, "-c", "deploy/gunicorn.conf.py", "services.intake.app:create_app()"], IntakeSettings),
    "desk": ([GUNICORN, "-c", "deploy/gunicorn-desk.conf.py", "services.desk.app:create_app()"], DeskSettings),
    "intake-worker": (["-m", "services.intake.worker"], IntakeSettings),
    "evidence": (["-m", "services.evidence.worker"], EvidenceSettings),
    "routing": (["-m", "services.routing.worker"], RoutingSettings),
    "notify": (["-m", "services.notify.worker"], NotifySettings),
    "desk-worker": (["-m", "services.desk.worker"], DeskWorkerSettings),
    "migrate": (["-m", "services.migrate"], MigrateSettings),
    "topology": (["-m", "services.topology"], CommonSettings),
    "provision": (["-m", "services.provision"], ProvisionSettings),
    "desk.cli": (["-m", "services.desk.cli", "disable", "petugas"], DeskSettings),
    "desk.cli digest": (["-m", "services.desk.cli", "digest"], DigestSettings),
    "notify.cli": (["-m", "services.notify.cli", "purge-contacts"], ContactRetentionSettings),
    "intake.cli": (["-m", "services.intake.cli", "purge-identities"], IdentityRetentionSettings),
    "parking.cli": (["-m", "services.parking.cli", "list"], CommonSettings),
    "intake.custodian": (["-m", "services.intake.identity.custodian", "log"], IntakeSettings),
    "intake.team_cli": (["-m", "services.intake.teams.team_cli", "list"], IntakeSettings),
    "ops.backup": (["-m", "services.ops.backup", "backup", "var/never-written"], BackupSettings),
    "ops.reconcile": (["-m", "services.ops", "reconcile", "--every", "60"], ReconcileSettings),
    "ops.schedule": (["-m", "services.ops", "schedule"], ScheduleSettings),
}
# Neither talks to the broker or holds a key, so production has no development default of theirs to refuse.
# The scheduler's own settings are only its databases and times; each job's command refuses its own.
NOTHING_TO_REFUSE_IN_PRODUCTION = (MigrateSettings, ReconcileSettings, ScheduleSettings)
# A malformed value of every kind a class may read; each entry point must name the ones its class reads.
MALFORMED = {"NETRA_SMTP_PORT": "abc", "NETRA_MAX_ATTEMPTS": "0", "NETRA_INTAKE_WORKERS": "many",
             "NETRA_DESK_THREADS": "-1", "NETRA_ENV": "staging"}


def start(name: str, env: dict) -> tuple[int, str]:
    """(exit status, stderr) of the entry point; killed with its children if it is still running after 60 s."""
    command, _ = ENTRY_POINTS[name]
    command = command if command[0] == GUNICORN else [sys.executable, *command]
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("NETRA_", "PROMETHEUS_"))}
    run = subprocess.Popen(command, cwd=ROOT, env={**clean, **env}, stdin=subprocess.DEVNULL,
                           stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, start_new_session=True)
    try:
        _, stderr = run.communicate(timeout=60)
    except subprocess.TimeoutExpired:
        os.killpg(run.pid, signal.SIGKILL)
        run.communicate()
        pytest.fail(f"{name} did not stop on a refused configuration within 60 s")
    return run.returncode, stderr


def production_defaults_refused(cls, monkeypatch) -> list[str]:
    """The variables the class refuses in production with nothing configured (as this process sees it)."""
    for variable in [v for v in os.environ if v.startswith("NETRA_")]:
        monkeypatch.delenv(variable)
    problems = cls(env="production").production_problems()
    return sorted({name for problem in problems for name in re.findall(r"NETRA_[A-Z0-9_]+", problem)})


@pytest.mark.parametrize("name", [n for n, (_, cls) in ENTRY_POINTS.items()
                                  if cls not in NOTHING_TO_REFUSE_IN_PRODUCTION])
def test_production_with_development_defaults_is_refused_naming_each_variable(name, monkeypatch):
    refused = production_defaults_refused(ENTRY_POINTS[name][1], monkeypatch)
    assert "NETRA_AMQP_URL" in refused  # the broker's guest user: every service but migrate talks to it
    status, stderr = start(name, {"NETRA_ENV": "production"})
    print(name, "exit", status, stderr, sep="\n")
    assert status != 0
    assert "invalid configuration" in stderr and "Traceback" not in stderr
    for variable in refused:
        assert variable in stderr, f"{name} does not name {variable}"


@pytest.mark.parametrize("name", list(ENTRY_POINTS))
def test_malformed_values_are_refused_naming_each_variable(name):
    cls = ENTRY_POINTS[name][1]
    wrong = [v for v in MALFORMED if v.removeprefix("NETRA_").lower() in cls.model_fields]
    assert "NETRA_ENV" in wrong
    status, stderr = start(name, MALFORMED)
    print(name, "exit", status, stderr, sep="\n")
    assert status != 0
    assert "invalid configuration" in stderr and "Traceback" not in stderr
    for variable in wrong:
        assert f"{variable}:" in stderr, f"{name} does not name {variable}"
    assert len(wrong) == sum(line.startswith("  NETRA_") for line in stderr.splitlines())
