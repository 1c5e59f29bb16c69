"""The daily digest mail of one unit: its overdue cases and the cases due within a few working days.

Cases are the plain dicts of services.desk.reports.export; the mail shows only the tracking code, category,
region, status and due date of each, and links to the case page in the desk, so no reporter data can
reach it. A unit with nothing overdue and nothing due soon gets no mail at all.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from email.message import EmailMessage
from email.utils import formatdate
from typing import Callable, Container, Mapping
from urllib.parse import quote

from jinja2 import Environment, StrictUndefined

from services.common.workdays import (
    add_working_days,
    is_working_day,
    working_days_between,
)
from services.reference.regions import region_name
from services.reference.vocabulary import label

from ..cases.deadlines import as_day
from .recipients import recipients

DAYS = ("Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu", "Minggu")
MONTHS = ("Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus", "September",
          "Oktober", "November", "Desember")
DEFAULT_WITHIN = 3

_TEXT = """Yth. {{ unit }},

Ringkasan kasus per {{ today }}. Daftar lengkap: {{ desk }}
{% for title, items in sections %}

{{ title }} ({{ items|length }}):
{% for c in items %}
- {{ c.tracking_code }} | {{ c.category }} | {{ c.region }} | {{ c.status }}
  Tenggat {{ c.due }} ({{ c.when }}): {{ c.link }}
{% endfor %}
{% endfor %}

Surel ini dikirim otomatis oleh Netra setiap hari kerja; mohon tidak membalas.
"""
_HTML = """<!DOCTYPE html><html lang="id"><head><meta charset="utf-8"><title>{{ subject }}</title></head>
<body style="font-family: Arial, sans-serif; font-size: 14px; color: #1f2933;">
<p>Yth. {{ unit }},</p><p>Ringkasan kasus per {{ today }}. <a href="{{ desk }}">Buka daftar kasus</a></p>
{% for title, items in sections %}<h2 style="font-size: 16px;">{{ title }} ({{ items|length }})</h2>
<table style="border-collapse: collapse;" cellpadding="6" border="1"><tr><th>Kode pelacakan</th>
<th>Kategori</th><th>Wilayah</th><th>Status</th><th>Tenggat</th></tr>
{% for c in items %}<tr><td><a href="{{ c.link }}">{{ c.tracking_code }}</a></td><td>{{ c.category }}</td>
<td>{{ c.region }}</td><td>{{ c.status }}</td><td>{{ c.due }} ({{ c.when }})</td></tr>
{% endfor %}</table>{% endfor %}
<p style="font-size: 12px; color: #616e7c;">Surel ini dikirim otomatis oleh Netra setiap hari kerja;
mohon tidak membalas.</p></body></html>
"""
_HTML_TEMPLATE = Environment(autoescape=True, undefined=StrictUndefined, trim_blocks=True,
                             lstrip_blocks=True).from_string(_HTML)
_TEXT_TEMPLATE = Environment(autoescape=False, undefined=StrictUndefined, trim_blocks=True,
                             lstrip_blocks=True).from_string(_TEXT)


@dataclass
class DigestRun:
    """What one round of digests did, per unit id, for the caller to log and to retry."""
    sent: list[str] = field(default_factory=list)
    nothing_due: list[str] = field(default_factory=list)
    no_address: list[str] = field(default_factory=list)
    failed: dict[str, str] = field(default_factory=dict)
    already_sent: list[str] = field(default_factory=list)
    day_off: bool = False


def send_digests(rows_by_unit: Mapping[str, list[dict]], send: Callable[[EmailMessage], object], *,
                 units: Mapping[str, dict], today: date, desk_url: str, mail_from: str,
                 within: int = DEFAULT_WITHIN, sent_today: Container[str] = ()) -> DigestRun:
    """Calls send(message) once per unit with something overdue or due soon; `units` maps a unit id to
    its {"name", "email", "officers"}. Nothing is sent on a day off (offices are closed), nor to a unit in
    `sent_today` (the caller keeps `run.sent`, so a rerun after a crash mails only the rest). One unit's
    failed send does not stop the others: it is reported in `failed`."""
    if within < 0:
        raise ValueError("within: a number of working days, 0 or more")
    if not is_working_day(today):
        return DigestRun(day_off=True)
    run = DigestRun()
    for unit_id, cases in rows_by_unit.items():
        unit = {**units.get(unit_id, {}), "unit_id": unit_id}
        if unit_id in sent_today:
            run.already_sent.append(unit_id)
        elif not any(split_cases(cases, today, within)):
            run.nothing_due.append(unit_id)
        elif not recipients(unit):
            run.no_address.append(unit_id)
        else:
            message = digest_message(unit, cases, today=today, desk_url=desk_url, mail_from=mail_from,
                                     within=within)
            _send_one(send, message, unit_id, run)
    return run


def digest_message(unit: dict, cases: list[dict], *, today: date, desk_url: str, mail_from: str,
                   within: int = DEFAULT_WITHIN) -> EmailMessage | None:
    """The digest for `unit` ({"unit_id", "name", "email"}), or None when nothing is overdue and nothing is
    due within `within` working days."""
    overdue, due_soon = split_cases(cases, today, within)
    if not overdue and not due_soon:
        return None
    sections = [(title, [case_line(c, today, desk_url) for c in items]) for title, items in
                (("Terlambat", overdue), (f"Jatuh tempo dalam {within} hari kerja", due_soon)) if items]
    name = unit.get("name") or unit["unit_id"]
    subject = f"[Netra] Ringkasan harian {name}: {len(overdue)} terlambat, {len(due_soon)} segera jatuh tempo"
    context = {"unit": name, "today": long_date(today), "sections": sections, "subject": subject,
               "desk": f"{desk_url.rstrip('/')}/desk"}
    return _compose(subject, context, unit, mail_from, f"<digest-{unit['unit_id']}-{today}@netra>")


def split_cases(cases: list[dict], today: date, within: int) -> tuple[list[dict], list[dict]]:
    """(overdue, due within `within` working days), each by due date, earliest first."""
    horizon = add_working_days(today, within)
    dated = sorted((c for c in cases if as_day(c.get("due_on"))), key=lambda c: as_day(c["due_on"]))
    overdue = [c for c in dated if as_day(c["due_on"]) < today]
    return overdue, [c for c in dated if today <= as_day(c["due_on"]) <= horizon]


def group_by_unit(cases: list[dict]) -> dict[str, list[dict]]:
    """The rows of many units, keyed by unit_id, for send_digests."""
    grouped: dict[str, list[dict]] = {}
    for case in cases:
        grouped.setdefault(str(case["unit_id"]), []).append(case)
    return grouped


def case_link(desk_url: str, case_id: str) -> str:
    return f"{desk_url.rstrip('/')}/desk/kasus/{quote(str(case_id), safe='')}"


def long_date(day: date) -> str:
    return f"{DAYS[day.weekday()]}, {day.day} {MONTHS[day.month - 1]} {day.year}"


def case_line(case: dict, today: date, desk_url: str) -> dict:
    due = as_day(case["due_on"])
    if due < today:
        late = working_days_between(due, today)
        when = f"terlambat {late} hari kerja" if late else "terlambat"
    else:
        left = working_days_between(today, due)
        when = f"{left} hari kerja lagi" if left else "hari ini"
    return {"tracking_code": str(case.get("tracking_code", "")),
            "category": label("categories", case.get("category")),
            "region": region_name(case.get("region_code")) or str(case.get("region_code") or "-"),
            "status": label("case_statuses", case.get("status")),
            "due": long_date(due), "when": when, "link": case_link(desk_url, case["case_id"])}


def _compose(subject: str, context: dict, unit: dict, mail_from: str, message_id: str) -> EmailMessage:
    message = EmailMessage()
    message["Subject"] = subject
    message["From"] = mail_from
    message["To"] = recipients(unit)  # the unit's address and its officers' own (recipients.py)
    message["Date"] = formatdate(usegmt=True)
    # The same id for the same unit and day, so a digest sent again after a crash reads as the same mail.
    message["Message-ID"] = message_id
    message["Auto-Submitted"] = "auto-generated"
    message.set_content(_TEXT_TEMPLATE.render(context))
    message.add_alternative(_HTML_TEMPLATE.render(context), subtype="html")
    return message


def _send_one(send: Callable[[EmailMessage], object], message: EmailMessage, unit_id: str,
              run: DigestRun) -> None:
    try:
        send(message)
    except Exception as error:  # noqa: BLE001 - one unit's mail server trouble must not silence the rest
        run.failed[unit_id] = type(error).__name__
    else:
        run.sent.append(unit_id)
