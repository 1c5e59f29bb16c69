"""Starts each system afresh for a run, on the shared servers but in its own RabbitMQ vhost and its own
PostgreSQL databases, so both begin with empty queues and tables and nothing else reads their messages."""
from __future__ import annotations

import os
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import requests

from bench.celery_chain.config import remove_objects
from bench.raw import shared_s3, shared_s3_keys

from tests.support import servers
from tests.support import system as netra_system
from tests.support.system import ROOT, System, compose_commands, free_port

VENV_BIN = Path(sys.executable).parent
NETRA_DATABASES = {"intake": "intake", "intake-worker": "intake", "routing": "routing", "notify": "notify",
                   "desk": "desk", "desk-worker": "desk", "reconciler": "intake"}
# One gunicorn each (its own workers and threads are its scale); the reconciler's schedule needs one copy.
ONE_COPY = ("intake", "desk", "reconciler")


@dataclass
class Running:
    """One started system: where to send complaints, its processes' pids, and how to stop and clean up."""
    name: str
    url: str
    message_id_prefix: str  # of the mail to the primary unit
    roots: callable  # () -> {group name: [root pids]}
    databases: list[str]
    stop: callable
    workers: int = 1


def start_netra(log_dir: Path, processes_per_worker: int = 1) -> Running:
    """Netra as tests/support/system.py starts it (docker-compose's commands), with `processes_per_worker`
    processes of each consumer service (intake-worker, evidence, routing, notify) on the same queues."""
    vhost, amqp_url = servers.new_vhost()
    databases = {name: servers.new_database(owner=servers.DATABASE_OWNER) for name in set(NETRA_DATABASES.values())}
    bind = f"127.0.0.1:{free_port()}"
    env = {**os.environ, "NETRA_AMQP_URL": amqp_url, "NETRA_INTAKE_BIND": bind,
           "NETRA_PUBLIC_URL": f"http://{bind}", "NETRA_LOG_FORMAT": "json",
           "NETRA_DESK_BIND": f"127.0.0.1:{free_port()}"}
    for limit in ("NETRA_RATE_LIMIT_DEFAULT", "NETRA_RATE_LIMIT_PER_CLIENT", "NETRA_RATE_LIMIT_GLOBAL"):
        env.setdefault(limit, "100000/minute")  # every complaint comes from this one client
    log_dir.mkdir(parents=True, exist_ok=True)
    system = System(env, log_dir)

    def stop() -> None:
        for process in system.processes.values():  # all told at once, then each awaited
            if process.poll() is None:
                os.killpg(process.pid, 15)
        system.stop_all()
        servers.drop_vhost(vhost)
        for name, _ in databases.values():
            servers.drop_database(name)
    try:
        urls = {variable: databases[name][1] for name, variable in netra_system.MIGRATED.items()}
        system.run_one_shots(urls)
        start_netra_services(system, {svc: databases[db][1] for svc, db in NETRA_DATABASES.items()},
                             processes_per_worker)
    except Exception:
        stop()
        raise
    return Running("Netra", f"http://{bind}/api/v1/complaints", "<case-", lambda: netra_groups(system),
                   [name for name, _ in databases.values()], stop, processes_per_worker)


def start_netra_services(system: System, urls: dict[str, str], processes_per_worker: int) -> None:
    # The extra copies start once the first ones are ready: processes creating the same tables at the
    # same moment collide in PostgreSQL (a first-start race of the services, not a steady-state cost).
    for copy in range(processes_per_worker):
        for name, command in compose_commands().items():
            if copy == 0 or name not in ONE_COPY:
                database = {"NETRA_DATABASE_URL": urls[name]} if name in urls else None
                system.start(name if copy == 0 else f"{name}-{copy + 1}", command, database)
        system.wait_ready(120)


def netra_groups(system: System) -> dict[str, list[int]]:
    """Root pids by service: intake's gunicorn, and each worker service with all of its copies."""
    groups: dict[str, list[int]] = {}
    for name, process in system.processes.items():
        service = "gunicorn" if name == "intake" else name.rsplit("-", 1)[0] if name[-1].isdigit() else name
        groups.setdefault(service, []).append(process.pid)
    return groups


CHAIN_NAMES = {"plain": "Plain chain", "same": "Same-work chain"}


def start_chain(log_dir: Path, concurrency: int = 4, work: str = "plain") -> Running:
    """The Flask + Celery chain: gunicorn gthread 2 × 4 and one prefork worker of `concurrency` processes.
    `work`: "plain" stages, copies, routes and mails; "same" does Netra's work (celery_chain/same_work.py)."""
    vhost, amqp_url = servers.new_vhost()
    database, database_url = servers.new_database()
    bind = f"127.0.0.1:{free_port()}"
    log_dir.mkdir(parents=True, exist_ok=True)
    processes: dict[str, subprocess.Popen] = {}

    def stop() -> None:
        for process in processes.values():
            if process.poll() is None:
                os.killpg(process.pid, 15)
        for process in processes.values():
            stop_group(process)
        servers.drop_vhost(vhost)
        servers.drop_database(database)
        remove_objects(shared_s3(), vhost)
    try:
        env = {**chain_env(amqp_url, database_url, bind), "BENCH_CHAIN_KEY_PREFIX": vhost, "BENCH_CHAIN_WORK": work}
        processes.update(start_chain_processes(env, log_dir, concurrency))
        wait_http(f"http://{bind}/healthz", processes["gunicorn"], 60)
    except Exception:
        stop()
        raise
    return Running(CHAIN_NAMES[work], f"http://{bind}/complaints", "<chain-",
                   lambda: {name: [p.pid] for name, p in processes.items()}, [database], stop, concurrency)


def chain_env(amqp_url: str, database_url: str, bind: str) -> dict:
    return {**os.environ, "BENCH_CHAIN_AMQP_URL": amqp_url, "BENCH_CHAIN_DATABASE_URL": database_url,
            "BENCH_CHAIN_BIND": bind,
            "BENCH_CHAIN_S3_ENDPOINT": os.environ.get("NETRA_S3_ENDPOINT", "http://127.0.0.1:9000"),
            "BENCH_CHAIN_S3_ACCESS_KEY": shared_s3_keys()[0], "BENCH_CHAIN_S3_SECRET_KEY": shared_s3_keys()[1],
            "BENCH_CHAIN_SMTP_HOST": os.environ.get("NETRA_SMTP_HOST", "127.0.0.1"),
            "BENCH_CHAIN_SMTP_PORT": os.environ.get("NETRA_SMTP_PORT", "1025")}


def start_chain_processes(env: dict, log_dir: Path, concurrency: int) -> dict[str, subprocess.Popen]:
    subprocess.run([str(VENV_BIN / "python"), "-m", "bench.celery_chain.config"], env=env, cwd=ROOT,
                   check=True, timeout=60)
    web = spawn(log_dir / "chain-gunicorn.log", env, str(VENV_BIN / "gunicorn"), "-c",
                "bench/celery_chain/gunicorn.conf.py", "bench.celery_chain.app:create_app()")
    worker = spawn(log_dir / "chain-celery.log", env, str(VENV_BIN / "celery"), "-A", "bench.celery_chain.tasks",
                   "worker", "--pool", "prefork", "--concurrency", str(concurrency), "--loglevel", "WARNING",
                   "--without-gossip", "--without-mingle")
    return {"gunicorn": web, "celery": worker}


def spawn(log: Path, env: dict, *command: str) -> subprocess.Popen:
    with open(log, "ab") as out:
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
