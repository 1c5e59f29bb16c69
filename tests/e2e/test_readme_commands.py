"""Every operator command in README.md, typed word for word in a shell on a running system that wrote its
settings files as deploy/run-local.sh does (deploy/settings_files.py): no NETRA_* variable in the shell but
the folder of those files. A command the README adds must be run here or named in NOT_RUN with the reason."""
import os
import re
import subprocess

import pytest
import requests

from tests.support.account_links import LINK
from tests.support.desk import login
from tests.support.servers import DATABASE_OWNER, DATABASE_SERVICE_ROLE, Mailbox, body_text, signed_in_as
from tests.support.system import ROOT, VENV_BIN

pytestmark = pytest.mark.e2e
OPERATOR_COMMAND = re.compile(r"^(?:\.venv/bin/python -m services\.|python -m services\.|\.venv/bin/netra-parking )")
PASSWORD = "kata-sandi-yang-panjang"
NOT_RUN = {
    ".venv/bin/python -m services.desk.cli invite-admin --all-units":
        "mails every one of the 2,210 units; the bulk path runs on named units in test_desk_self_service.py",
    ".venv/bin/python -m services.intake.teams.team_cli revoke tk_1a2b3c4d5e6f": "the key id of the README's example output",
    ".venv/bin/python -m services.routing.contacts import units.csv --units units.yaml --out units.yaml --invite-admins":
        "needs the region's own sheet and directory; tests/e2e/test_adoption_browser.py runs it on a sheet of its own",
    ".venv/bin/netra-parking show notify.unit_mail ID": "ID stands for a parked message's id",
    ".venv/bin/netra-parking replay notify.unit_mail ID": "ID stands for a parked message's id",
    ".venv/bin/netra-parking replay notify.unit_mail --all": "moves messages; tests/integration/test_parking_cli.py",
    ".venv/bin/netra-parking purge notify.unit_mail": "asks before deleting; tests/integration/test_parking_cli.py",
}
# What each command's success looks like, beyond exit status 0.
SAYS = {
    ".venv/bin/python -m services.desk.cli invite-admin bkpsdm-14.03": "1 undangan admin dikirim (bkpsdm-14.03)",
    ".venv/bin/python -m services.desk.cli create-account --unit bkn --role pengawas --username pengawas.bkn":
        "pengawas.bkn (pengawas, bkn) dibuat",
    "python -m services.migrate intake --check": "",
}


def readme_commands() -> list[str]:
    """The operator commands of README.md's bash blocks, continuation lines joined, comments dropped."""
    commands, in_bash = [], False
    text = (ROOT / "README.md").read_text(encoding="utf-8").replace("\\\n", " ")
    for line in text.splitlines():
        stripped = line.strip()
        if stripped.startswith("```"):
            in_bash = stripped == "```bash"
            continue
        command = re.sub(r"\s+#\s.*$", "", stripped)
        if in_bash and OPERATOR_COMMAND.match(command):
            commands.append(" ".join(command.split()))
    return commands


def write_settings(system, folder) -> None:
    """The files run-local writes, by the same script, for this system's addresses and databases."""
    script = [str(VENV_BIN / "python"), str(ROOT / "deploy" / "settings_files.py")]
    urls = system.database_urls
    as_service = {name: signed_in_as(urls[name], DATABASE_SERVICE_ROLE) for name in ("intake", "routing", "notify",
                                                                                    "desk")}
    files = {"netra.env": [],
             "netra-intake.env": [f"NETRA_DATABASE_URL={as_service['intake']}"],
             "netra-routing.env": [f"NETRA_DATABASE_URL={as_service['routing']}"],
             "netra-notify.env": [f"NETRA_DATABASE_URL={as_service['notify']}"],
             "netra-desk.env": [f"NETRA_DATABASE_URL={as_service['desk']}"],
             "netra-reconcile.env": [f"NETRA_DATABASE_URL={as_service['intake']}"],
             "netra-migrate.env": [f"NETRA_DATABASE_SERVICE_ROLE={DATABASE_SERVICE_ROLE}"] +
                                  [f"NETRA_{name.upper()}_DATABASE_URL={signed_in_as(urls[name], DATABASE_OWNER)}"
                                   for name in ("intake", "routing", "notify", "desk")]}
    for name, assignments in files.items():
        subprocess.run([*script, str(folder / name), *assignments], env=system.env, check=True, timeout=30)


def operator_shell(folder) -> dict:
    """A shell with the virtual environment on its PATH and no NETRA_* variable but the settings folder."""
    env = {name: value for name, value in os.environ.items() if not name.startswith("NETRA_")}
    return {**env, "PATH": f"{VENV_BIN}:{env.get('PATH', '/usr/bin:/bin')}", "NETRA_SETTINGS_DIR": str(folder)}


def test_every_operator_command_in_the_readme_works_as_typed(system, tmp_path):
    commands = readme_commands()
    assert ".venv/bin/python -m services.desk.cli invite-admin bkpsdm-14.03" in commands
    assert set(NOT_RUN) <= set(commands), "NOT_RUN names a command the README no longer has"
    write_settings(system, tmp_path)
    shell = operator_shell(tmp_path)
    ran = []
    for command in commands:
        if command in NOT_RUN:
            continue
        done = subprocess.run(["bash", "-c", command], cwd=ROOT, env=shell, input=PASSWORD + "\n",
                              capture_output=True, text=True, timeout=120)
        assert done.returncode == 0, f"{command}\n{done.stdout}\n{done.stderr}"
        assert SAYS.get(command, "") in done.stdout, f"{command}\n{done.stdout}"
        ran.append(command)
    assert len(ran) >= 10, ran
    invited_admin_opens_the_link(system)
    requests_session = requests.Session()
    login(requests_session, system.desk, "pengawas.bkn", PASSWORD)  # the account is in the running desk


def invited_admin_opens_the_link(system) -> None:
    """The invitation went to the unit's directory address and opens on the running desk."""
    mails = Mailbox().wait_for(f"{system.env['NETRA_DESK_URL']}/desk/undangan/")
    assert mails[-1]["To"] == "bkpsdm-14.03@unit.netra.invalid"
    link = LINK.search(body_text(mails[-1])).group(1)
    page = requests.get(link, timeout=10)
    assert page.status_code == 200 and "Akun Meja Unit baru" in page.text
