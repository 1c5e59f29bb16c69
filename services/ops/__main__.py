"""`python -m services.ops reconcile [--redrive] [--every SECONDS]` and `python -m services.ops schedule
[--once JOB ... [--date YYYY-MM-DD]]`: the one place that wires the reconciler and the scheduler (schedule.py).

Exit status of a single run: 0 nothing overdue, 1 complaints overdue (listed; with --redrive sent again) or
intake's database not migrated (the message names the command to run), 2 usage or configuration. With --every it runs until SIGTERM, its /healthz, /readyz and /metrics on
NETRA_HEALTH_BIND.
"""
from __future__ import annotations

import argparse
import signal
import threading
from datetime import date

import structlog
from prometheus_client import REGISTRY

from services.common.db import database_answers, make_engine
from services.common.health import serve_health
from services.common.logs import configure_logging
from services.common.schema_gate import require_head
from services.common.settings import load_operator_settings, load_settings

from services.common.metrics import ScheduleMetrics

from .intake_records import IntakeRecords
from .jobs import BY_NAME
from .reconcile import OverdueCollector, Reconciler, reconcile, report, run_every
from .schedule import run_once, serve
from .settings import ReconcileSettings, ScheduleSettings

log = structlog.get_logger("netra.reconcile")


def parse(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m services.ops", description="Netra's operator commands")
    commands = parser.add_subparsers(dest="command", required=True)
    run = commands.add_parser("reconcile", help="list the complaints overdue for their next step")
    run.add_argument("--redrive", action="store_true",
                     help="send each overdue complaint's complaint.submitted again (every step does only what is "
                          "missing)")
    run.add_argument("--every", type=float, metavar="SECONDS",
                     help="run on a schedule, serving netra_complaints_overdue on NETRA_HEALTH_BIND")
    schedule = commands.add_parser("schedule", help="run the scheduled jobs (reminders, purges, holiday check)")
    schedule.add_argument("--once", nargs="+", metavar="JOB", choices=[*BY_NAME, "all"],
                          help=f"run these jobs now and exit ({', '.join(BY_NAME)}, or all)")
    schedule.add_argument("--date", type=date.fromisoformat, metavar="YYYY-MM-DD",
                          help="with --once: the office day the digest and the escalation are for (default today), "
                               "e.g. a day a stopped scheduler missed")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse(argv)
    if args.command == "schedule":
        return scheduler(args)
    # With --every the reconciler is a service (run-local, compose): its environment only.
    settings = (load_settings if args.every is not None else load_operator_settings)(ReconcileSettings)
    configure_logging("reconcile", settings.log_level, settings.log_format)
    engine = make_engine(settings.database_url)
    require_head(engine, "intake")
    reconciler = Reconciler(IntakeRecords(engine), settings.due())
    if args.every is None:
        outcome = reconcile(reconciler, args.redrive)
        report(outcome)
        return 1 if outcome.overdue else 0
    serve_on_schedule(reconciler, settings, args)
    return 0


def serve_on_schedule(reconciler: Reconciler, settings: ReconcileSettings, args: argparse.Namespace) -> None:
    stop = threading.Event()
    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, lambda *_: stop.set())
    REGISTRY.register(OverdueCollector(reconciler))
    health = serve_health(settings.health_bind, {"database": lambda: database_answers(reconciler.records.engine)})
    log.info("reconcile.started", every_seconds=args.every, redrive=args.redrive,
             health_port=health.server_address[1])
    try:
        run_every(reconciler, args.every, args.redrive, stop)
    finally:
        health.shutdown()
        log.info("reconcile.stopped")


def scheduler(args: argparse.Namespace) -> int:
    settings = load_settings(ScheduleSettings)
    configure_logging("scheduler", settings.log_level, settings.log_format)
    settings.use_estimated_holidays()
    metrics = ScheduleMetrics()
    if args.once:
        return run_once(args.once, settings, metrics, args.date)
    return serve(settings, metrics)


if __name__ == "__main__":
    raise SystemExit(main())
