"""Runs routing: `python -m services.routing.worker`."""
from __future__ import annotations

import sys
from datetime import timedelta

import structlog

from services.common.publishers import connect, Publisher
from services.common.db import database_answers, make_engine
from services.common.logs import configure_logging
from services.common.runner import run_worker
from services.common.schema_gate import require_head
from services.common.settings import load_settings
from services.common.subscriptions import routes
from services.common.worker import Route

from .chains import load_chains
from .directory import RoutingDataError, load_directory
from .grouping import GroupPolicy
from .legal_facts import Statutes
from .placeholders import placeholder_units
from .planning import Router
from .queues import SUBSCRIPTIONS
from .repository import SqlCases
from .rules import load_rules
from .settings import RoutingSettings

log = structlog.get_logger("netra.routing")


def build_routes(settings: RoutingSettings, router: Router, cases, publisher: Publisher) -> list[Route]:
    return routes(SUBSCRIPTIONS, settings, router=router, directory=router.directory, cases=cases,
                  statutes=router.statutes, publish=publisher.publish)


def group_policy(settings: RoutingSettings) -> GroupPolicy:
    return GroupPolicy(timedelta(days=settings.group_window_days), settings.group_phash_distance)


def load_routing_data(settings: RoutingSettings) -> Router:
    """The units, rules, law data and calendar, or a clear exit at start-up: a broken file would misroute."""
    try:
        directory = load_directory(settings.units_file)
        statutes = Statutes.load(settings.election_calendar)
        return Router(directory, load_rules(settings.rules_file, directory), statutes, group_policy(settings),
                      load_chains(settings.chains_file, directory, statutes.law.clock_ids()))
    except RoutingDataError as exc:
        log.error("routing.data_invalid", file=str(exc.path), problems=exc.problems)
        raise SystemExit(f"routing data is invalid: {exc}") from None


def refuse_placeholders(settings: RoutingSettings, router: Router) -> None:
    """Production names every unit rules can route to that still has a placeholder address, and stops."""
    found = placeholder_units(router.directory, router.rules, router.chains)
    if not found:
        return
    if settings.env != "production":
        log.warning("routing.placeholder_addresses", units=len(found), first=found[:10],
                    advice="production refuses to start until each has its real address (NETRA_UNITS_FILE)")
        return
    print(f"routing: {len(found)} units that rules can route to still have a placeholder address (*.invalid); "
          f"put their real addresses in NETRA_UNITS_FILE:\n  " + "\n  ".join(found), file=sys.stderr, flush=True)
    raise SystemExit(2)


def main() -> None:
    settings = load_settings(RoutingSettings)
    configure_logging("routing", settings.log_level, settings.log_format)
    settings.use_estimated_holidays()
    router = load_routing_data(settings)
    refuse_placeholders(settings, router)
    log.info("routing.data_loaded", units=len(router.directory.units), rules=len(router.rules.rules),
             units_file=str(settings.units_file), rules_file=str(settings.rules_file),
             elections=len(router.statutes.calendar.elections), election_calendar=str(settings.election_calendar))
    if settings.election_calendar is None:
        log.warning("routing.no_election_calendar",
                    advice="set NETRA_ELECTION_CALENDAR: until then every case is outside an election")
    engine = make_engine(settings.database_url)
    require_head(engine, "routing")
    publisher = Publisher(connect(settings.amqp_url))
    routes = build_routes(settings, router, SqlCases(engine), publisher)
    run_worker(settings, routes, publisher, checks={"database": lambda: database_answers(engine)})


if __name__ == "__main__":
    main()
