"""The operator's command for monitoring teams' API keys (services/intake/teams/teams.py says how they are kept).

    python -m services.intake.teams.team_cli create --team "Tim Pemantau Netralitas ASN NTB" --region 52
    python -m services.intake.teams.team_cli list
    python -m services.intake.teams.team_cli revoke KEY_ID
"""
from __future__ import annotations

import argparse
import sys

from services.common.db import make_engine
from services.common.schema_gate import require_head
from services.common.settings import load_operator_settings
from services.reference.regions import is_region

from ..settings import IntakeSettings
from .team_store import TeamStore
from .teams import SCOPES


def main(argv: list[str] | None = None, store=None, out=sys.stdout) -> int:
    args = parser().parse_args(argv)
    store = store or default_store()
    if args.command == "create":
        key_id, token = store.create_key(args.team, args.region, SCOPES)
        print(f"Kunci {key_id} untuk {args.team!r} dibuat. Simpan sekarang; kunci ini tidak ditampilkan lagi:",
              file=out)
        print(token, file=out)
    elif args.command == "list":
        for row in store.keys():
            state = f"dicabut {row['revoked_at']:%Y-%m-%d %H:%M}" if row["revoked_at"] else "aktif"
            print(f"{row['key_id']}\t{row['team_name']}\t{row['region_code'] or '-'}\t"
                  f"{row['created_at']:%Y-%m-%d}\t{state}", file=out)
    elif not store.revoke(args.key_id):
        print(f"Tidak ada kunci aktif {args.key_id}.", file=sys.stderr)
        return 1
    else:
        print(f"Kunci {args.key_id} dicabut.", file=out)
    return 0


def parser() -> argparse.ArgumentParser:
    def region(value: str) -> str:
        if not is_region(value):
            raise argparse.ArgumentTypeError("not a Kemendagri region code such as 52 or 52.01")
        return value
    top = argparse.ArgumentParser(prog="python -m services.intake.teams.team_cli", description="Monitoring teams' API keys")
    commands = top.add_subparsers(dest="command", required=True)
    create = commands.add_parser("create", help="a new key for a team (the team is created on first use)")
    create.add_argument("--team", required=True, type=team_name, help="the team's public name, shown to units")
    create.add_argument("--region", type=region, help="the region the team monitors")
    commands.add_parser("list", help="every key, its team and whether it is revoked")
    revoke = commands.add_parser("revoke", help="refuse a key from now on")
    revoke.add_argument("key_id")
    return top


def team_name(value: str) -> str:
    value = " ".join(value.split())
    if not 2 <= len(value) <= 200 or not value.isprintable():
        raise argparse.ArgumentTypeError("2 to 200 printable characters")
    return value


def default_store():
    engine = make_engine(load_operator_settings(IntakeSettings).database_url)
    require_head(engine, "intake")
    return TeamStore(engine)


if __name__ == "__main__":
    sys.exit(main())
