"""The daily digest run: each unit with cases overdue or due soon gets one mail, never two a day.

A unit's day is claimed in the desk's database (DigestLog) before its mail goes out, so two runs at
once or a rerun send nothing twice; a mail the SMTP server refused releases the claim for a later run.
Nothing goes out on a Saturday, Sunday, national holiday or cuti bersama.
"""
from __future__ import annotations

from datetime import date
from typing import Callable

import structlog

from services.common.workdays import is_working_day

from ..ports import DigestDays, DueCases, Send
from ..reports import reports
from . import digest

log = structlog.get_logger("netra.desk.digest")


def run_digest(cases: DueCases, sent_log: DigestDays, send: Send, *, units: dict, today: date, desk_url: str,
               mail_from: str, within: int) -> digest.DigestRun:
    """One round for `today`: reads every case with a due date, mails each unit at most once."""
    if not is_working_day(today):
        log.info("digest.day_off", day=today.isoformat())
        return digest.DigestRun(day_off=True)
    by_unit = digest.group_by_unit(reports.rows(cases.with_due_date()))
    total = digest.DigestRun()
    for unit_id, rows in by_unit.items():
        once = digest.send_digests({unit_id: rows}, claimed(sent_log, send, unit_id, today, len(rows)),
                                   units=units, today=today, desk_url=desk_url, mail_from=mail_from,
                                   within=within)
        merge(total, once)
    log.info("digest.done", day=today.isoformat(), sent=len(total.sent), already_sent=len(total.already_sent),
             nothing_due=len(total.nothing_due), no_address=len(total.no_address), failed=sorted(total.failed))
    return total


class AlreadySent(Exception):
    """Another run claimed this unit's day first."""


def claimed(sent_log: DigestDays, send: Send, unit_id: str, today: date, count: int) -> Callable:
    """send(message), but only after winning the unit's day; a failed send gives the day back."""
    def send_once(message) -> None:
        if not sent_log.claim(unit_id, today, count):
            raise AlreadySent(unit_id)
        try:
            send(message)
        except BaseException:
            sent_log.release(unit_id, today)
            raise
    return send_once


def record_send(run, key: str, send_once: Callable, message) -> None:
    """send_once(message), its outcome recorded in `run` under `key`: sent, already sent by another run, or
    failed (one mail's trouble must not silence the rest)."""
    try:
        send_once(message)
    except AlreadySent:
        run.already_sent.append(key)
    except Exception as error:  # noqa: BLE001 - reported per key, the run goes on
        run.failed[key] = type(error).__name__
    else:
        run.sent.append(key)


def merge(total: digest.DigestRun, once: digest.DigestRun) -> None:
    failed = dict(once.failed)
    total.already_sent += [unit for unit, why in failed.items() if why == AlreadySent.__name__]
    total.failed.update({unit: why for unit, why in failed.items() if why != AlreadySent.__name__})
    total.sent += once.sent
    total.nothing_due += once.nothing_due
    total.no_address += once.no_address
