"""Starts the Netra services as separate processes, the way docker-compose does, against real servers."""
from __future__ import annotations

import os
import random
import secrets
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parents[2]
VENV_BIN = Path(sys.executable).parent


def _ephemeral_low() -> int:
    try:
        return int(Path("/proc/sys/net/ipv4/ip_local_port_range").read_text().split()[0])
    except (OSError, ValueError, IndexError):
        return 32768


# Just below the kernel's ephemeral range: a port the kernel hands out (port 0) can be taken by any outgoing
# connection between the probe and the server's bind, and a busy run has thousands of those (a service once
# died with "Address already in use" on its health port that way). Clear of the ports the broker cluster
# script uses (5681-5683, +10000, +20000). Where the ephemeral range starts too low, the kernel picks.
_LOW = _ephemeral_low()
_PORTS = range(_LOW - 2700, _LOW) if _LOW >= 27000 else None
_handed_out: set[int] = set()


def free_port() -> int:
    """A port nothing listens on now, outside the ephemeral range, not handed out again for a long while."""
    if _PORTS and len(_handed_out) > len(_PORTS) // 2:
        _handed_out.clear()  # the servers those went to have long stopped
    while True:
        with socket.socket() as sock:
            try:
                sock.bind(("127.0.0.1", random.choice(_PORTS) if _PORTS else 0))
            except OSError:
                continue
            port = sock.getsockname()[1]
        if port not in _handed_out:
            _handed_out.add(port)
            return port


ONE_SHOT = ("provision", "topology", "migrate")  # run once before the services, as compose's depends_on does
# The compose service whose database each of the migrate step's NETRA_<SERVICE>_DATABASE_URL names.
MIGRATED = {"intake": "NETRA_INTAKE_DATABASE_URL", "routing": "NETRA_ROUTING_DATABASE_URL",
            "notify": "NETRA_NOTIFY_DATABASE_URL", "desk": "NETRA_DESK_DATABASE_URL"}


def compose_commands() -> dict[str, list[str]]:
    """The command of each Netra service in docker-compose.yml: the local run starts the same ones."""
    import yaml
    services = yaml.safe_load((ROOT / "docker-compose.yml").read_text())["services"]
    # A one-shot (restart: "no", e.g. migrate) runs before the services, never beside them.
    return {name: spec["command"] for name, spec in services.items()
            if spec.get("image") == "netra:latest" and name not in ONE_SHOT and spec.get("restart") != "no"}


@dataclass
class System:
    env: dict
    log_dir: Path
    processes: dict[str, subprocess.Popen] = field(default_factory=dict)
    health: dict[str, str] = field(default_factory=dict)
    commands: dict[str, tuple[list[str], dict]] = field(default_factory=dict)
    restarts: int = 0

    def __post_init__(self):
        # The abuse counters of this system's processes, apart from any other's in the shared Redis: a day key
        # from another secret names other counters (as the system's vhost keeps its queues apart).
        self.env.setdefault("NETRA_RATE_LIMIT_SECRET", secrets.token_hex(32))

    @property
    def desk(self) -> str:
        return f"http://{self.env['NETRA_DESK_BIND']}/desk"

    @property
    def api(self) -> str:
        return f"http://{self.env['NETRA_INTAKE_BIND']}/api/v1"

    def run_one_shots(self, migrate_env: dict) -> None:
        """provision, topology and migrate at once, as compose starts them (each waits only for its server)."""
        with open(self.log_dir / "topology.log", "ab") as log:
            running = {step: subprocess.Popen([str(VENV_BIN / "python"), "-m", f"services.{step}"], cwd=ROOT,
                                              env={**self.env, **(migrate_env if step == "migrate" else {})},
                                              stdout=subprocess.DEVNULL, stderr=log)
                       for step in ONE_SHOT}
            for step, process in running.items():
                if process.wait(120) != 0:
                    raise subprocess.CalledProcessError(process.returncode, f"services.{step}")

    def start(self, name: str, command: list[str], extra_env: dict | None = None) -> None:
        self.commands[name] = (command, dict(extra_env or {}))
        health_port = free_port()
        env = {**self.env, "NETRA_HEALTH_BIND": f"127.0.0.1:{health_port}", **(extra_env or {})}
        executable = str(VENV_BIN / command[0]) if (VENV_BIN / command[0]).exists() else command[0]
        log = open(self.log_dir / f"{name}.log", "ab")
        self.processes[name] = subprocess.Popen([executable, *command[1:]], env=env, cwd=ROOT,
                                                stdout=log, stderr=log, start_new_session=True)
        web_bind = {"intake": "NETRA_INTAKE_BIND", "desk": "NETRA_DESK_BIND"}.get(name)
        self.health[name] = (f"http://{env[web_bind]}/readyz" if web_bind
                             else f"http://127.0.0.1:{health_port}/readyz")

    def wait_ready(self, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        pending = dict(self.health)
        while pending and time.monotonic() < deadline:
            for name, url in list(pending.items()):
                if self.processes[name].poll() is not None:
                    raise RuntimeError(f"{name} exited; see {self.log_dir / (name + '.log')}")
                try:
                    if requests.get(url, timeout=1).status_code == 200:
                        pending.pop(name)
                except requests.RequestException:
                    pass
            time.sleep(0.2)
        if pending:
            raise RuntimeError(f"not ready after {timeout}s: {sorted(pending)}")

    def stop(self, name: str, sig: int = signal.SIGTERM, timeout: float = 30) -> int:
        process = self.processes.pop(name)
        if process.poll() is None:
            os.killpg(process.pid, sig)
        try:
            return process.wait(timeout)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            return process.wait()

    def kill(self, name: str) -> None:
        """SIGKILL to the service and its children, left dead for revive_dead() to find."""
        try:
            os.killpg(self.processes[name].pid, signal.SIGKILL)
        except ProcessLookupError:
            pass  # died already

    def stop_all(self) -> None:
        for name in list(self.processes):
            self.stop(name)

    def restart(self, name: str, **env_changes) -> None:
        """Starts a stopped or dead service again with its command; NETRA_FAULT_KILL is not carried over."""
        command, extra_env = self.commands[name]
        extra_env = {k: v for k, v in {**extra_env, **env_changes}.items() if v is not None}
        extra_env["NETRA_FAULT_KILL"] = ""
        if name in self.processes:
            self.stop(name)
        self.start(name, command, extra_env)

    def dead(self) -> list[str]:
        return [name for name, process in list(self.processes.items()) if process.poll() is not None]

    def revive_dead(self) -> list[str]:
        """What a container's restart policy does: start again every service that died."""
        dead = self.dead()
        for name in dead:
            self.restart(name)
            self.restarts += 1
        return dead


def own_store_user(name: str, env: dict) -> dict:
    """As in compose: intake signs in to the object store as its own user, which may only put originals."""
    if name != "intake":
        return {}
    return {"NETRA_S3_ACCESS_KEY": env.get("NETRA_S3_INTAKE_ACCESS_KEY", "netra-intake"),
            "NETRA_S3_SECRET_KEY": env.get("NETRA_S3_INTAKE_SECRET_KEY", "netra-intake-secret")}


def start_system(env: dict, log_dir: Path, databases: dict[str, str]) -> System:
    """databases: each service's own database URL (servers.throwaway), by compose service name. As in
    compose, migrate signs in as the tables' owner and grants the services' role, which the services use."""
    from .servers import DATABASE_OWNER, DATABASE_SERVICE_ROLE, signed_in_as  # servers imports this module
    log_dir.mkdir(parents=True, exist_ok=True)
    env.setdefault("NETRA_DESK_BIND", f"127.0.0.1:{free_port()}")
    system = System(env, log_dir)
    urls = {variable: signed_in_as(databases[name], DATABASE_OWNER)
            for name, variable in MIGRATED.items() if name in databases}
    system.run_one_shots({**urls, "NETRA_DATABASE_SERVICE_ROLE": DATABASE_SERVICE_ROLE})
    for name, command in compose_commands().items():
        database = databases.get(name)
        extra = {"NETRA_DATABASE_URL": signed_in_as(database, DATABASE_SERVICE_ROLE)} if database else {}
        if name == "scheduler":  # as in compose: the databases its jobs work on, one variable each
            extra = {MIGRATED[job]: signed_in_as(databases[job], DATABASE_SERVICE_ROLE)
                     for job in ("intake", "notify", "desk") if job in databases}
        system.start(name, command, {**extra, **own_store_user(name, env)} or None)
    try:
        system.wait_ready()
    except BaseException:
        system.stop_all()  # nobody else holds them yet: services that did not come up must not outlive the test
        raise
    return system
