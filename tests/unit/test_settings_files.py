"""The local run's settings files: what deploy/settings_files.py writes, every settings class reads back,
after the process's own environment; a process's own file over the shared one; an empty folder name: none."""
import subprocess
import sys

import pytest

from services.common import settings as common_settings
from services.common.settings import ROOT
from services.desk.settings import DeskSettings
from services.migrate.settings import MigrateSettings

WRITER = [sys.executable, str(ROOT / "deploy" / "settings_files.py")]


@pytest.fixture(autouse=True)
def unset(monkeypatch):
    """The settings read here come from the files only, whatever the shell running the tests exported."""
    for name in ("NETRA_INVITATION_DAYS", "NETRA_MAIL_FROM", "NETRA_DATABASE_URL", "NETRA_DESK_DATABASE_URL"):
        monkeypatch.delenv(name, raising=False)


def write(path, *assignments, env=None):
    subprocess.run([*WRITER, str(path), *assignments], check=True, env=env, timeout=30)


def test_a_command_reads_what_the_local_run_wrote_and_its_environment_wins(tmp_path, monkeypatch):
    monkeypatch.setenv("NETRA_SETTINGS_DIR", str(tmp_path))
    write(tmp_path / "netra.env", env={"NETRA_INVITATION_DAYS": "9", "NETRA_MAIL_FROM": 'Meja "Unit" <m@x.go.id>',
                                       "NETRA_DATABASE_URL": "sqlite:///shared-must-not-be-written.db",
                                       "NETRA_S3_ROOT_PASSWORD": "root", "PATH": "/usr/bin"})
    write(tmp_path / "netra-desk.env", "NETRA_DATABASE_URL=postgresql+psycopg://a:b@127.0.0.1/netra_desk")
    shared = (tmp_path / "netra.env").read_text()
    assert "ROOT_PASSWORD" not in shared and "shared-must-not-be-written" not in shared
    assert oct((tmp_path / "netra-desk.env").stat().st_mode & 0o777) == "0o600"
    settings = DeskSettings()
    assert settings.invitation_days == 9 and settings.mail_from == 'Meja "Unit" <m@x.go.id>'
    assert settings.database_url == "postgresql+psycopg://a:b@127.0.0.1/netra_desk"
    monkeypatch.setenv("NETRA_INVITATION_DAYS", "3")
    assert DeskSettings().invitation_days == 3


def test_migrate_reads_its_own_file(tmp_path, monkeypatch):
    monkeypatch.setenv("NETRA_SETTINGS_DIR", str(tmp_path))
    write(tmp_path / "netra-migrate.env", "NETRA_DESK_DATABASE_URL=postgresql+psycopg://owner:o@127.0.0.1/d")
    assert MigrateSettings().configured() == {"desk": "postgresql+psycopg://owner:o@127.0.0.1/d"}


def test_the_checkouts_var_folder_by_default_and_an_empty_folder_name_reads_no_file(tmp_path, monkeypatch):
    monkeypatch.setattr(common_settings, "ROOT", tmp_path)
    write(tmp_path / "var" / "netra.env", env={"NETRA_INVITATION_DAYS": "9"})
    monkeypatch.delenv("NETRA_SETTINGS_DIR")
    assert DeskSettings().invitation_days == 9
    monkeypatch.setenv("NETRA_SETTINGS_DIR", "")
    assert DeskSettings().invitation_days == 7
