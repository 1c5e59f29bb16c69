"""Starts each system afresh for a run, on the shared servers but in its own RabbitMQ vhost and its own
PostgreSQL databases, so both begin with empty queues and tables and nothing else reads their messages."""
from __future__ import annotations

import os
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import requests

from tests.support import servers
from tests.support.system import ROOT, System, compose_commands, free_port

VENV_BIN = Path(sys.executable).parent
NETRA_DATABASES = ("intake", "routing", "notify")


@dataclass
class Running:
    """One started system: where to send complaints, its processes' pids, and what to clean up."""
    name: str
    url: str
    message_id_prefix: str
    roots: callable  # () -> {group name: [root pids]}
    databases: list[str]
    stop: callable
    workers: int = 1
    extra: dict = field(default_factory=dict)


def start_netra(log_dir: Path, processes_per_worker: int = 1) -> Running:
    """Netra as tests/support/system.py starts it (docker-compose's commands), with `processes_per_worker`
    processes of each consumer service (intake-worker, evidence, routing, notify) on the same queues."""
    vhost, amqp_url = servers.new_vhost()
    databases = {name: servers.new_database() for name in NETRA_DATABASES}
    bind = f"127.0.0.1:{free_port()}"
    env = {**os.environ, "NETRA_AMQP_URL": amqp_url, "NETRA_INTAKE_BIND": bind, "NETRA_PUBLIC_URL": f"http://{bind}",
           "NETRA_LOG_FORMAT": "json"}
    urls = {"intake": databases["intake"][1], "intake-worker": databases["intake"][1],
            "routing": databases["routing"][1], "notify": databases["notify"][1]}
    log_dir.mkdir(parents=True, exist_ok=True)
    system = System(env, log_dir)

    def stop() -> None:
        system.stop_all()
        servers.drop_vhost(vhost)
        for name, _ in databases.values():
            servers.drop_database(name)
    try:
        system.run_once(str(VENV_BIN / "python"), "-m", "services.topology")
        # The extra copies start once the first ones are ready: processes creating the same tables at the
        # same moment collide in PostgreSQL (a first-start race of the services, not a steady-state cost).
        for copy in range(processes_per_worker):
            for name, command in compose_commands().items():
                if copy == 0 or name != "intake":
                    database = {"NETRA_DATABASE_URL": urls[name]} if name in urls else None
                    system.start(name if copy == 0 else f"{name}-{copy + 1}", command, database)
            system.wait_ready(120)
    except Exception:
        stop()
        raise

    def roots() -> dict[str, list[int]]:
        groups: dict[str, list[int]] = {}
        for name, process in system.processes.items():
            service = "gunicorn" if name == "intake" else name.rsplit("-", 1)[0] if name[-1].isdigit() else name
            groups.setdefault(service, []).append(process.pid)
        return groups
    return Running("Netra", f"http://{bind}/api/v1/complaints", "<case-", roots,
                   [name for name, _ in databases.values()], stop, processes_per_worker)


def start_chain(log_dir: Path, concurrency: int = 4) -> Running:
    """The Flask + Celery chain: gunicorn gthread 2 × 4 and one prefork worker of `concurrency` processes."""
    vhost, amqp_url = servers.new_vhost()
    database, database_url = servers.new_database()
    bind = f"127.0.0.1:{free_port()}"
    env = {**os.environ, "BENCH_CHAIN_AMQP_URL": amqp_url, "BENCH_CHAIN_DATABASE_URL": database_url,
           "BENCH_CHAIN_BIND": bind, "BENCH_CHAIN_S3_ENDPOINT": os.environ.get("NETRA_S3_ENDPOINT", "http://127.0.0.1:9000"),
           "BENCH_CHAIN_SMTP_PORT": os.environ.get("NETRA_SMTP_PORT", "1025")}
    log_dir.mkdir(parents=True, exist_ok=True)
    processes: dict[str, subprocess.Popen] = {}

    def stop() -> None:
        for process in processes.values():
            stop_group(process)
        servers.drop_vhost(vhost)
        servers.drop_database(database)
    try:
        subprocess.run([str(VENV_BIN / "python"), "-m", "bench.celery_chain.config"], env=env, cwd=ROOT,
                       check=True, timeout=60)
        processes["gunicorn"] = spawn(log_dir / "chain-gunicorn.log", env, str(VENV_BIN / "gunicorn"), "-c",
                                      "bench/celery_chain/gunicorn.conf.py", "bench.celery_chain.app:create_app()")
        processes["celery"] = spawn(log_dir / "chain-celery.log", env, str(VENV_BIN / "celery"), "-A",
                                    "bench.celery_chain.tasks", "worker", "--pool", "prefork", "--concurrency",
                                    str(concurrency), "--loglevel", "WARNING", "--without-gossip", "--without-mingle")
        wait_http(f"http://{bind}/healthz", processes["gunicorn"], 60)
    except Exception:
        stop()
        raise
    return Running("Celery chain", f"http://{bind}/complaints", "<chain-",
                   lambda: {name: [p.pid] for name, p in processes.items()}, [database], stop, concurrency)


def spawn(log: Path, env: dict, *command: str) -> subprocess.Popen:
    out = open(log, "ab")
    return subprocess.Popen(list(command), env=env, cwd=ROOT, stdout=out, stderr=out, start_new_session=True)


def stop_group(process: subprocess.Popen, timeout: float = 30) -> None:
    if process.poll() is None:
        os.killpg(process.pid, 15)
    try:
        process.wait(timeout)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, 9)
        process.wait()


def wait_http(url: str, process: subprocess.Popen, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{url}: the process exited")
        try:
            if requests.get(url, timeout=1).ok:
                return
        except requests.RequestException:
            pass
        time.sleep(0.2)
    raise RuntimeError(f"{url} not answering after {timeout}s")
