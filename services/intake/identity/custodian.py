"""The custodian's tool: the only way to read a reporter's identity, and every opening is recorded.

    python -m services.intake.identity.custodian keygen
    python -m services.intake.identity.custodian open NTR-7K4M-Q2XP --who "Rina (Inspektorat)" \\
        --reason "Permintaan klarifikasi No. 12/2026" --key-file /media/custodian/identity.keys
    python -m services.intake.identity.custodian log

The private key(s) stay offline with the custodian; intake only ever has the public key. A key file holds
one private key per line (lines starting with # are comments): during a rotation it holds the old and the
new key, and identities sealed under either open. Each `open` is written to the append-only access log
before anything is shown, whether the identity opens or not.
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from services.common.db import make_engine
from services.common.schema_gate import require_head
from services.common.sealing import Opener, SealError, new_key_pair
from services.common.settings import load_operator_settings

from ..complaints.repository import CustodianRepository
from ..settings import IntakeSettings


def keygen(_args, _repository, out) -> int:
    public, private = new_key_pair()
    print(f"public  (NETRA_IDENTITY_PUBLIC_KEY for intake): {public}", file=out)
    print(f"private (keep offline, in the custodian's key file): {private}", file=out)
    return 0


def open_identity(args, repository: CustodianRepository, out) -> int:
    opener = Opener.from_texts(key_lines(Path(args.key_file).read_text(encoding="utf-8")))
    token = repository.sealed_identity(args.tracking_code)
    if token is None:
        repository.log_access(args.tracking_code, args.who, args.reason, "no_identity")
        print(f"{args.tracking_code}: no identity (anonymous, or unknown tracking code)", file=out)
        return 1
    try:
        identity = opener.open(token)
    except SealError as exc:
        repository.log_access(args.tracking_code, args.who, args.reason, "key_missing")
        print(f"{args.tracking_code}: {exc}", file=out)
        return 1
    repository.log_access(args.tracking_code, args.who, args.reason, "opened")
    print(json.dumps(identity, ensure_ascii=False, indent=2), file=out)
    return 0


def show_log(_args, repository: CustodianRepository, out) -> int:
    for row in repository.access_log():
        print(f"{row['at'].isoformat()}  {row['tracking_code']}  {row['outcome']:<12} {row['who']}: {row['reason']}",
              file=out)
    return 0


def nonempty(value: str) -> str:
    if not value.strip():
        raise argparse.ArgumentTypeError("must not be empty")
    return value.strip()[:500]


def key_lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip() and not line.lstrip().startswith("#")]


def parser() -> argparse.ArgumentParser:
    root = argparse.ArgumentParser(prog="python -m services.intake.identity.custodian", description=__doc__.split("\n")[0])
    commands = root.add_subparsers(dest="command", required=True)
    commands.add_parser("keygen", help="print a new key pair").set_defaults(run=keygen)
    opening = commands.add_parser("open", help="open one reporter's sealed identity (recorded)")
    opening.add_argument("tracking_code")
    opening.add_argument("--who", required=True, type=nonempty, help="who opens it (name and office)")
    opening.add_argument("--reason", required=True, type=nonempty, help="why (the request or decision that allows it)")
    opening.add_argument("--key-file", required=True, help="file with the custodian's private key(s)")
    opening.set_defaults(run=open_identity)
    commands.add_parser("log", help="who opened which identity, when and why").set_defaults(run=show_log)
    return root


def main(argv: list[str] | None = None, out=sys.stdout, repository: CustodianRepository | None = None) -> int:
    args = parser().parse_args(argv)
    if repository is None and args.command != "keygen":
        engine = make_engine(load_operator_settings(IntakeSettings).database_url)
        require_head(engine, "intake")
        repository = CustodianRepository(engine)
    return args.run(args, repository, out)


if __name__ == "__main__":
    sys.exit(main())
