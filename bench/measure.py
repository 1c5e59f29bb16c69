"""One measured run of one system: warm up, snapshot CPU, send the load, wait for every unit email,
snapshot CPU again, and reduce it all to the numbers the report prints."""
from __future__ import annotations

import time
from contextlib import nullcontext
from dataclasses import dataclass
from pathlib import Path

from . import cpu, load
from .work import Counts
from .systems import Running

SETTLE_SECONDS = 1.0  # after the last unit email: trailing work (status timeline, bookkeeping) is counted
IDLE_SECONDS = 5.0  # before the load, nothing flowing: the background work (/proc counts 10 ms ticks: 2 ms/s)


@dataclass(frozen=True)
class Load:
    complaints: int
    threads: int
    png_bytes: int
    open_rate: float | None = None  # complaints/s offered; None: closed loop
    timeout: float = 600

    @property
    def mode(self) -> str:
        return "open" if self.open_rate else "closed"

    def send(self, url: str, n: int | None = None) -> list[load.Sent]:
        n = n or self.complaints
        if self.open_rate:
            return load.open_loop(url, n, self.open_rate, self.png_bytes)
        return load.closed_loop(url, n, self.threads, self.png_bytes)


@dataclass(frozen=True)
class Servers:
    mailbox: Path
    pg_admin_url: str
    smtp_port: int
    s3_port: int
    redis_port: int  # the abuse-limit counters' store
    broker_metrics: str  # RabbitMQ's Prometheus page
    s3_metrics: str | None = None  # the endpoint of a MinIO whose request counters are public; None: not counted


def meter_for(system: Running, shared: Servers) -> cpu.Meter:
    groups = {name: (lambda name=name: system.roots()[name], True) for name in system.roots()}
    for name in ("rabbitmq", "minio", "mailbox", "redis"):
        groups[name] = (lambda name=name: cpu.server_roots(shared.smtp_port, shared.s3_port, shared.redis_port)[name],
                        True)
    groups["postgres"] = (lambda: cpu.postgres_backends(shared.pg_admin_url, system.databases), False)
    return cpu.Meter(groups)


def run(system: Running, spec: Load, shared: Servers, around_load=lambda system: nullcontext()) -> dict:
    """around_load(system): a context the load runs in (the profiler, when asked for)."""
    warm_up(system, spec, shared)
    meter = meter_for(system, shared)
    idle = idle_cpu(meter)
    counts = Counts(shared.s3_metrics, shared.broker_metrics, shared.pg_admin_url, system.databases, shared.mailbox)
    watch = load.MailWatch(shared.mailbox, system.message_id_prefix)
    with around_load(system):
        before, counted = meter.snapshot(), counts.snapshot()
        sent = spec.send(system.url)
        codes = {s.tracking_code for s in sent if s.tracking_code}
        watch.wait_for(codes, spec.timeout)
        time.sleep(SETTLE_SECONDS)
        spent = cpu.spent(before, meter.snapshot())
    watch.poll()  # a second mail for the same complaint that came while the work settled counts too
    arrived = {c: watch.arrived[c] for c in codes if c in watch.arrived}
    work = counts.per_complaint(counted, counts.after(), len(arrived))
    return summary(system, spec, sent, arrived, spent, idle, work)


def idle_cpu(meter: cpu.Meter, seconds: float = IDLE_SECONDS) -> dict[str, float]:
    """CPU ms per second of every group with nothing flowing, once the warm-up's trailing work settled.
    It is in the load's figures too; at a lower rate each complaint carries more of it."""
    time.sleep(SETTLE_SECONDS)
    before = meter.snapshot()
    time.sleep(seconds)
    return {name: round(spent * 1000 / seconds, 1) for name, spent in cpu.spent(before, meter.snapshot()).items()}


def warm_up(system: Running, spec: Load, shared: Servers) -> None:
    """A few complaints through every step first: connections open, imports done, pools filled."""
    watch = load.MailWatch(shared.mailbox, system.message_id_prefix)
    sent = load.closed_loop(system.url, max(2, spec.threads), spec.threads, spec.png_bytes)
    codes = {s.tracking_code for s in sent if s.tracking_code}
    watch.wait_for(codes, 120)
    if len(codes) < len(sent) or not codes <= watch.arrived.keys():
        raise RuntimeError(f"{system.name}: warm-up complaints did not all reach the mailbox")


def summary(system: Running, spec: Load, sent: list[load.Sent], arrived: dict[str, list[float]],
            spent: dict[str, float], idle: dict[str, float] | None = None, work: dict | None = None) -> dict:
    accepted = [s for s in sent if s.tracking_code]
    delivered = [s for s in accepted if s.tracking_code in arrived]
    e2e = sorted(arrived[s.tracking_code][0] - s.started for s in delivered)
    http = sorted(s.answered - s.started for s in accepted)
    window = (max(arrived[s.tracking_code][0] for s in delivered) - min(s.started for s in sent)) if delivered else 0
    per = 1000 / max(1, len(delivered))
    cpu_ms = {name: round(seconds * per, 1) for name, seconds in sorted(spent.items(), key=lambda kv: -kv[1])}
    return {
        "system": system.name, "processes_per_worker": system.workers,
        "mode": spec.mode, "offered_rate": spec.open_rate and round(spec.open_rate, 2),
        "threads": None if spec.open_rate else spec.threads, "png_bytes": spec.png_bytes,
        "complaints": len(sent), "accepted": len(accepted), "delivered": len(delivered),
        "duplicates": sum(len(arrived[s.tracking_code]) - 1 for s in delivered),
        "complaints_per_s": round(len(delivered) / window, 2) if window else 0.0,
        "e2e_ms": {f"p{p}": ms(e2e, p) for p in (50, 95, 99)} | {"max": ms(e2e, 100)},
        "http_202_ms": {f"p{p}": ms(http, p) for p in (50, 99)},
        "cpu_ms_per_complaint": cpu_ms | {"total": round(sum(spent.values()) * per, 1)},
        "idle_cpu_ms_per_s": idle and dict(sorted(idle.items(), key=lambda kv: -kv[1])) | {
            "total": round(sum(idle.values()), 1)},
        "work_per_complaint": work,
        "tracking_codes": sorted(s.tracking_code for s in accepted),
    }


def ms(values: list[float], p: float) -> float | None:
    if not values:
        return None
    return round(1000 * values[min(len(values) - 1, round(p / 100 * (len(values) - 1)))], 1)
