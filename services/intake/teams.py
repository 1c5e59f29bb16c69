"""Monitoring teams' API keys: made by an operator, shown once, stored as a SHA-256, checked on every request.

    python -m services.intake.teams create --team "Tim Pemantau Netralitas ASN NTB" --region 52
    python -m services.intake.teams list
    python -m services.intake.teams revoke KEY_ID

Why SHA-256 and not argon2: a key is 32 random bytes from `secrets` (256 bits), not a password a person
chose, so no dictionary or brute force can reach it from its digest; a slow, salted hash would add cost
to every request and rule out finding the key by an indexed lookup of its digest. Every request looks the
digest up again (no cache), so a revoked key is refused at once.
"""
from __future__ import annotations

import argparse
import hashlib
import secrets
import sys
from dataclasses import dataclass

TOKEN_PREFIX = "netra_team_"
SUBMIT, READ = "findings:submit", "findings:read"
SCOPES = (SUBMIT, READ)


class Unauthorized(Exception):
    """No key, an unknown key or a revoked key: 401."""


class Forbidden(Exception):
    """A valid key without the scope this request needs: 403."""


@dataclass(frozen=True)
class TeamKey:
    key_id: str
    team_id: str
    team_name: str
    scopes: frozenset

    @property
    def source(self) -> dict:
        """How complaint.submitted marks the team's findings: an organisation's code and public name."""
        return {"kind": "team", "team_id": self.team_id, "team_name": self.team_name}


def new_token() -> str:
    return TOKEN_PREFIX + secrets.token_urlsafe(32)


def token_digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def bearer_token(header: str | None) -> str | None:
    scheme, _, token = (header or "").partition(" ")
    token = token.strip()
    return token if scheme.lower() == "bearer" and token.startswith(TOKEN_PREFIX) and len(token) < 200 else None


def authenticate(store, header: str | None, scope: str) -> TeamKey:
    token = bearer_token(header)
    key = store.key_by_digest(token_digest(token)) if token else None
    if key is None:
        raise Unauthorized()
    if scope not in key.scopes:
        raise Forbidden()
    return key


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
    from services.reference.regions import is_region

    def region(value: str) -> str:
        if not is_region(value):
            raise argparse.ArgumentTypeError("not a Kemendagri region code such as 52 or 52.01")
        return value
    top = argparse.ArgumentParser(prog="python -m services.intake.teams", description="Monitoring teams' API keys")
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
    from services.common.db import make_engine
    from services.common.schema_gate import require_head
    from services.common.settings import load_settings

    from .settings import IntakeSettings
    from .team_store import TeamStore
    engine = make_engine(load_settings(IntakeSettings).database_url)
    require_head(engine, "intake")
    return TeamStore(engine)


if __name__ == "__main__":
    sys.exit(main())
