"""An operator imports a unit's real address with the contacts tool; the next case for that unit is mailed there."""
import json
import re
import os
import subprocess
import uuid

import pytest
import requests

from services.reference.files import UNITS_FILE
from tests.support import servers
from tests.support.complaints import complaint, png_bytes
from tests.support.system import ROOT, VENV_BIN, free_port, start_system


def contacts_cli(*args):
    return subprocess.run([str(VENV_BIN / "python"), "-m", "services.routing.contacts", *map(str, args)],
                          cwd=ROOT, capture_output=True, text=True, timeout=120)


@pytest.fixture(scope="module")
def imported(tmp_path_factory):
    """A units file where BKPSDM Bengkalis has a real-looking address, written by the operator's command."""
    folder = tmp_path_factory.mktemp("contacts")
    address = f"kepegawaian-{uuid.uuid4().hex[:8]}@bengkaliskab.go.id"
    csv = folder / "contacts.csv"
    csv.write_text(f"unit_id,kind,name,email,region_code\nbkpsdm-14.03,bkd,,{address},14.03\n")
    units = folder / "units.yaml"
    done = contacts_cli("import", csv, "--units", UNITS_FILE, "--out", units)
    assert done.returncode == 0, done.stderr
    return units, address


@pytest.fixture(scope="module")
def system(imported):
    with servers.throwaway(("intake", "routing", "notify", "desk")) as (vhost, amqp_url, databases):
        env = {**os.environ, "NETRA_AMQP_URL": amqp_url, "NETRA_INTAKE_BIND": f"127.0.0.1:{free_port()}",
               "NETRA_UNITS_FILE": str(imported[0]), "NETRA_LOG_FORMAT": "json"}
        env["NETRA_PUBLIC_URL"] = f"http://{env['NETRA_INTAKE_BIND']}"
        urls = servers.service_urls(databases)
        running = start_system(env, ROOT / "var" / "log" / f"e2e-{vhost}", urls)
        try:
            yield running
        finally:
            running.stop_all()


def test_the_imported_address_receives_the_case(system, imported, mailbox):
    _units, address = imported
    answer = requests.post(f"{system.api}/complaints", timeout=30,
                           data={"complaint": json.dumps(complaint(region_code="14.03"))},
                           files=[("evidence", ("bukti.png", png_bytes(77), "image/png"))])
    assert answer.status_code == 202, answer.text
    tracking = answer.json()["tracking_code"]
    mails = mailbox.wait_for(tracking, count=2, timeout=90)  # the case (copies on Cc), the ack
    to_unit = [m for m in mails if address in m["X-Netra-Rcpt-To"]]
    assert len(to_unit) == 1
    assert not any("bkpsdm-14.03@unit.netra.invalid" in m["X-Netra-Rcpt-To"] for m in mails)


def test_the_report_counts_one_placeholder_fewer(imported):
    units, _address = imported
    done = contacts_cli("report", "--units", units, "--fail-on-placeholders")
    assert done.returncode == 1
    shipped = contacts_cli("report", "--units", str(UNITS_FILE))
    total = int(re.search(r"placeholder addresses \(\*\.invalid\): (\d+) of \1 units", shipped.stdout).group(1))
    assert f"placeholder addresses (*.invalid): {total - 1} of {total} units" in done.stdout
