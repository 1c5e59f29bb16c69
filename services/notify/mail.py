"""The mails notify sends, in Bahasa Indonesia, each with a plain-text and an HTML part.

Templates see only what is passed here: the case as notify's own schema read it (which has no reporter
fields at all), so no reporter identity can reach a unit's mail. Units get no link to the evidence store:
they open the case, and its evidence, in the desk after signing in.
"""
from __future__ import annotations

import binascii
import itertools
import secrets
from email.charset import BASE64, Charset
from email.header import Header
from email.headerregistry import Address
from email.message import Message
from email.mime.multipart import MIMEMultipart
from email.mime.nonmultipart import MIMENonMultipart
from email.utils import formataddr, formatdate
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

from services.reference.law_wording import legal_view

from .wording import category_label, defang, file_size, label, long_date, region_label, role_label

TEMPLATES = Path(__file__).resolve().parent / "templates"

_templates = Environment(
    loader=FileSystemLoader(TEMPLATES), autoescape=select_autoescape(["html"]), undefined=StrictUndefined,
    trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True,
)
_templates.filters.update(kategori=label("categories"), platform=label("platforms"),
                          instansi=label("employer_levels"), alasan=label("fallback_reasons"),
                          alasan_bukti=label("evidence_rejections"), kecocokan=label("group_matches"),
                          wilayah=region_label, peran=role_label, tanggal=long_date, ukuran=file_size,
                          defang=defang)
NEUTRAL_SUBJECT = "[Netra] Pemberitahuan tentang pengaduan Anda"

# Mails are built with email.mime (the compat32 API), not EmailMessage: composing and flattening a unit's mail
# takes 1.4 ms instead of 4.4, because EmailMessage parses every header value as it is set and refolds it as it
# is written. What a mail client reads is the same (tests parse the sent bytes with the modern policy). A header
# encodes only its non-ASCII words. Bodies are quoted-printable, as EmailMessage chose for lines this long,
# encoded by binascii (C) rather than email's pure-Python encoder; the multipart boundary is random and set
# here, so the generator does not make one and search both bodies for it.
UTF8 = Charset("utf-8")
UTF8.header_encoding = BASE64


class BadAddress(ValueError):
    """A recipient address no mail server would take; the message says nothing about the address."""


def unit_message_id(case_id: str, transfer_id: str | None = None) -> str:
    return f"<case-{case_id}{'-' + transfer_id if transfer_id else ''}@netra>"


def ack_message_id(complaint_id: str) -> str:
    return f"<ack-{complaint_id}@netra>"


def rejected_message_id(complaint_id: str) -> str:
    return f"<evidence-rejected-{complaint_id}@netra>"


def status_message_id(case_id: str, sequence: int) -> str:
    return f"<status-{case_id}-{sequence}@netra>"


def question_message_id(question_id: str) -> str:
    return f"<question-{question_id}@netra>"


def lacak_url(public_url: str) -> str:
    """The citizen's page for following a complaint; they bring their tracking code and receipt."""
    return f"{public_url.rstrip('/')}/lacak"


def desk_case_url(desk_url: str, case_id: str) -> str:
    return f"{desk_url.rstrip('/')}/desk/kasus/{case_id}"


def unit_case_message(case: dict, desk_url: str, mail_from: str) -> Message:
    """The case as one letter: To the primary unit, Cc the units in copy (tembusan), whom the body lists.

    The units in copy own no step of the case, so they need no mail of their own. The SMTP sender offers the
    primary unit first and sends nothing when it is refused, so a retry for it never mails the copies twice.
    """
    primary, copies = case["units"]["primary"], _distinct_copies(case["units"])
    transfer_id = (case.get("transfer") or {}).get("transfer_id")
    context = {
        "unit_name": primary["name"], "copy_names": [unit["name"] for unit in copies],
        "tracking_code": case["tracking_code"], "case_number": case.get("case_number") or case["case_id"],
        "desk_link": desk_case_url(desk_url, case["case_id"]), "transferred": transfer_id is not None,
        "subject": case["subject"], "violation": case["violation"],
        "files": [{**f, "number": f["index"] + 1} for f in case["files"]],
        "fallback": case["fallback"], "group": linked(case),
        "team_name": team_name(case.get("source")), "law": legal_view(case),
    }
    subject = (f"[Netra] Pengaduan netralitas ASN {case['tracking_code']} — "
               f"{category_label(case['violation']['category'])}")
    if context["group"]:
        subject += f" (laporan ke-{context['group']['size']} atas perbuatan yang sama)"
    return _compose("unit_case", subject, context, mail_from, unit_message_id(case["case_id"], transfer_id),
                    to=[_address(primary["name"], primary["email"])],
                    cc=[_address(unit["name"], unit["email"]) for unit in copies])


def linked(case: dict) -> dict | None:
    """The group of earlier reports of the same act this case joined; None for a first report."""
    group = case.get("group") or {}
    return group if group.get("size", 1) > 1 else None


def team_name(source: dict | None) -> str | None:
    """A monitoring team's public name when the finding came from one (never a person's name)."""
    return str(source.get("team_name") or source.get("team_id") or "") or None \
        if isinstance(source, dict) and source.get("kind") == "team" else None


def reporter_ack_message(tracking_code: str, submitted_at: str | None, reporter_email: str, *,
                         complaint_id: str, public_url: str, mail_from: str) -> Message:
    """The subject says nothing about the complaint: a shared or watched mailbox shows subjects first."""
    context = {"tracking_code": tracking_code, "submitted_at": submitted_at, "lacak_url": lacak_url(public_url)}
    return _compose("reporter_ack", "[Netra] Pengaduan Anda telah diterima", context, mail_from,
                    ack_message_id(complaint_id), to=[_address("", reporter_email)])


def evidence_rejected_message(tracking_code: str, rejected: list[dict], reporter_email: str, *,
                              complaint_id: str, public_url: str, mail_from: str) -> Message:
    files = [{"number": f["index"] + 1, "reason": f["reason"]} for f in sorted(rejected, key=lambda f: f["index"])]
    context = {"tracking_code": tracking_code, "rejected": files, "lacak_url": lacak_url(public_url)}
    subject = f"[Netra] Sebagian bukti pengaduan {tracking_code} tidak dapat diterima"
    return _compose("evidence_rejected", subject, context, mail_from, rejected_message_id(complaint_id),
                    to=[_address("", reporter_email)])


def disclosure_message_id(request_id: str) -> str:
    return f"<disclosure-{request_id}@netra>"


def reporter_disclosure_message(tracking_code: str, body_name: str, basis: str, reporter_email: str, *,
                                message_id: str, public_url: str, mail_from: str) -> Message:
    """Which body received the reporter's identity and on which basis; never the officer's name."""
    context = {"tracking_code": tracking_code, "body_name": body_name, "basis": basis,
               "lacak_url": lacak_url(public_url)}
    return _compose("reporter_disclosure", NEUTRAL_SUBJECT, context, mail_from, message_id,
                    to=[_address("", reporter_email)])


def reporter_update_message(kind: str, tracking_code: str, reporter_email: str, *, message_id: str,
                            public_url: str, mail_from: str) -> Message:
    """kind "status_changed" or "question": only that something happened to which complaint, and where to look."""
    context = {"kind": kind, "tracking_code": tracking_code, "lacak_url": lacak_url(public_url)}
    return _compose("reporter_update", NEUTRAL_SUBJECT, context, mail_from, message_id,
                    to=[_address("", reporter_email)])


def _compose(template: str, subject: str, context: dict, mail_from: str, message_id: str,
             to: list[Address], cc: tuple[Address, ...] | list[Address] = ()) -> Message:
    message = MIMEMultipart("alternative", boundary=f"netra-{secrets.token_hex(16)}")
    message["Subject"] = _encoded_words("Subject", _one_line(subject))
    message["From"] = _one_line(mail_from)
    message["To"] = _address_list(to)
    if cc:
        message["Cc"] = _address_list(cc)
    message["Date"] = formatdate(usegmt=True)
    # Always the same id for the same mail, so a rare resend after a crash reads as the same message.
    message["Message-ID"] = _one_line(message_id)
    message["Auto-Submitted"] = "auto-generated"
    message.attach(_text_part(_templates.get_template(f"{template}.txt").render(context), "plain"))
    message.attach(_text_part(_templates.get_template(f"{template}.html").render(title=subject, **context), "html"))
    return message


def _address_list(addresses) -> str:
    return ", ".join(formataddr((address.display_name, address.addr_spec), UTF8) for address in addresses)


def _text_part(text: str, subtype: str) -> MIMENonMultipart:
    part = MIMENonMultipart("text", subtype, charset="utf-8")
    part["Content-Transfer-Encoding"] = "quoted-printable"
    part.set_payload(binascii.b2a_qp(text.encode(), istext=True).decode("ascii"))
    return part


def _encoded_words(name: str, text: str) -> Header:
    """ASCII words stay readable; each run of other words becomes one RFC 2047 encoded word."""
    header = Header(header_name=name)
    for plain, words in itertools.groupby(text.split(" "), key=str.isascii):
        header.append(" ".join(words), "us-ascii" if plain else UTF8)
    return header


def _one_line(value: str) -> str:
    """A line break in a header value would start a header of its own; EmailMessage refused one, so does this."""
    if "\r" in value or "\n" in value:
        raise ValueError("a header value may not contain a line break")
    return value


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


TASK_WORDS = {"periksa": "memeriksa laporan", "rekomendasi": "menelaah dan memberi rekomendasi",
              "putusan": "mencatat keputusan Pejabat Pembina Kepegawaian",
              "pantau": "memantau tindak lanjut keputusan"}
OUTCOME_WORDS = {"rekomendasi": "rekomendasi", "keputusan": "keputusan PPK", "hasil_pemantauan": "hasil pemantauan"}


def step_message_id(case_id: str, number: int) -> str:
    return f"<step-{case_id}-{number}@netra>"


def unit_step_message(opened: dict, desk_url: str, mail_from: str) -> Message:
    """The next step's unit is told it owns the case now, what the step before handed on, and by when."""
    step, previous, unit = opened["step"], opened["previous"], opened["units"]["primary"]
    context = {
        "unit_name": unit["name"], "case_number": opened.get("case_number") or opened["case_id"],
        "tracking_code": opened["tracking_code"], "number": step["number"], "steps": opened["steps"],
        "task": TASK_WORDS.get(step["task"], step["task"]), "previous_name": previous["name"],
        "outcome": previous["outcome"], "outcome_words": OUTCOME_WORDS.get(previous["outcome"].get("kind"), "hasil"),
        "deadline": step.get("deadline"), "basis": step.get("basis"),
        "desk_link": desk_case_url(desk_url, opened["case_id"]),
    }
    subject = (f"[Netra] Kasus {context['case_number']} diteruskan kepada Anda: langkah {step['number']} "
               f"dari {opened['steps']}")
    return _compose("unit_step", subject, context, mail_from, step_message_id(opened["case_id"], step["number"]),
                    to=[_address(unit["name"], unit["email"])])
