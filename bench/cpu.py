"""CPU-seconds of every process involved, read from /proc/<pid>/stat (utime+stime) before and after a run.

A group is a set of root pids and their descendants. Each live process counts its own time plus the time
of the children it has reaped (cutime+cstime), so a worker child that exits during the run is still
counted, by its parent, and nothing is counted twice.
"""
from __future__ import annotations

import os
import subprocess
from collections import defaultdict
from pathlib import Path

import psycopg

TICKS = os.sysconf("SC_CLK_TCK")


def stat_fields(pid: int) -> list[str] | None:
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except (OSError, IndexError):
        return None


def own_seconds(pid: int) -> float | None:
    """utime+stime+cutime+cstime of one process, in seconds; None when it is gone."""
    fields = stat_fields(pid)
    if fields is None:
        return None
    # After the ")" of the name: state is field 0, utime 11, stime 12, cutime 13, cstime 14.
    return sum(int(fields[i]) for i in (11, 12, 13, 14)) / TICKS


def children_map() -> dict[int, list[int]]:
    children = defaultdict(list)
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit() and (fields := stat_fields(int(entry.name))):
            children[int(fields[1])].append(int(entry.name))
    return children


def tree(roots: list[int]) -> list[int]:
    children, found, todo = children_map(), [], list(roots)
    while todo:
        pid = todo.pop()
        found.append(pid)
        todo.extend(children.get(pid, []))
    return found


def pgrep(pattern: str) -> list[int]:
    out = subprocess.run(["pgrep", "-f", pattern], capture_output=True, text=True).stdout.split()
    return [int(pid) for pid in out if int(pid) != os.getpid()]


def server_roots(smtp_port: int, s3_port: int, redis_port: int) -> dict[str, list[int]]:
    """The shared servers' processes (not PostgreSQL: only the backends of our databases count there). Redis
    holds Netra's abuse-limit counters; the chains do not use it, so it counts for Netra only in effect."""
    minio = [p for p in pgrep("minio server") if f":{s3_port}" in Path(f"/proc/{p}/cmdline").read_text()]
    mailbox = [p for p in pgrep("mailbox.py") if f"{smtp_port}" in Path(f"/proc/{p}/cmdline").read_text()]
    redis = [p for p in pgrep("redis-server") if f":{redis_port}" in Path(f"/proc/{p}/cmdline").read_text()]
    return {"rabbitmq": pgrep(r"beam.smp.*rabbit"), "minio": minio, "mailbox": mailbox, "redis": redis}


def postgres_backends(admin_url: str, databases: list[str]) -> list[int]:
    with psycopg.connect(admin_url, autocommit=True) as conn:
        rows = conn.execute("SELECT pid FROM pg_stat_activity WHERE datname = ANY(%s)", (databases,)).fetchall()
    return [pid for (pid,) in rows]


class Meter:
    """Snapshots of per-group CPU seconds. `groups` maps a name to a callable returning its root pids;
    with tree=False only those pids count (PostgreSQL backends, not the shared postmaster)."""

    def __init__(self, groups: dict[str, tuple[callable, bool]]):
        self.groups = groups

    def snapshot(self) -> dict[str, dict[int, float]]:
        taken = {}
        for name, (roots, with_tree) in self.groups.items():
            pids = tree(roots()) if with_tree else roots()
            taken[name] = {pid: s for pid in pids if (s := own_seconds(pid)) is not None}
        return taken


def spent(before: dict[str, dict[int, float]], after: dict[str, dict[int, float]]) -> dict[str, float]:
    """CPU seconds per group between two snapshots: a process gone by `after` keeps its last reading,
    one born since `before` counts from zero."""
    result = {}
    for name in after:
        old, new = before.get(name, {}), after[name]
        result[name] = sum(new.get(pid, old.get(pid, 0.0)) - old.get(pid, 0.0) for pid in {*old, *new})
    return result
