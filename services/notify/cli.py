"""`python -m services.notify.cli`: notify's jobs for operators.

  purge-contacts     delete the sealed contacts of reporters whose case closed more than
                     NETRA_CONTACT_RETENTION_DAYS (default 90) ago; run it daily (cron, a systemd timer,
                     or a scheduled container). Safe to run at any time and from several places at once.
"""
from __future__ import annotations

import argparse
from datetime import datetime, timezone

import structlog

from services.common.db import make_engine
from services.common.schema_gate import require_head
from services.common.logs import configure_logging
from services.common.settings import load_operator_settings

from .repository import SqlContacts
from .retention import purge_contacts
from .settings import ContactRetentionSettings

log = structlog.get_logger("netra.notify.cli")


def main(argv: list[str] | None = None) -> int:
    root = argparse.ArgumentParser(prog="python -m services.notify.cli", description=__doc__,
                                   formatter_class=argparse.RawDescriptionHelpFormatter)
    root.add_subparsers(dest="command", required=True).add_parser(
        "purge-contacts", help="delete reporters' contacts NETRA_CONTACT_RETENTION_DAYS after their case closed")
    root.parse_args(argv)
    settings = load_operator_settings(ContactRetentionSettings)
    configure_logging("notify", settings.log_level, settings.log_format)
    engine = make_engine(settings.database_url)
    require_head(engine, "notify")
    deleted = purge_contacts(SqlContacts(engine), settings.contact_retention_days, datetime.now(timezone.utc))
    log.info("notify.contacts_purged", deleted=deleted, retention_days=settings.contact_retention_days)
    print(f"deleted {deleted} reporter contacts (cases closed over {settings.contact_retention_days} days ago)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
