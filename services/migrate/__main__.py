"""Upgrades service databases to the revision the code needs; safe to run from several places at once.

  python -m services.migrate                 every service whose NETRA_<SERVICE>_DATABASE_URL is set
  python -m services.migrate intake          that service's database (NETRA_DATABASE_URL)
  python -m services.migrate intake --check  exit 1 unless the database is at head (changes nothing)
  python -m services.migrate intake --revision "add X"   autogenerate the next revision (development)

Exit status: 0 done, 1 a database could not be upgraded (or --check found it behind), 2 bad usage.
"""
from __future__ import annotations

import argparse
import sys

import structlog

from services.common import migrations
from services.common.db import make_engine
from services.common.logs import configure_logging
from services.common.settings import load_operator_settings

from .settings import MigrateSettings

log = structlog.get_logger("netra.migrate")


def parser() -> argparse.ArgumentParser:
    root = argparse.ArgumentParser(prog="python -m services.migrate", description=__doc__,
                                   formatter_class=argparse.RawDescriptionHelpFormatter)
    root.add_argument("service", nargs="?", choices=migrations.SERVICES)
    mode = root.add_mutually_exclusive_group()
    mode.add_argument("--check", action="store_true", help="only say whether the database is at head")
    mode.add_argument("--revision", metavar="MESSAGE", help="autogenerate the next revision of SERVICE")
    return root


def targets(args, settings: MigrateSettings) -> dict[str, str]:
    if args.service:
        return {args.service: settings.url_of(args.service)}
    return settings.configured()


def upgrade_all(databases: dict[str, str], service_role: str) -> int:
    failed = []
    for service, url in databases.items():
        try:
            before, after = migrations.upgrade(service, url, service_role)
        except Exception as exc:  # noqa: BLE001 - name the database, go on with the others, exit 1
            log.error("migrate.failed", service=service, error=f"{type(exc).__name__}: {exc}")
            failed.append(service)
            continue
        log.info("migrate.done", service=service, before=before or "empty", revision=after)
    return 1 if failed else 0


def check(service: str, url: str) -> int:
    engine = make_engine(url)
    try:
        problem = migrations.schema_problem(engine, service)
    finally:
        engine.dispose()
    print(problem or f"{service}: at head ({migrations.head(service)})")
    return 1 if problem else 0


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    configure_logging("migrate", "info", "console" if sys.stderr.isatty() else "json")
    settings = load_operator_settings(MigrateSettings)
    if (args.check or args.revision) and not args.service:
        parser().error("--check and --revision need a SERVICE")
    databases = targets(args, settings)
    if not databases:
        parser().error("no database: name a SERVICE or set NETRA_<SERVICE>_DATABASE_URL "
                       "(" + ", ".join(f"NETRA_{s.upper()}_DATABASE_URL" for s in migrations.SERVICES) + ")")
    if args.check:
        return check(args.service, databases[args.service])
    if args.revision:
        migrations.upgrade(args.service, databases[args.service], settings.database_service_role)
        migrations.new_revision(args.service, databases[args.service], args.revision)
        return 0
    return upgrade_all(databases, settings.database_service_role)


if __name__ == "__main__":
    sys.exit(main())
