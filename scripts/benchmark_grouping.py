"""What finding a report's group costs as a unit's window fills: `python scripts/benchmark_grouping.py`.

The end-to-end benchmark starts every system on empty tables, so a step whose cost grows with the cases
already stored does not show there. Here, for each size N (`--cases`), a fresh routing database at head
holds N earlier cases of one unit within the grouping window, each with the fingerprint routing stores
(post URL, screenshot SHA-256, perceptual hash, NIP); then `--lookups` reports of new acts are matched
against them through `CaseRepository.find_group`, the routing worker's step, each in its own transaction.

Prints, per lookup, wall ms, routing's CPU ms (time.process_time) and PostgreSQL's (the backend's
/proc/<pid>/stat), and appends a JSON line to var/bench/grouping.jsonl (`--out`). Needs the loopback PostgreSQL
(`deploy/infra.sh`). Before timing, it checks that a resized copy of a stored screenshot is found.
"""
from __future__ import annotations

import argparse
import json
import random
import subprocess
import sys
import time
import uuid
from datetime import datetime, timedelta, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sqlalchemy import insert, text  # noqa: E402

from bench.cpu import own_seconds  # noqa: E402
from services.common.db import make_engine  # noqa: E402
from services.common.migrations import upgrade  # noqa: E402
from services.routing.grouping import NIP, PHASH, POST_URL, SHA256, GroupPolicy  # noqa: E402
from services.routing.repository import SqlCases, case_fingerprints, cases  # noqa: E402
from tests.support import servers  # noqa: E402

UNIT = "bkpsdm-3171"
POLICY = GroupPolicy(timedelta(days=30), phash_distance=6)


def fingerprint(rng: random.Random) -> list[tuple[str, str]]:
    n = rng.getrandbits(48)
    return [(POST_URL, f"https://facebook.com/asn{n}/posts/{n}"), (SHA256, f"{rng.getrandbits(256):064x}"),
            (PHASH, f"{rng.getrandbits(64):016x}"), (NIP, f"{rng.getrandbits(60) % 10**18:018d}")]


def fill(engine, count: int, rng: random.Random) -> str | None:
    """`count` earlier cases of the unit, spread over the window's last 29 days; the last one's phash."""
    now, keys = datetime.now(timezone.utc), []
    for start in range(0, count, 2000):
        rows, stored = [], []
        for _ in range(min(2000, count - start)):
            case_id, keys = str(uuid.uuid4()), fingerprint(rng)
            at = now - timedelta(minutes=rng.randrange(29 * 24 * 60))
            rows.append({"case_id": case_id, "complaint_id": case_id, "tracking_code": case_id[:12].upper(),
                         "primary_unit_id": UNIT, "dossier": {}, "group_id": case_id})
            stored += [{"case_id": case_id, "group_id": case_id, "unit_id": UNIT, "kind": kind, "value": value,
                        "at": at} for kind, value in keys]
        with engine.begin() as conn:
            conn.execute(insert(cases), rows)
            conn.execute(insert(case_fingerprints), stored)
    with engine.begin() as conn:
        conn.execute(text("ANALYZE"))
    return dict(keys)[PHASH] if count else None


def resized_copy_is_found(engine, phash: str, rng: random.Random) -> bool:
    """A report of a new post whose screenshot is a stored one's within 3 bits joins that case's group:
    the lookup being timed really matches."""
    keys = [(kind, f"{int(phash, 16) ^ 0b10101:016x}" if kind == PHASH else value) for kind, value in fingerprint(rng)]
    with SqlCases(engine).transaction() as repo:
        match = repo.find_group(UNIT, keys, datetime.now(timezone.utc) - POLICY.window, POLICY)
    return match is not None and match.matched_on == (PHASH,)


def measure(engine, lookups: int, rng: random.Random) -> dict:
    store = SqlCases(engine)
    with engine.connect() as conn:  # one lookup at a time: the pool hands out this same connection
        pid = conn.execute(text("SELECT pg_backend_pid()")).scalar_one()
    since = datetime.now(timezone.utc) - POLICY.window
    wall, cpu, pg, found = time.perf_counter(), time.process_time(), own_seconds(pid) * 1000, 0
    for _ in range(lookups):
        with store.transaction() as repo:
            found += repo.find_group(UNIT, fingerprint(rng), since, POLICY) is not None
    return {"wall_ms": (time.perf_counter() - wall) * 1000 / lookups,
            "routing_cpu_ms": (time.process_time() - cpu) * 1000 / lookups,
            "postgres_cpu_ms": (own_seconds(pid) * 1000 - pg) / lookups, "matched": found}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", default="0,300,3000,30000", help="earlier cases in the window, comma-separated")
    parser.add_argument("--lookups", type=int, default=200)
    parser.add_argument("--out", type=Path, default=ROOT / "var" / "bench" / "grouping.jsonl")
    args = parser.parse_args()
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True,
                            text=True).stdout.strip()
    result = {"at": datetime.now(timezone.utc).isoformat(), "commit": commit, "lookups": args.lookups, "sizes": {}}
    print("| earlier cases | wall ms | routing CPU ms | PostgreSQL CPU ms |\n|---|---|---|---|")
    for size in [int(n) for n in args.cases.split(",")]:
        name, url = servers.new_database()
        upgrade("routing", url)
        engine = make_engine(url)
        try:
            rng = random.Random(size)
            phash = fill(engine, size, rng)
            if phash and not resized_copy_is_found(engine, phash, rng):
                raise SystemExit(f"with {size} cases, a resized copy of a stored screenshot was not found")
            measure(engine, 10, rng)  # warm: the statement cache, the backend's catalogue
            row = measure(engine, args.lookups, rng)
        finally:
            engine.dispose()
            servers.drop_database(name)
        result["sizes"][size] = row
        print(f"| {size} | {row['wall_ms']:.2f} | {row['routing_cpu_ms']:.2f} | {row['postgres_cpu_ms']:.2f} |")
    args.out.parent.mkdir(parents=True, exist_ok=True)
    with args.out.open("a") as results:
        results.write(json.dumps(result) + "\n")


if __name__ == "__main__":
    main()
