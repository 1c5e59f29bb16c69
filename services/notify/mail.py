"""The mails notify sends, in Bahasa Indonesia, each with a plain-text and an HTML part.

Templates see only what is passed here: the case as notify's own schema read it (which has no reporter
fields at all), so no reporter identity can reach a unit's mail.
"""
from __future__ import annotations

from datetime import datetime
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import formatdate
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

from .wording import (category_label, employer_level_label, fallback_reason, file_size, long_date, platform_label,
                      region_label)

TEMPLATES = Path(__file__).resolve().parent / "templates"

_templates = Environment(
    loader=FileSystemLoader(TEMPLATES), autoescape=select_autoescape(["html"]), undefined=StrictUndefined,
    trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True,
)
_templates.filters.update(kategori=category_label, platform=platform_label, instansi=employer_level_label,
                          wilayah=region_label, tanggal=long_date, ukuran=file_size,
                          alasan=fallback_reason)


class BadAddress(ValueError):
    """A recipient address no mail server would take; the message says nothing about the address."""


def unit_message_id(case_id: str) -> str:
    return f"<case-{case_id}@netra>"


def ack_message_id(complaint_id: str) -> str:
    return f"<ack-{complaint_id}@netra>"


def rejected_message_id(complaint_id: str) -> str:
    return f"<evidence-rejected-{complaint_id}@netra>"


def status_url(public_url: str, tracking_code: str) -> str:
    return f"{public_url.rstrip('/')}/api/v1/complaints/{tracking_code}"


def copies_message_id(case_id: str) -> str:
    return f"<copies-{case_id}@netra>"


def unit_case_message(case: dict, links: dict[str, str], links_expire_on: datetime, mail_from: str,
                      for_copies: bool = False) -> EmailMessage:
    """The case for its primary unit, or (for_copies) the same case for the units in copy (tembusan).

    Two mails, not one with Cc: the primary unit's delivery must succeed on its own, and a retry for it
    must not send the copy units a second mail. `links` maps each evidence key to its download URL.
    """
    primary, copies = case["units"]["primary"], _distinct_copies(case["units"])
    files = [{**f, "number": f["index"] + 1, "link": links[f["key"]]} for f in case["files"]]
    context = {
        "unit_name": primary["name"], "copy_names": [unit["name"] for unit in copies],
        "tracking_code": case["tracking_code"], "case_id": case["case_id"],
        "subject": case["subject"], "violation": case["violation"], "files": files,
        "links_expire_on": links_expire_on, "matched_rule": case["matched_rule"], "fallback": case["fallback"],
    }
    subject = (f"[Netra] {'Tembusan: ' if for_copies else ''}Pengaduan netralitas ASN {case['tracking_code']} — "
               f"{category_label(case['violation']['category'])}")
    if for_copies:
        return _compose("unit_case", subject, context, mail_from, copies_message_id(case["case_id"]),
                        to=[_address(unit["name"], unit["email"]) for unit in copies])
    return _compose("unit_case", subject, context, mail_from, unit_message_id(case["case_id"]),
                    to=[_address(primary["name"], primary["email"])])


def has_copies(case: dict) -> bool:
    return bool(_distinct_copies(case["units"]))


def reporter_ack_message(tracking_code: str, submitted_at: str | None, reporter_email: str, *,
                         complaint_id: str, public_url: str, mail_from: str) -> EmailMessage:
    context = {"tracking_code": tracking_code, "submitted_at": submitted_at,
               "status_url": status_url(public_url, tracking_code)}
    subject = f"[Netra] Pengaduan Anda telah diterima — {tracking_code}"
    return _compose("reporter_ack", subject, context, mail_from, ack_message_id(complaint_id),
                    to=[_address("", reporter_email)])


def evidence_rejected_message(tracking_code: str, rejected: list[dict], reporter_email: str, *,
                              complaint_id: str, public_url: str, mail_from: str) -> EmailMessage:
    files = [{"number": f["index"] + 1, "reason": f["reason"]} for f in sorted(rejected, key=lambda f: f["index"])]
    context = {"tracking_code": tracking_code, "rejected": files,
               "status_url": status_url(public_url, tracking_code)}
    subject = f"[Netra] Sebagian bukti pengaduan {tracking_code} tidak dapat diterima"
    return _compose("evidence_rejected", subject, context, mail_from, rejected_message_id(complaint_id),
                    to=[_address("", reporter_email)])


def _compose(template: str, subject: str, context: dict, mail_from: str, message_id: str,
             to: list[Address]) -> EmailMessage:
    message = EmailMessage()
    message["Subject"] = subject
    message["From"] = mail_from
    message["To"] = to
    message["Date"] = formatdate(usegmt=True)
    # Always the same id for the same mail, so a rare resend after a crash reads as the same message.
    message["Message-ID"] = message_id
    message["Auto-Submitted"] = "auto-generated"
    message.set_content(_templates.get_template(f"{template}.txt").render(context))
    html = _templates.get_template(f"{template}.html").render(title=subject, **context)
    message.add_alternative(html, subtype="html")
    return message


def _distinct_copies(units: dict) -> list[dict]:
    seen = {units["primary"]["email"].lower()}
    copies = []
    for unit in units["copies"]:
        if unit["email"].lower() not in seen:
            seen.add(unit["email"].lower())
            copies.append(unit)
    return copies


def _address(name: str, email: str) -> Address:
    try:
        return Address(display_name=name, addr_spec=email)
    except (ValueError, IndexError):
        raise BadAddress("recipient address is not a valid email address") from None
