"""The mails that carry a one-time link: an invitation to a desk account, a password reset."""
from __future__ import annotations

from email.message import EmailMessage
from email.utils import make_msgid

INVITATION = """Yth. {recipient},

{inviter} mengundang Anda ke Meja Unit Netra sebagai {role} untuk {unit_name}.

Buka tautan ini untuk memilih nama pengguna dan kata sandi, lalu mendaftarkan kode OTP:
{link}

Tautan ini hanya dapat dipakai sekali dan berlaku sampai {expires} (UTC).
Jika Anda tidak mengharapkan undangan ini, abaikan surel ini.
"""

RESET = """Yth. {recipient},

Seseorang meminta atur ulang kata sandi akun Meja Unit Netra "{username}".

Buka tautan ini untuk memilih kata sandi baru:
{link}

Tautan ini hanya dapat dipakai sekali dan berlaku sampai {expires} (UTC). Kode OTP Anda tetap diperlukan
untuk masuk. Jika bukan Anda yang meminta, abaikan surel ini; kata sandi Anda tidak berubah.
"""


def _message(to: str, subject: str, body: str, mail_from: str) -> EmailMessage:
    message = EmailMessage()
    message["From"], message["To"], message["Subject"] = mail_from, to, subject
    message["Message-ID"] = make_msgid(domain="netra.desk")
    message.set_content(body)
    return message


def invitation(to: str, link: str, *, unit_name: str, role: str, inviter: str, expires, mail_from: str) -> EmailMessage:
    body = INVITATION.format(recipient=unit_name if role == "admin" else "Bapak/Ibu", inviter=inviter, role=role,
                             unit_name=unit_name, link=link, expires=f"{expires:%Y-%m-%d %H:%M}")
    return _message(to, f"Undangan akun Meja Unit Netra: {unit_name}", body, mail_from)


def reset(to: str, link: str, *, account: dict, expires, mail_from: str) -> EmailMessage:
    body = RESET.format(recipient=account.get("name") or account["username"], username=account["username"],
                        link=link, expires=f"{expires:%Y-%m-%d %H:%M}")
    return _message(to, "Atur ulang kata sandi Meja Unit Netra", body, mail_from)
