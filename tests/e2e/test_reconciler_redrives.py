"""A message lost behind Netra's back: the reconciler finds the complaint overdue, re-drives it, and the unit
gets exactly one mail.

A consuming service is stopped (notify, routing or evidence), a complaint is submitted, and its message is
purged from that service's queue (as an operator's mistaken purge, or a broker restored from an older state,
would). The service comes back with nothing to do. The reconciler (NETRA_DUE_<STEP>_SECONDS, the settings
under test, set to 5 s) lists the complaint and counts it in netra_complaints_overdue; `--redrive` sends its
complaint.submitted again: evidence republishes from its manifest (or archives, when it never saw it),
routing re-announces the case (or routes it), notify mails what was never mailed. The unit is mailed once,
and a later complaint's mail shows that no second one follows.
"""
import json
import re
import subprocess

import pika
import pytest
import requests
from sqlalchemy import select

from services.common.db import make_engine
from services.intake.tables import complaints
from tests.support.complaints import REPORTER_SECRETS, bkd_email, complaint, png_bytes, submit, wait_for_status
from tests.support.netra_system import netra_system
from tests.support.system import ROOT, VENV_BIN
from tests.support.waiting import wait_until

DUE_WITHIN = 5  # seconds for each step: the settings under test
REGION, LEVEL = "14.03", "kabupaten_kota"


@pytest.fixture(scope="module")
def system():
    due = {f"NETRA_DUE_{step}_SECONDS": str(DUE_WITHIN) for step in ("EVIDENCE_ARCHIVED", "ROUTED", "UNIT_NOTIFIED")}
    with netra_system(**due) as running:
        yield running


def reconcile(system, *args: str) -> subprocess.CompletedProcess:
    """`python -m services.ops reconcile` as an operator runs it, against intake's database."""
    env = {**system.env, "NETRA_DATABASE_URL": system.database_urls["intake"]}
    return subprocess.run([str(VENV_BIN / "python"), "-m", "services.ops", "reconcile", *args], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=60)


def overdue_metric(system) -> dict[str, float]:
    """netra_complaints_overdue by step, as Prometheus scrapes it from the scheduled reconciler."""
    text = requests.get(system.health["reconciler"].replace("/readyz", "/metrics"), timeout=5).text
    return {step: float(value) for step, value in
            re.findall(r'^netra_complaints_overdue\{step="(\w+)"\} (\S+)$', text, re.M)}


def purge(system, queue: str) -> int:
    connection = pika.BlockingConnection(pika.URLParameters(system.amqp_url))
    try:
        return connection.channel().queue_purge(queue).method.message_count
    finally:
        connection.close()


def waiting_in(system, queue: str) -> int:
    connection = pika.BlockingConnection(pika.URLParameters(system.amqp_url))
    try:
        return connection.channel().queue_declare(queue, passive=True).method.message_count
    finally:
        connection.close()


def complaint_id(system, tracking_code: str) -> str:
    engine = make_engine(system.database_urls["intake"])
    try:
        with engine.connect() as conn:
            return conn.execute(select(complaints.c.complaint_id)
                                .where(complaints.c.tracking_code == tracking_code)).scalar_one()
    finally:
        engine.dispose()


def unit_mails(mailbox, tracking_code: str) -> list:
    """The complaint's own mails to units (its subject names it): the case mail, the units in copy on its Cc."""
    return [m for m in mailbox.matching(tracking_code)
            if tracking_code in str(m["Subject"]) and "@unit.netra.invalid" in m["X-Netra-Rcpt-To"]]


def lose_a_message(system, service: str, queue: str, reached: str) -> dict:
    """A complaint that reached `reached` while `service` was down, its message then purged from `queue`."""
    system.stop(service)
    answer = submit(system, complaint(region_code=REGION, employer_level=LEVEL), [png_bytes(41)])
    assert answer.status_code == 202, answer.text
    wait_for_status(system, answer.json(), reached)
    wait_until(lambda: waiting_in(system, queue) == 1, f"the message waiting in {queue}", timeout=10)
    assert purge(system, queue) == 1
    system.restart(service)
    system.wait_ready()
    return answer.json()


@pytest.mark.parametrize("service, queue, reached, missing", [
    ("notify", "notify.unit_mail", "routed", "unit_notified"),
    ("routing", "routing.route", "evidence_archived", "routed"),
    ("evidence", "evidence.archive", "received", "evidence_archived"),
])
def test_a_lost_message_is_found_overdue_redriven_and_the_unit_mailed_once(system, mailbox, service, queue,
                                                                           reached, missing):
    lost = lose_a_message(system, service, queue, reached)
    code, lost_id = lost["tracking_code"], complaint_id(system, lost["tracking_code"])

    listed = wait_until(lambda: (run := reconcile(system)).returncode == 1 and code in run.stdout and run,
                        "the reconciler to list the complaint", timeout=DUE_WITHIN + 30, interval=1)
    assert listed.stdout.startswith("1 complaint(s) overdue\n")
    assert re.search(rf"^{code}  {lost_id}  waits for {missing}  overdue \d+m\d\ds \(waiting \d+m\d\ds\)$",
                     listed.stdout, re.M), listed.stdout
    assert overdue_metric(system) == {"evidence_archived": 0, "routed": 0, "unit_notified": 0, missing: 1}
    assert unit_mails(mailbox, code) == [], "notify had nothing to send: the message was lost"
    for secret in (*REPORTER_SECRETS, "siti"):
        assert secret not in listed.stdout + listed.stderr

    redriven = reconcile(system, "--redrive")
    assert redriven.returncode == 1 and f"redriven {code}: complaint.submitted sent again" in redriven.stdout

    wait_until(lambda: unit_mails(mailbox, code), "the unit's mail after the re-drive", timeout=60, interval=0.3)
    wait_for_status(system, lost, "unit_notified")
    another_act = complaint(region_code=REGION, employer_level=LEVEL,
                            post_urls=[f"https://www.facebook.com/budi.santoso/posts/{service}"])
    later = submit(system, another_act, [png_bytes(42)]).json()
    wait_until(lambda: unit_mails(mailbox, later["tracking_code"]), "the later complaint's unit mail", timeout=60,
               interval=0.3)
    mails = [(m["Message-ID"].split("-")[0], m["X-Netra-Rcpt-To"]) for m in unit_mails(mailbox, code)]
    assert [kind for kind, _ in mails] == ["<case"], "exactly one mail to the unit, its copies on the same mail"
    assert bkd_email(REGION) in mails[0][1]
    acks = [m for m in mailbox.matching(code) if "siti.pelapor@example.org" in m["X-Netra-Rcpt-To"]]
    assert len(acks) == 1, "the re-driven complaint.submitted did not acknowledge the reporter twice"

    wait_for_status(system, later, "unit_notified")
    settled = reconcile(system)
    assert (settled.returncode, settled.stdout) == (0, "0 complaint(s) overdue\n")
    assert overdue_metric(system) == {"evidence_archived": 0, "routed": 0, "unit_notified": 0}
    summaries = [json.loads(line) for line in (system.log_dir / "reconciler.log").read_text().splitlines()
                 if '"reconcile.done"' in line]
    assert summaries and set(summaries[0]["overdue"]) == {"evidence_archived", "routed", "unit_notified"}
