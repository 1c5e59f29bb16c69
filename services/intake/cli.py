"""`python -m services.intake.cli`: intake's jobs for operators.

  purge-identities   delete the sealed identities of reporters whose case closed more than
                     NETRA_CONTACT_RETENTION_DAYS (default 90) ago; the scheduler runs it daily
                     (python -m services.ops schedule). Safe to run at any time and from several places.
"""
from __future__ import annotations

import argparse
from datetime import datetime, timezone

import structlog

from services.common.db import make_engine
from services.common.logs import configure_logging
from services.common.schema_gate import require_head
from services.common.settings import load_operator_settings

from .identity.retention import SqlIdentities, purge_identities
from .settings import IdentityRetentionSettings

log = structlog.get_logger("netra.intake.cli")


def main(argv: list[str] | None = None) -> int:
    root = argparse.ArgumentParser(prog="python -m services.intake.cli", description=__doc__,
                                   formatter_class=argparse.RawDescriptionHelpFormatter)
    root.add_subparsers(dest="command", required=True).add_parser(
        "purge-identities", help="delete sealed identities NETRA_CONTACT_RETENTION_DAYS after their case closed")
    root.parse_args(argv)
    settings = load_operator_settings(IdentityRetentionSettings)
    configure_logging("intake", settings.log_level, settings.log_format)
    engine = make_engine(settings.database_url)
    require_head(engine, "intake")
    days = settings.contact_retention_days
    deleted = purge_identities(SqlIdentities(engine), days, datetime.now(timezone.utc))
    log.info("intake.identities_purged", deleted=deleted, retention_days=days)
    print(f"deleted {deleted} sealed reporter identities (cases closed over {days} days ago)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
