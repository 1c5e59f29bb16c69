"""Resetting a forgotten password by a mailed one-time link (services/desk/accounts/links.py).

The request answers the same whether or not the address belongs to an account, and the mail goes only to the
address the account already has; the throttle (services/desk/accounts/throttle.py) limits requests per client and per
typed address. The link sets a new password and nothing else: the second factor is still asked at login.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from . import account_mail, links
from .accounts import password_problems, set_password
from .links import now

SAME_ANSWER = ("Jika alamat itu terdaftar pada akun aktif, tautan untuk mengatur ulang kata sandi telah "
               "dikirim ke sana. Periksa kotak masuk Anda.")
EXPIRED = "Tautan ini sudah dipakai atau kedaluwarsa. Minta tautan baru."


@dataclass(frozen=True)
class ResetMailing:
    send: object
    desk_url: str
    mail_from: str
    lifetime: timedelta

    @classmethod
    def from_settings(cls, settings, send) -> "ResetMailing":
        return cls(send, settings.desk_url, settings.mail_from, timedelta(minutes=settings.reset_minutes))


def request_reset(repo, mailing: ResetMailing, email: str) -> list[dict]:
    """Mails a link to each active account with this address; returns those accounts (for the audit log)."""
    email = (email or "").strip()
    found = [a for a in repo.by_email(email) if not a["disabled"]] if "@" in email and len(email) <= 254 else []
    for account in found:
        token = links.new_link(repo, "reset", mailing.lifetime, unit_id=account["unit_id"],
                               email=account["email"], account_id=account["id"], created_by=account["username"])
        mailing.send(account_mail.reset(account["email"], f"{mailing.desk_url}/desk/masuk/atur-ulang/{token}",
                                        account=account, expires=now() + mailing.lifetime,
                                        mail_from=mailing.mail_from))
    return found


def complete_reset(repo, token: str, password: str, confirm: str) -> dict:
    """The new password of the link's account; LookupError when the link no longer works."""
    link = links.open_link(repo, token, "reset")
    account = repo.by_id(link["account_id"]) if link else None
    if account is None or account["disabled"]:
        raise LookupError(EXPIRED)
    problems = password_problems(password, confirm)
    if problems:  # checked before the link is spent, so a typo does not cost the link
        raise ValueError(" ".join(problems))
    if not links.use_link(repo, token, "reset"):
        raise LookupError(EXPIRED)
    set_password(repo, account["id"], password, confirm)
    return account
