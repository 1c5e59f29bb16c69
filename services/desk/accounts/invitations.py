"""Invitations: a unit's first admin (the operator, one unit or many) and the officers an admin invites. Each
mails a one-time link; whoever opens it chooses their own username and password, then enrols TOTP."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta

from sqlalchemy.exc import IntegrityError

from . import account_mail, links
from .accounts import HASHER, password_problems, username_problems
from .links import now

PLACEHOLDER_DOMAIN = ".invalid"


@dataclass(frozen=True)
class Mailing:
    """How invitations leave: the desk's mailer and what their text needs."""
    send: object
    desk_url: str
    mail_from: str
    lifetime: timedelta

    @classmethod
    def from_settings(cls, settings, send) -> "Mailing":
        return cls(send, settings.desk_url, settings.mail_from, timedelta(days=settings.invitation_days))


def invite(repo, mailing: Mailing, *, unit_id: str, unit_name: str, role: str, email: str, by: str) -> None:
    """Stores the invitation and mails its link; an SMTP failure propagates (the link, never sent, expires)."""
    if "@" not in (email or "") or len(email) > 254:
        raise ValueError("Alamat surel tidak valid.")
    token = links.new_link(repo, "invite", mailing.lifetime, unit_id=unit_id, role=role, email=email.strip(),
                           created_by=by)
    mailing.send(account_mail.invitation(email.strip(), f"{mailing.desk_url}/desk/undangan/{token}",
                                         unit_name=unit_name, role=role, inviter=by,
                                         expires=now() + mailing.lifetime, mail_from=mailing.mail_from))


@dataclass
class BulkResult:
    sent: list[str] = field(default_factory=list)
    has_admin: list[str] = field(default_factory=list)
    has_account: list[str] = field(default_factory=list)
    invited_already: list[str] = field(default_factory=list)
    no_address: list[str] = field(default_factory=list)
    unknown: list[str] = field(default_factory=list)
    failed: dict[str, str] = field(default_factory=dict)


def invite_admins(repo, mailing: Mailing, directory: dict[str, dict], unit_ids, *, by: str = "operator",
                  refuse_placeholders: bool = False) -> BulkResult:
    """The first admin of each unit, to the unit's address in the directory. Safe to run again: a unit that has
    an admin or an open invitation is skipped, so a rerun mails only the units still missing."""
    done, with_admin = BulkResult(), repo.units_with_admin()
    for unit_id in unit_ids:
        unit = directory.get(unit_id)
        address = (unit or {}).get("email", "")
        if unit is None:
            done.unknown.append(unit_id)
        elif unit_id in with_admin:
            done.has_admin.append(unit_id)
        elif any(link["role"] == "admin" for link in repo.open_invitations(unit_id, now())):
            done.invited_already.append(unit_id)
        elif not address or (refuse_placeholders and address.endswith(PLACEHOLDER_DOMAIN)):
            done.no_address.append(unit_id)
        else:
            _invite_one(repo, mailing, unit_id, unit, by, done)
    return done


def invite_officers(repo, mailing: Mailing, directory: dict[str, dict], wanted: dict[str, list[str]], *,
                    by: str = "operator") -> BulkResult:
    """The officers a unit directory sheet lists (its `invite` column), as petugas of their unit; each entry of
    the result is "<unit>:<address>". Safe to run again: an address with an account in that unit, or an open
    invitation there, is skipped."""
    done = BulkResult()
    for unit_id, addresses in wanted.items():
        unit = directory.get(unit_id)
        if unit is None:
            done.unknown.append(unit_id)
            continue
        open_ones = {link["email"].lower() for link in repo.open_invitations(unit_id, now())}
        for address in addresses:
            entry = f"{unit_id}:{address}"
            if any(account["unit_id"] == unit_id for account in repo.by_email(address)):
                done.has_account.append(entry)
            elif address.lower() in open_ones:
                done.invited_already.append(entry)
            else:
                _invite_one(repo, mailing, entry, {**unit, "email": address}, by, done, role="petugas")
    return done


def _invite_one(repo, mailing, entry, unit, by, done: BulkResult, role: str = "admin") -> None:
    unit_id = entry.split(":", 1)[0]
    try:
        invite(repo, mailing, unit_id=unit_id, unit_name=unit["name"], role=role, email=unit["email"], by=by)
    except (OSError, ValueError) as problem:  # smtplib's errors are OSErrors
        done.failed[entry] = f"{type(problem).__name__}: {problem}"
    else:
        done.sent.append(entry)


def accept(repo, token: str, username: str, name: str, password: str, confirm: str) -> int:
    """The invited person's own account (its second factor enrolled next); ValueError says what is wrong."""
    link = links.open_link(repo, token, "invite")
    if link is None:
        raise LookupError("Tautan undangan ini sudah dipakai atau kedaluwarsa. Minta undangan baru.")
    problems = username_problems(repo, username) + password_problems(password, confirm)
    if not (name or "").strip() or len(name) > 120:
        problems.append("Nama lengkap wajib diisi (paling panjang 120 karakter).")
    if problems:
        raise ValueError(" ".join(problems))
    try:
        account_id = repo.add_with_link(links.digest(token), now(), username=username.strip(), name=name.strip(),
                                        email=link["email"], unit_id=link["unit_id"], role=link["role"],
                                        password_hash=HASHER.hash(password), totp_confirmed=False,
                                        disabled=False, failed_logins=0)
    except IntegrityError:  # the same username taken a moment ago, by another invitee
        raise ValueError(f"Nama pengguna '{username}' sudah dipakai.") from None
    if account_id is None:
        raise LookupError("Tautan undangan ini sudah dipakai atau kedaluwarsa. Minta undangan baru.")
    return account_id
