"""The run's results: one JSON line appended to var/bench/results.jsonl, and Markdown tables for the README."""
from __future__ import annotations

import json
import os
from datetime import datetime, timezone
from pathlib import Path

# The servers both systems share: their CPU is the work a system's design asks of them (object requests,
# broker deliveries, transactions, mails); whatever is left is the system's own processes.
SERVERS = ("minio", "rabbitmq", "postgres", "mailbox", "redis")


def append_jsonl(path: Path, line: dict) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("a") as out:
        out.write(json.dumps(line, sort_keys=True) + "\n")


def run_line(args: dict, raw: dict, systems: list[dict], scale: list[dict]) -> dict:
    return {"at": datetime.now(timezone.utc).isoformat(timespec="seconds"), "cpus": os.cpu_count(),
            "load_average_1m": os.getloadavg()[0], "args": args, "raw": raw, "systems": systems, "scale": scale}


def table(columns: list[str], systems: list[dict], row) -> str:
    """A Markdown table whose rows start with the system, its processes per worker and its load; `row(s)`
    gives the rest of a system's row, or None to leave that system out."""
    lines = ["| " + " | ".join(["system", "processes per worker", "load", *columns]) + " |",
             "|" + "---|" * (len(columns) + 3)]
    lines += [f"| {s['system']} | {s['processes_per_worker']} | {load_words(s)} | {rest} |"
              for s in systems if (rest := row(s)) is not None]
    return "\n".join(lines)


def systems_table(systems: list[dict]) -> str:
    def row(s):
        e2e, http, cpu = s["e2e_ms"], s["http_202_ms"], s["cpu_ms_per_complaint"]
        return (f"{s['complaints_per_s']:.1f} | {e2e['p50']} / {e2e['p95']} / {e2e['p99']} "
                f"| {http['p50']} / {http['p99']} | {cpu['total']:g}: {largest_first(cpu)} "
                f"| {s['delivered']} / {s['accepted']}")
    return table(["complaints/s", "submit→unit email p50 / p95 / p99 ms", "HTTP 202 p50 / p99 ms",
                  "CPU per complaint (ms, all processes)", "delivered / accepted"], systems, row)


def split_table(systems: list[dict]) -> str:
    """Each complaint's CPU split between the shared servers and the system's own processes. The servers'
    part is set by how much a design asks of them, so it bounds what tuning the system's own code can reach."""
    def row(s):
        cpu = s["cpu_ms_per_complaint"]
        servers = round(sum(cpu.get(name, 0.0) for name in SERVERS), 1)
        return f"{servers:g} | {round(cpu['total'] - servers, 1):g} | {cpu['total']:g}"
    return table(["servers (MinIO, RabbitMQ, PostgreSQL, mailbox, Redis), ms per complaint",
                  "own processes, ms per complaint", "all, ms per complaint"], systems, row)


def work_table(systems: list[dict]) -> str:
    """What each complaint asked of the servers, as they counted it: MinIO requests (by API), broker messages
    published and delivered, PostgreSQL transactions of the system's databases, mails."""
    def row(s):
        work = s.get("work_per_complaint")
        if not work:
            return None
        minio = work["minio_requests"]
        requests = "not counted" if minio is None else f"{minio['total']:g}: {largest_first(minio)}"
        return (f"{requests} | {work['broker_published']:g} / {work['broker_delivered']:g} "
                f"| {work['pg_transactions']:g} | {work['mails']:g}")
    return table(["MinIO requests", "RabbitMQ published / delivered", "PostgreSQL transactions", "mails"],
                 systems, row)


def largest_first(values: dict[str, float]) -> str:
    """"name value" of each part above zero, largest first, the total left out."""
    return ", ".join(f"{name} {value:g}" for name, value in sorted(values.items(), key=lambda kv: -kv[1])
                     if name != "total" and value)


def load_words(system: dict) -> str:
    if system["mode"] == "open":
        return f"open, {system['offered_rate']:g}/s offered"
    return f"closed, {system['threads']} threads"


def idle_table(systems: list[dict]) -> str:
    """What each system's processes spent with nothing flowing, measured just before its load, and what that
    comes to per complaint at the rate the load then reached: the same background runs under load, so about
    that much of the CPU per complaint is not the complaints' own work."""
    def row(s):
        idle = s.get("idle_cpu_ms_per_s")
        if not idle:
            return None
        share = round(idle["total"] / s["complaints_per_s"], 1) if s["complaints_per_s"] else None
        return f"{idle['total']:g}: {largest_first(idle)} | {share}"
    return table(["idle CPU before the load, ms per second", "of it per complaint at the rate reached, ms"],
                 systems, row)


def raw_table(raw: dict, png_bytes: int) -> str:
    kib = png_bytes // 1024
    return "\n".join([
        "| raw limit (same run) | rate |", "|---|---|",
        f"| MinIO PUT, {kib} KiB | {raw['minio_put_per_s']:.0f}/s |",
        f"| MinIO GET, {kib} KiB | {raw['minio_get_per_s']:.0f}/s |",
        f"| RabbitMQ publish, one confirm each (quorum queue, persistent) "
        f"| {raw['broker_publish_confirm_per_s']:.0f}/s |",
        f"| RabbitMQ publish-confirm-consume | {raw['broker_publish_confirm_consume_per_s']:.0f}/s |",
    ])


def scale_table(scale: list[dict]) -> str:
    rows = ["| Netra processes per worker service | complaints/s | p99 submit→unit email ms | CPU ms per complaint |",
            "|---|---|---|---|"]
    rows += [f"| {s['processes_per_worker']} | {s['complaints_per_s']:.1f} | {s['e2e_ms']['p99']} "
             f"| {s['cpu_ms_per_complaint']['total']:g} |" for s in scale]
    return "\n".join(rows)
