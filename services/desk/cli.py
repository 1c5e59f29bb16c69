"""`python -m services.desk.cli`: the first admin of a unit, disabling an account, resetting a second factor.

  create-admin --unit bkpsdm-14.03 --username admin.bengkalis      (password from stdin or a prompt)
  create-account --unit bkn --role pengawas --username pengawas.bkn
  disable USERNAME | enable USERNAME | reset-otp USERNAME
"""
from __future__ import annotations

import argparse
import getpass
import sys

from services.common.db import make_engine
from services.common.settings import load_settings

from . import accounts as acc
from .access import ROLES_ALL
from .directory import load_units
from .repository import AccountRepository, AuditLog
from .schema import create_schema
from .settings import DeskSettings


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
    settings = load_settings(DeskSettings)
    engine = make_engine(settings.database_url)
    create_schema(engine)
    try:
        print(run(args, AccountRepository(engine), AuditLog(engine), load_units(settings.units_file)))
    except ValueError as problem:
        print(f"Gagal: {problem}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
