"""`python -m services.desk.cli`: inviting each unit's first admin, the operator's own accounts, disabling an
account, revoking a second factor, the daily digest. Reads the desk's settings: the environment's NETRA_*
variables, then in a checkout the files deploy/run-local.sh writes (var/netra.env, var/netra-desk.env).

  invite-admin bkpsdm-14.03 [UNIT ...] | --all-units   mails each unit's address a one-time link; skips units
                                                       that have an admin or an open invitation
  create-account --unit bkn --role pengawas --username pengawas.bkn   (password from stdin or a prompt)
  create-admin --unit bkpsdm-14.03 --username admin.bengkalis          (the same, role admin)
  disable USERNAME | enable USERNAME | reset-otp USERNAME
  digest [--date YYYY-MM-DD]     the daily mail of cases due and overdue, once a day per unit
  escalate [--date YYYY-MM-DD]   the daily mail to the body above each unit with cases long overdue, and the
                                 mail to a Kanreg once for each PPK step on its recommendation past its deadline
"""
from __future__ import annotations

import argparse
import getpass
import sys
from datetime import date

from services.common.db import make_engine
from services.common.schema_gate import require_head
from services.common.settings import load_operator_settings

from .accounts import accounts as acc
from .accounts import invitations
from .cases.access import ROLES_ALL
from .cases.casework import now
from .cases.deadlines import office_day
from .cases.repository import AccountRepository, AuditLog, CaseRepository, DigestLog
from .directory import load_units, unit_addresses, unit_entries
from .mailer import SmtpConfig, sender
from .reminders.daily import run_digest
from .reminders.escalation import run_escalation
from .reminders.ppk_overdue import run_ppk_notices
from .reminders.recipients import officer_addresses, with_officers
from .settings import DeskSettings, DigestSettings


def parser() -> argparse.ArgumentParser:
    root = argparse.ArgumentParser(prog="python -m services.desk.cli", description=__doc__,
                                   formatter_class=argparse.RawDescriptionHelpFormatter)
    commands = root.add_subparsers(dest="command", required=True)
    admin = commands.add_parser("create-admin", help="the first admin of a unit")
    account = commands.add_parser("create-account", help="any account, e.g. a pengawas")
    account.add_argument("--role", required=True, choices=ROLES_ALL)
    for sub in (admin, account):
        sub.add_argument("--unit", required=True, help="unit id from the directory, e.g. bkpsdm-14.03")
        sub.add_argument("--username", required=True)
    for name in ("disable", "enable", "reset-otp"):
        commands.add_parser(name).add_argument("username")
    invite = commands.add_parser("invite-admin", help="mail each unit's first admin a one-time link")
    invite.add_argument("units", nargs="*", metavar="UNIT", help="unit ids from the directory, e.g. bkpsdm-14.03")
    invite.add_argument("--all-units", action="store_true", help="every unit of the directory")
    officers = commands.add_parser("invite-officers", help="mail officers a one-time link to a petugas account")
    officers.add_argument("invitations", nargs="+", metavar="UNIT=EMAIL[,EMAIL...]",
                          help="a unit id and the addresses of its officers, e.g. bkpsdm-14.03=rina@bengkalis.go.id")
    daily = commands.add_parser("digest", help="mail each unit its cases due and overdue (once a day)")
    above = commands.add_parser("escalate", help="mail the body above each unit its cases long overdue (once a day), "
                                "and each Kanreg its late PPK steps (once a step)")
    for sub in (daily, above):
        sub.add_argument("--date", type=date.fromisoformat, default=None, metavar="YYYY-MM-DD",
                         help="the office day to send for (default: today in WIB)")
    return root


def read_password() -> str:
    if sys.stdin.isatty():
        first, second = getpass.getpass("Kata sandi: "), getpass.getpass("Ulangi kata sandi: ")
        if first != second:
            raise ValueError("Kedua kata sandi berbeda.")
        return first
    return sys.stdin.readline().rstrip("\n")


def run(args, repo: AccountRepository, audit: AuditLog, units: dict) -> str:
    if args.command in ("create-admin", "create-account"):
        role = "admin" if args.command == "create-admin" else args.role
        acc.new_account(repo, units, args.username, args.unit, role, read_password())
        audit.record("cli", args.unit, "account.created", None, f"{args.username} ({role})")
        return f"Akun {args.username} ({role}, {args.unit}) dibuat; faktor kedua didaftarkan saat pertama masuk."
    if args.command == "reset-otp":
        acc.reset_second_factor(repo, args.username)
        message = f"Faktor kedua {args.username} direset."
    else:
        acc.set_disabled(repo, args.username, args.command == "disable")
        message = f"Akun {args.username} {'dinonaktifkan' if args.command == 'disable' else 'diaktifkan'}."
    audit.record("cli", repo.by_username(args.username)["unit_id"], f"account.{args.command}", None, args.username)
    return message


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    settings = load_operator_settings(DigestSettings if args.command in ("digest", "escalate") else DeskSettings)
    settings.use_estimated_holidays()
    engine = make_engine(settings.database_url)
    require_head(engine, "desk")
    if args.command == "digest":
        return digest(args, settings, engine)
    if args.command == "escalate":
        return escalate(args, settings, engine)
    if args.command == "invite-admin":
        return invite_admins(args, settings, engine)
    if args.command == "invite-officers":
        return invite_officers(args, settings, engine)
    try:
        print(run(args, AccountRepository(engine), AuditLog(engine), load_units(settings.units_file)))
    except ValueError as problem:
        print(f"Gagal: {problem}", file=sys.stderr)
        return 1
    return 0


def invite_officers(args, settings: DeskSettings, engine) -> int:
    """The officers a directory sheet lists; exits 1 when a mail failed or a unit is unknown (a rerun sends only
    those), 2 when an argument is not UNIT=EMAIL[,EMAIL...]."""
    wanted: dict[str, list[str]] = {}
    for argument in args.invitations:
        unit_id, _, addresses = argument.partition("=")
        if not unit_id or not addresses:
            print(f"Gagal: '{argument}' bukan UNIT=SUREL[,SUREL...].", file=sys.stderr)
            return 2
        wanted.setdefault(unit_id, []).extend(a.strip() for a in addresses.split(",") if a.strip())
    directory = unit_addresses(settings.units_file)
    mailing = invitations.Mailing.from_settings(settings, sender(SmtpConfig.from_settings(settings)))
    done = invitations.invite_officers(AccountRepository(engine), mailing, directory, wanted)
    for entry in done.sent:
        unit_id, address = entry.split(":", 1)
        AuditLog(engine).record("cli", unit_id, "account.invited", None, f"{address} (petugas)")
    print(f"{len(done.sent)} undangan petugas dikirim; {len(done.has_account)} sudah punya akun di unitnya; "
          f"{len(done.invited_already)} sudah diundang.")
    for unit_id in done.unknown:
        print(f"Gagal: unit '{unit_id}' tidak ada dalam direktori.", file=sys.stderr)
    for entry, why in sorted(done.failed.items()):
        print(f"Gagal mengirim ke {entry}: {why}", file=sys.stderr)
    return 1 if done.failed or done.unknown else 0


def invite_admins(args, settings: DeskSettings, engine) -> int:
    """Prints what was done per unit; exits 1 when a mail failed or a unit is unknown (a rerun sends only those)."""
    if bool(args.units) == args.all_units:
        print("Gagal: sebutkan unit (mis. bkpsdm-14.03) atau --all-units, tidak keduanya.", file=sys.stderr)
        return 2
    directory = unit_addresses(settings.units_file)
    mailing = invitations.Mailing.from_settings(settings, sender(SmtpConfig.from_settings(settings)))
    units = list(directory) if args.all_units else args.units
    done = invitations.invite_admins(AccountRepository(engine), mailing, directory, units,
                                     refuse_placeholders=settings.env == "production")
    for unit_id in done.sent:
        AuditLog(engine).record("cli", unit_id, "account.invited", None, f"{directory[unit_id]['email']} (admin)")
    print(f"{len(done.sent)} undangan admin dikirim ({', '.join(done.sent[:20]) or '-'}"
          f"{' …' if len(done.sent) > 20 else ''}); {len(done.has_admin)} unit sudah punya admin; "
          f"{len(done.invited_already)} sudah diundang; {len(done.no_address)} tanpa alamat surel yang dapat dipakai.")
    for unit_id in done.unknown:
        print(f"Gagal: unit '{unit_id}' tidak ada dalam direktori.", file=sys.stderr)
    for unit_id, why in sorted(done.failed.items()):
        print(f"Gagal mengirim ke {unit_id}: {why}", file=sys.stderr)
    return 1 if done.failed or done.unknown else 0


def reminded(units: dict, engine) -> dict:
    """The directory's units, each with its officers' own addresses: a reminder reaches the people too."""
    return with_officers(units, officer_addresses(AccountRepository(engine)))


def digest(args, settings: DigestSettings, engine) -> int:
    """Prints what happened; exits 1 when a unit's mail failed, so cron or a CronJob reports it."""
    day = args.date or office_day(now())
    done = run_digest(CaseRepository(engine), DigestLog(engine), sender(SmtpConfig.from_settings(settings)),
                      units=reminded(unit_addresses(settings.units_file), engine), today=day,
                      desk_url=settings.desk_url, mail_from=settings.mail_from, within=settings.digest_within_days)
    if done.day_off:
        print(f"{day}: hari libur, tidak ada ringkasan yang dikirim.")
        return 0
    print(f"{day}: {len(done.sent)} ringkasan dikirim ({', '.join(done.sent) or '-'}); "
          f"{len(done.already_sent)} sudah dikirim hari ini; {len(done.no_address)} unit tanpa alamat surel.")
    for unit_id, why in sorted(done.failed.items()):
        print(f"Gagal mengirim ke {unit_id}: {why}", file=sys.stderr)
    return 1 if done.failed else 0


def escalate(args, settings: DigestSettings, engine) -> int:
    """Prints what happened; exits 1 when a body's mail failed."""
    day = args.date or office_day(now())
    done = run_escalation(CaseRepository(engine), DigestLog(engine), sender(SmtpConfig.from_settings(settings)),
                          units=reminded(unit_entries(settings.units_file), engine), today=day,
                          desk_url=settings.desk_url,
                          mail_from=settings.mail_from, after=settings.escalate_after_days)
    if done.day_off:
        print(f"{day}: hari libur, tidak ada eskalasi yang dikirim.")
        return 0
    print(f"{day}: {len(done.sent)} eskalasi dikirim ({', '.join(done.sent) or '-'}); "
          f"{len(done.already_sent)} sudah dikirim hari ini; {len(done.no_address)} badan tanpa alamat surel.")
    late = run_ppk_notices(CaseRepository(engine), DigestLog(engine), sender(SmtpConfig.from_settings(settings)),
                           units=reminded(unit_entries(settings.units_file), engine), today=day,
                           desk_url=settings.desk_url, mail_from=settings.mail_from)
    print(f"{day}: {len(late.sent)} pemberitahuan PPK lewat tenggat dikirim ke Kanreg; "
          f"{len(late.already_sent)} sudah dikirim sebelumnya; {len(late.no_address)} Kanreg tanpa alamat surel.")
    for body, why in sorted({**done.failed, **late.failed}.items()):
        print(f"Gagal mengirim ke {body}: {why}", file=sys.stderr)
    return 1 if done.failed or late.failed else 0


if __name__ == "__main__":
    sys.exit(main())
