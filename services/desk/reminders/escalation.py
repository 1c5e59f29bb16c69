"""Escalation of overdue cases to the bodies above the unit that owns them.

The unit itself hears of an overdue case in its daily digest (daily.py). Once a case is overdue by
NETRA_ESCALATE_AFTER_DAYS working days, the body above it hears too: the unit of the same kind in its
province, then (overdue twice as long) the one at the centre, as far as the directory has them (a
regency's BKPSDM -> the province's BKD -> BKN; a regency's Bawaslu -> the province's -> Bawaslu RI).
Each body gets at most one escalation mail a day, claimed like a digest (DigestLog, `eskalasi:<id>`), so
a rerun or a second scheduler sends nothing twice. The mail carries what the digest does, never a word
about the reporter.
"""
from __future__ import annotations

from datetime import date
from email.message import EmailMessage
from email.utils import formatdate
from typing import Callable, Mapping

import structlog

from services.common.workdays import is_working_day, working_days_between
from services.reference.regions import province_of

from ..cases.deadlines import as_day
from ..reports import reports
from . import digest
from .daily import claimed, record_send
from .recipients import recipients

log = structlog.get_logger("netra.desk.escalation")
CLAIM_PREFIX = "eskalasi:"


def escalations(rows: list[dict], units: Mapping[str, dict], today: date, after: int) -> dict[str, list[dict]]:
    """Body id -> the overdue rows of the units below it that have waited long enough to reach it: one
    level up per `after` working days overdue."""
    index, found = _by_kind_and_region(units), {}
    for row in rows:
        due = as_day(row.get("due_on"))
        late = working_days_between(due, today) if due and due < today else 0
        for body in _supervisors(row["unit_id"], units, index)[:late // after]:
            found.setdefault(body, []).append(row)
    return found


def _by_kind_and_region(units: Mapping[str, dict]) -> dict[tuple, str]:
    index: dict[tuple, str] = {}
    for unit_id, unit in units.items():
        index.setdefault((unit["kind"], unit["region_code"]), unit_id)
    return index


def _supervisors(unit_id: str, units: Mapping[str, dict], index: dict[tuple, str]) -> list[str]:
    unit = units.get(unit_id)
    if not unit or unit["region_code"] == "pusat":
        return []
    regions = ([province_of(unit["region_code"])] if "." in unit["region_code"] else []) + ["pusat"]
    found = [index.get((unit["kind"], region)) for region in regions]
    return [uid for uid in found if uid and uid != unit_id]


def run_escalation(cases, sent_log, send: Callable, *, units: Mapping[str, dict], today: date, desk_url: str,
                   mail_from: str, after: int) -> digest.DigestRun:
    """One round for `today`: at most one mail per body; nothing on a day off."""
    if not is_working_day(today):
        return digest.DigestRun(day_off=True)
    run = digest.DigestRun()
    for body, rows in escalations(reports.rows(cases.with_due_date()), units, today, after).items():
        if not recipients(units[body]):
            run.no_address.append(body)
            continue
        message = escalation_message(units[body], rows, units, today=today, desk_url=desk_url, mail_from=mail_from)
        record_send(run, body, claimed(sent_log, send, CLAIM_PREFIX + body, today, len(rows)), message)
    log.info("escalation.done", day=today.isoformat(), sent=len(run.sent), already_sent=len(run.already_sent),
             no_address=len(run.no_address), failed=sorted(run.failed))
    return run


def escalation_message(body: dict, rows: list[dict], units: Mapping[str, dict], *, today: date, desk_url: str,
                       mail_from: str) -> EmailMessage:
    lines = [f"- {units.get(row['unit_id'], {}).get('name', row['unit_id'])}: {item['tracking_code']} | "
             f"{item['category']} | {item['status']} | tenggat {item['due']} ({item['when']})"
             for row in rows for item in [digest.case_line(row, today, desk_url)]]
    subject = f"[Netra] Eskalasi {body['name']}: {len(rows)} kasus unit di bawah Anda terlambat"
    message = EmailMessage()
    message["Subject"], message["From"], message["Date"] = subject, mail_from, formatdate(usegmt=True)
    message["To"] = recipients(body)  # the body's address and its officers' own (recipients.py)
    message["Message-ID"] = f"<escalation-{recipients(body)[0].username}-{today}@netra>"
    message["Auto-Submitted"] = "auto-generated"
    desk = f"{desk_url.rstrip('/')}/desk"
    message.set_content(f"Yth. {body['name']},\n\nPer {digest.long_date(today)}, kasus berikut di unit di bawah "
                        f"pembinaan Anda telah melewati tenggatnya dan belum ditangani:\n\n" + "\n".join(lines)
                        + f"\n\nMohon dorong unit terkait untuk menindaklanjuti. Meja Unit: {desk}\n")
    return message
