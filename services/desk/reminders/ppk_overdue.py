"""The mail that tells a Kanreg a PPK's step on its recommendation passed its deadline, with blocking the civil
servant's data in SIASN as the next action (siasn.py).

Runs with the escalation (cli `escalate`, the scheduler's `escalation` job). Each overdue PPK step is mailed
once: its claim in DigestLog is `ppk:<case id>:<step>` on the step's due date, so a rerun, a second scheduler
or the next day sends nothing again; a refused mail gives the claim back for a later run. The mail names the
case by its tracking code and number, the PPK and the due date, never a word about the reporter.
"""
from __future__ import annotations

from datetime import date
from email.message import EmailMessage
from email.utils import formatdate
from typing import Mapping

import structlog

from services.common.workdays import is_working_day

from ..cases.deadlines import as_day
from ..chain import siasn
from ..ports import DigestDays, DueCases, Send
from . import digest
from .daily import claimed, record_send
from .recipients import recipients

log = structlog.get_logger("netra.desk.ppk_overdue")
CLAIM_PREFIX = "ppk:"


def overdue_steps(cases: list[dict], today: date) -> list[tuple[dict, dict, str]]:
    """(case, the PPK's overdue step, the Kanreg that recommended) for every case whose PPK step is late."""
    found = []
    for case in cases:
        step = siasn.overdue_ppk(case.get("chain"), today)
        before = siasn.recommender(case.get("chain"), step)
        if step and before:
            found.append((case, step, ((before.get("done_by") or {}).get("unit_id") or before["unit_id"])))
    return found


def run_ppk_notices(cases: DueCases, sent_log: DigestDays, send: Send, *, units: Mapping[str, dict], today: date,
                    desk_url: str, mail_from: str) -> digest.DigestRun:
    """One round: each overdue PPK step's Kanreg mailed once for that step; nothing on a day off."""
    if not is_working_day(today):
        return digest.DigestRun(day_off=True)
    run = digest.DigestRun()
    for case, step, kanreg in overdue_steps(cases.with_due_date(), today):
        key = f"{CLAIM_PREFIX}{case['case_id']}:{step['number']}"
        if not recipients(units.get(kanreg, {})):
            run.no_address.append(kanreg)
            continue
        message = notice(units[kanreg], case, step, today=today, desk_url=desk_url, mail_from=mail_from)
        record_send(run, key, claimed(sent_log, send, key, as_day(step["due"]), 1), message)
    log.info("ppk_overdue.done", day=today.isoformat(), sent=len(run.sent), already_sent=len(run.already_sent),
             no_address=len(run.no_address), failed=sorted(run.failed))
    return run


def notice(kanreg: dict, case: dict, step: dict, *, today: date, desk_url: str, mail_from: str) -> EmailMessage:
    """The Kanreg's mail: the case, the PPK and its due date, the next action and the case's link."""
    name = case.get("case_number") or case["tracking_code"]
    message = EmailMessage()
    message["Subject"] = f"[Netra] PPK lewat tenggat: {name} ({step['name']})"
    message["From"], message["Date"] = mail_from, formatdate(usegmt=True)
    message["To"] = recipients(kanreg)  # the Kanreg's address and its officers' own (recipients.py)
    message["Message-ID"] = f"<ppk-overdue-{case['case_id']}-{step['number']}@netra>"
    message["Auto-Submitted"] = "auto-generated"
    message.set_content(
        f"Yth. {kanreg['name']},\n\nPer {digest.long_date(today)}, langkah {step['number']} kasus {name} "
        f"(kode pelacakan {case['tracking_code']}) pada {step['name']} telah melewati tenggatnya "
        f"({digest.long_date(as_day(step['due']))}) tanpa keputusan PPK atas rekomendasi Anda.\n\n"
        f"Tindakan berikutnya: {siasn.NEXT_ACTION} (Peraturan BKN 1/2023), lalu catat pemblokirannya di kasus:\n"
        f"{digest.case_link(desk_url, case['case_id'])}\n\nSurel ini dikirim otomatis oleh Netra sekali untuk "
        f"setiap langkah PPK yang lewat tenggat; mohon tidak membalas.\n")
    return message
