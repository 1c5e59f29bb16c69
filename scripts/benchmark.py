"""Netra beside two Flask + Celery chains, in one run on the same servers: one doing Netra's work (locked
originals, a Pillow re-encode without metadata, a manifest, a timeline, one mail with the copies on Cc),
and a plain one that stages, copies, routes and mails (the price of the guarantees).

Each system is started afresh (its own RabbitMQ vhost and PostgreSQL databases; the run's own MinIO on an
empty data directory and the shared mailbox), warmed up, then sent the same load: N complaints with one incompressible PNG each, reporter left
out, from C client threads (closed loop) or at a fixed offered rate (--open-rate). For each it reports
complaints/s end to end (first submit to last unit email), submit→unit-email p50/p95/p99, HTTP 202 p50/p99
and CPU milliseconds per complaint of every process involved, servers included, from /proc. The raw MinIO
PUT/GET and RabbitMQ publish-confirm-consume rates are measured in the same run. Results are appended as
one JSON line to var/bench/results.jsonl and printed as Markdown tables. See bench/README.md.

    .venv/bin/python scripts/benchmark.py --complaints 300 --threads 8
    .venv/bin/python scripts/benchmark.py --complaints 300 --open-rate 10
    .venv/bin/python scripts/benchmark.py --complaints 300 --then-open-at-half
    .venv/bin/python scripts/benchmark.py --complaints 300 --systems netra --scale 1,2,4
"""
from __future__ import annotations

import argparse
import os
import sys
import time
from dataclasses import replace
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench import profile, raw, report  # noqa: E402
from bench.measure import Load, Servers, run  # noqa: E402
from bench.minio import fresh_minio  # noqa: E402
from bench.systems import start_chain, start_netra  # noqa: E402
from tests.support.servers import AMQP_BASE, BROKER_METRICS, MAILBOX_DIR, PG_ADMIN_URL  # noqa: E402


def parse(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--complaints", type=positive, default=300)
    parser.add_argument("--threads", type=positive, default=8, help="client threads of the closed loop")
    parser.add_argument("--open-rate", type=float, default=None,
                        help="offered complaints/s: open loop instead of closed loop")
    parser.add_argument("--then-open-at-half", action="store_true",
                        help="after each closed-loop run, an open-loop run offering half the rate it reached")
    parser.add_argument("--png-kib", type=positive, default=512, help="size of each complaint's PNG")
    parser.add_argument("--systems", default="netra,same,plain", type=systems_list,
                        help="which to run, comma-separated: netra, same (the same-work chain), plain (the plain chain)")
    parser.add_argument("--scale", default="1", type=scale_list,
                        help="Netra's processes per worker service, e.g. 1,2,4")
    parser.add_argument("--chain-concurrency", type=positive, default=4, help="the Celery worker's prefork processes")
    parser.add_argument("--raw", type=positive, default=100, help="PUTs, GETs and broker messages for the raw limits")
    parser.add_argument("--timeout", type=float, default=600, help="seconds to wait for the unit emails")
    parser.add_argument("--shared-minio", action="store_true",
                        help="use the running MinIO (NETRA_S3_ENDPOINT) instead of one of the run's own")
    parser.add_argument("--profile", type=Path, default=None, metavar="DIR",
                        help="py-spy every process during each closed-loop load; collapsed stacks and a summary "
                             "(profiles.md) go to DIR. Its CPU figures include py-spy's cost: do not compare them")
    parser.add_argument("--out", type=Path, default=ROOT / "var" / "bench" / "results.jsonl")
    return parser.parse_args(argv)


def positive(text: str) -> int:
    if not text.isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError("a whole number of 1 or more")
    return int(text)


def systems_list(text: str) -> list[str]:
    names = text.split(",")
    if not names or not set(names) <= {"netra", "same", "plain"}:
        raise argparse.ArgumentTypeError("any of netra, same, plain, comma-separated")
    return names


def scale_list(text: str) -> list[int]:
    try:
        counts = [int(n) for n in text.split(",")]
    except ValueError:
        counts = []
    if not counts or min(counts) < 1:
        raise argparse.ArgumentTypeError("process counts of 1 or more, comma-separated, e.g. 1,2,4")
    return counts


def main(argv: list[str] | None = None) -> dict:
    args = parse(argv)
    if args.shared_minio:
        return measure_all(args, None)
    with fresh_minio(ROOT / "var" / "bench" / f"minio-{os.getpid()}",
                     ROOT / "var" / "log" / f"bench-{os.getpid()}" / "minio.log") as endpoint:
        return measure_all(args, endpoint)


def measure_all(args: argparse.Namespace, s3_metrics: str | None) -> dict:
    """s3_metrics: the run's own MinIO, whose request counters are public; None for the shared one."""
    spec = Load(args.complaints, args.threads, args.png_kib * 1024, args.open_rate, args.timeout)
    shared = Servers(MAILBOX_DIR, PG_ADMIN_URL, int(os.environ.get("NETRA_SMTP_PORT", "1025")),
                     urlparse(os.environ.get("NETRA_S3_ENDPOINT", "http://127.0.0.1:9000")).port or 80,
                     urlparse(os.environ.get("NETRA_RATE_LIMIT_STORAGE_URL", "redis://127.0.0.1:6379")).port or 6379,
                     f"{BROKER_METRICS}/metrics", s3_metrics)
    limits = timed("raw limits", lambda: {**raw.store_rates(args.raw, spec.png_bytes),
                                          **raw.broker_rate(AMQP_BASE, args.raw * 10)})
    netra, chain = both_systems(args, spec, shared, ROOT / "var" / "log" / f"bench-{os.getpid()}")
    closed_netra = [record for record in netra if record["mode"] == spec.mode]
    scale = closed_netra if len(closed_netra) > 1 else []
    measured = netra + chain
    line = report.run_line({k: str(v) for k, v in vars(args).items()}, limits, measured, scale)
    report.append_jsonl(args.out, line)
    print(report.systems_table(measured), report.split_table(measured), report.work_table(measured),
          report.idle_table(measured), report.raw_table(limits, spec.png_bytes), sep="\n\n")
    if scale:
        print("\n" + report.scale_table(scale))
    print(f"\n(appended to {args.out}; {line['cpus']} CPUs, load average {line['load_average_1m']:.1f} at the end)")
    return line


def both_systems(args: argparse.Namespace, spec: Load, shared: Servers, log_dir: Path) -> tuple[list, list]:
    """Netra once per --scale value, then each chain, one after the other, each stopped before the next."""
    half = args.then_open_at_half and not args.open_rate
    around = profile.around_load(args.profile) if args.profile else None
    netra = []
    for n in args.scale if "netra" in args.systems else []:
        netra += measured(f"Netra ({n})", lambda n=n: start_netra(log_dir / f"netra-{n}", n), spec, shared, half,
                          around)
    chain = []
    for work in [w for w in ("same", "plain") if w in args.systems]:
        chain += measured(f"{work} chain", lambda work=work: start_chain(log_dir / f"chain-{work}",
                                                                          args.chain_concurrency, work),
                          spec, shared, half, around)
    return netra, chain


def measured(name: str, start, spec: Load, shared: Servers, then_open_at_half: bool, around=None) -> list[dict]:
    """The system measured under the load, and again, on the same instance, at half the rate it reached.
    around: the profiler, for the first (closed- or open-loop) load only."""
    system = timed(f"{name} start", start)
    try:
        first = (lambda: run(system, spec, shared, around)) if around else (lambda: run(system, spec, shared))
        records = [timed(f"{system.name} ({system.workers}) {spec.mode} loop", first)]
        if then_open_at_half and records[0]["complaints_per_s"]:
            half = replace(spec, open_rate=records[0]["complaints_per_s"] / 2)
            records.append(timed(f"{system.name} open loop", lambda: run(system, half, shared)))
        return records
    finally:
        timed(f"{system.name} stop", system.stop)


def timed(what: str, step):
    """Runs step(), saying on stderr how long it took: a run's progress, and where its time goes."""
    started = time.monotonic()
    result = step()
    print(f"bench: {what} took {time.monotonic() - started:.1f} s", file=sys.stderr, flush=True)
    return result


if __name__ == "__main__":
    main()
