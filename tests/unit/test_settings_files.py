"""The local run's settings files: what deploy/settings_files.py writes, an operator's command reads back,
after the process's own environment; a process's own file over the shared one; an empty folder name: none.
A service reads its environment only."""
import subprocess
import sys

import pytest

from services.common import settings as common_settings
from services.common.settings import ROOT, load_operator_settings, load_settings
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
    settings = load_operator_settings(DeskSettings)
    assert settings.invitation_days == 9 and settings.mail_from == 'Meja "Unit" <m@x.go.id>'
    assert settings.database_url == "postgresql+psycopg://a:b@127.0.0.1/netra_desk"
    assert load_settings(DeskSettings).invitation_days == 7  # the desk itself: its environment only
    monkeypatch.setenv("NETRA_INVITATION_DAYS", "3")
    assert load_operator_settings(DeskSettings).invitation_days == 3


def test_migrate_reads_its_own_file(tmp_path, monkeypatch):
    monkeypatch.setenv("NETRA_SETTINGS_DIR", str(tmp_path))
    write(tmp_path / "netra-migrate.env", "NETRA_DESK_DATABASE_URL=postgresql+psycopg://owner:o@127.0.0.1/d")
    assert load_operator_settings(MigrateSettings).configured() == {"desk": "postgresql+psycopg://owner:o@127.0.0.1/d"}


def test_the_checkouts_var_folder_by_default_and_an_empty_folder_name_reads_no_file(tmp_path, monkeypatch):
    monkeypatch.setattr(common_settings, "ROOT", tmp_path)
    (tmp_path / ".git").write_text("gitdir: elsewhere\n")
    write(tmp_path / "var" / "netra.env", env={"NETRA_INVITATION_DAYS": "9"})
    monkeypatch.delenv("NETRA_SETTINGS_DIR")
    assert load_operator_settings(DeskSettings).invitation_days == 9
    monkeypatch.setenv("NETRA_SETTINGS_DIR", "")
    assert load_operator_settings(DeskSettings).invitation_days == 7


def test_outside_a_checkout_no_var_folder_is_read(tmp_path, monkeypatch):
    """An image has services/ but no .git: a stray var/ there is nobody's settings."""
    monkeypatch.setattr(common_settings, "ROOT", tmp_path)
    write(tmp_path / "var" / "netra.env", env={"NETRA_INVITATION_DAYS": "9"})
    monkeypatch.delenv("NETRA_SETTINGS_DIR")
    assert load_operator_settings(DeskSettings).invitation_days == 7
