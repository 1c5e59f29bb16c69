"""Officers hear when a reporter answers a question or adds evidence: the case shows as new in their list
(a history line: services/desk/cases/reads.py) and the unit gets a short mail with the link to the case.

The mail names only the tracking code and what happened, never the answer or anything about the reporter.
It is sent after the desk has recorded the news, and again when the event comes back (a failed mail fails
the message, which the broker redelivers): the unit may get a notice twice, never none.
"""
from __future__ import annotations

from dataclasses import dataclass
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import formatdate, parseaddr
from typing import Callable

import structlog

from ..reminders.digest import case_link

log = structlog.get_logger("netra.desk.news")
ANSWERED = "answered"
ADDED_EVIDENCE = "added_evidence"
WHAT = {ANSWERED: "Pelapor menjawab pertanyaan unit",
        ADDED_EVIDENCE: "Pelapor menambahkan bukti"}


@dataclass(frozen=True)
class UnitMail:
    """How to reach units: id -> {"name", "email"}, the desk's address, the sender, and send(message)."""
    units: dict
    desk_url: str
    mail_from: str
    send: Callable[[EmailMessage], object]

    def tell(self, case: dict, what: str) -> None:
        unit = self.units.get(case["unit_id"]) or {}
        if not parseaddr(unit.get("email", ""))[1]:
            log.warning("news.no_address", unit_id=case["unit_id"], case_id=case["case_id"])
            return
        self.send(news_message(case, what, unit, self.desk_url, self.mail_from))
        log.info("news.mailed", unit_id=case["unit_id"], case_id=case["case_id"], what=what)


def news_message(case: dict, what: str, unit: dict, desk_url: str, mail_from: str) -> EmailMessage:
    message = EmailMessage()
    message["Subject"] = f"{WHAT[what]}: kasus {case['tracking_code']}"
    message["From"] = mail_from
    message["To"] = Address(unit.get("name", ""), addr_spec=parseaddr(unit["email"])[1])
    message["Date"] = formatdate(usegmt=True)
    message["Auto-Submitted"] = "auto-generated"
    message.set_content(f"Yth. {unit.get('name', '')},\n\n{WHAT[what]} pada kasus {case['tracking_code']}.\n"
                        f"Buka kasus: {case_link(desk_url, case['case_id'])}\n\n"
                        "Surel ini dikirim otomatis oleh Netra; mohon tidak membalas.\n")
    return message


def nobody(case: dict, what: str) -> None:
    """The default where no mail is wired (unit tests of the handlers)."""
