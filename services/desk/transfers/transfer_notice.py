"""Telling a unit's head that a transfer waits for their decision: a mail to each kepala of the unit with an
address (to its admins when it has none, so someone knows a head is missing), besides the desk's own list.

The mail names the case by its number and links to it; the reason and everything of the case stay in the desk.
"""
from __future__ import annotations

from email.message import EmailMessage
from email.utils import make_msgid

import structlog

log = structlog.get_logger("netra.desk.transfers")
DECIDES = "kepala"

BODY = """Yth. {recipient},

{requester} mengajukan pengalihan kasus {case} dari {unit_name} ke {to_unit}.
Pengalihan ini menunggu keputusan kepala unit: setujui atau tolak dengan alasan.

Buka kasusnya di Meja Unit:
{link}

Semua pengalihan yang menunggu keputusan: {pending_link}
"""


def recipients(accounts: list[dict]) -> list[dict]:
    """The unit's heads with an address; its admins when no head has one."""
    usable = [a for a in accounts if a.get("email") and not a["disabled"]]
    heads = [a for a in usable if a["role"] == DECIDES]
    return heads or [a for a in usable if a["role"] == "admin"]


def notice(to: dict, transfer: dict, case: dict, *, units: dict, desk_url: str, mail_from: str) -> EmailMessage:
    number = case.get("case_number") or case["tracking_code"]
    message = EmailMessage()
    message["From"], message["To"] = mail_from, to["email"]
    message["Subject"] = f"Pengalihan menunggu keputusan: kasus {number}"
    message["Message-ID"] = make_msgid(domain="netra.desk")
    message.set_content(BODY.format(
        recipient=to.get("name") or to["username"], requester=transfer["requested_by"], case=number,
        unit_name=units.get(transfer["from_unit_id"], transfer["from_unit_id"]),
        to_unit=units.get(transfer["to_unit_id"], transfer["to_unit_id"]),
        link=f"{desk_url}/desk/kasus/{case['case_id']}", pending_link=f"{desk_url}/desk/pengalihan"))
    return message


def tell_heads(accounts_repo, mailing, units: dict, transfer: dict, case: dict) -> bool:
    """Mails each recipient; False when one could not be sent (the desk's list still shows the request)."""
    sent_all = True
    for account in recipients(accounts_repo.of_unit(transfer["from_unit_id"])):
        try:
            mailing.send(notice(account, transfer, case, units=units, desk_url=mailing.desk_url,
                                mail_from=mailing.mail_from))
        except OSError as failure:
            log.warning("transfer.notice_failed", transfer_id=transfer["transfer_id"], error=type(failure).__name__)
            sent_all = False
    return sent_all
