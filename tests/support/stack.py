"""docker-compose.yml run for real by the container test: the compose and docker commands, Mailpit's API,
and what a container shows from inside (its metrics, its files)."""
from __future__ import annotations

import json
import os
import subprocess
import time

import requests

from services.reference.files import UNITS_FILE
from tests.support.system import ROOT

PROJECT = "netra-containers-test"
DOCKER = "/usr/bin/docker"  # Debian's client, as deploy/containers.sh uses
FILES = ("docker-compose.yml", "deploy/compose.local-images.yml", "tests/containers/compose.test.yml")
# Published ports of the test's stack (docker-compose.yml's defaults are taken by the local run).
PORTS = {"NETRA_INTAKE_PORT": 28080, "NETRA_DESK_PORT": 28090, "NETRA_MAILPIT_PORT": 28025,
         "NETRA_RABBITMQ_CONSOLE_PORT": 28672, "NETRA_MINIO_CONSOLE_PORT": 29001}
# Production: every development default refused; the https addresses a TLS proxy in front would serve.
# Production routes to no placeholder address: the stack's units directory is the shipped one with every
# *.invalid address made a mailbox Mailpit catches (write_routing_data), mounted as an operator's would be.
ROUTING_DATA = ROOT / "var" / "container-routing-data"
ENVIRONMENT = {"NETRA_ENV": "production", "NETRA_PUBLIC_URL": "https://netra.localhost",
               "NETRA_DESK_URL": "https://desk.netra.localhost", "NETRA_UNITS_YAML": str(ROUTING_DATA / "units.yaml"),
               "NETRA_RULES_YAML": str(ROUTING_DATA / "rules.yaml"),
               **{k: str(v) for k, v in PORTS.items()}}
INTAKE = f"http://127.0.0.1:{PORTS['NETRA_INTAKE_PORT']}"
DESK = f"http://127.0.0.1:{PORTS['NETRA_DESK_PORT']}"
MAILPIT = f"http://127.0.0.1:{PORTS['NETRA_MAILPIT_PORT']}"
ONE_SHOTS = ("migrate", "topology", "provision")
MEASURED = ROOT / "var" / "log" / "container-test.json"  # what the container test measured, one JSON line each


def run(*command: str, timeout: float = 300, check: bool = True) -> str:
    result = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=timeout,
                            env={**os.environ, **ENVIRONMENT})
    if check and result.returncode:
        raise AssertionError(f"{' '.join(command)} failed ({result.returncode}):\n{result.stdout}\n{result.stderr}")
    return result.stdout


def compose(*args: str, timeout: float = 300) -> str:
    files = [part for name in FILES for part in ("-f", name)]
    return run("docker-compose", "-p", PROJECT, *files, *args, timeout=timeout)


def docker(*args: str, timeout: float = 120, check: bool = True) -> str:
    return run(DOCKER, *args, timeout=timeout, check=check)


def containers(service: str | None = None, everything: bool = False) -> list[dict]:
    """`docker inspect` of the project's containers (running ones unless `everything`), one service's or all."""
    filters = ["--filter", f"label=com.docker.compose.project={PROJECT}"]
    if service:
        filters += ["--filter", f"label=com.docker.compose.service={service}"]
    ids = docker("ps", "-q", *(["-a"] if everything else []), *filters).split()
    return json.loads(docker("inspect", *ids)) if ids else []


def inspect(container_id: str) -> dict:
    return json.loads(docker("inspect", container_id))[0]


def service_of(container: dict) -> str:
    return container["Config"]["Labels"]["com.docker.compose.service"]


def in_container(container: dict, code: str) -> str:
    """Python run inside the container, as its own user; its standard output."""
    return docker("exec", container["Id"], "python", "-c", code)


def handled(container: dict) -> dict[str, float]:
    """netra_messages_handled_total per queue, from the worker's own /metrics (its health port, 8081)."""
    text = in_container(container, "import urllib.request; print(urllib.request.urlopen("
                                    "'http://127.0.0.1:8081/metrics', timeout=5).read().decode())")
    counts: dict[str, float] = {}
    for line in text.splitlines():
        if line.startswith("netra_messages_handled_total{"):
            queue = line.split('queue="', 1)[1].split('"', 1)[0]
            counts[queue] = counts.get(queue, 0) + float(line.rsplit(" ", 1)[1])
    return counts


def mail_subjects() -> list[str]:
    answer = requests.get(f"{MAILPIT}/api/v1/messages", params={"limit": 5000}, timeout=10)
    answer.raise_for_status()
    return [message["Subject"] for message in answer.json()["messages"]]


def unit_mails(code: str, subjects: list[str]) -> int:
    """Mails to the unit that must act on the case (copies to other units say "Tembusan")."""
    return sum(subject.startswith(f"[Netra] Pengaduan netralitas ASN {code} ") for subject in subjects)


def wait_healthy(timeout: float = 180) -> list[dict]:
    """Every long-running container healthy; fails naming the ones that are not."""
    deadline = time.monotonic() + timeout
    while True:
        running = [c for c in containers() if service_of(c) not in ONE_SHOTS]
        sick = [f"{c['Name']}: {c['State'].get('Health', {}).get('Status')}" for c in running
                if c["State"].get("Health", {}).get("Status") != "healthy"]
        if running and not sick:
            return running
        if time.monotonic() > deadline:
            raise AssertionError(f"not healthy after {timeout}s: {sick}\n{compose('logs', '--tail=30')}")
        time.sleep(2)


def record(what: str, value) -> None:
    MEASURED.parent.mkdir(parents=True, exist_ok=True)
    with MEASURED.open("a", encoding="utf-8") as out:
        out.write(json.dumps({"at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()), what: value}) + "\n")


def write_routing_data() -> None:
    """The shipped rules, and the shipped units with real-looking addresses (unit.netra.test)."""
    ROUTING_DATA.mkdir(parents=True, exist_ok=True)
    rules = (ROOT / "services" / "routing" / "data" / "rules.yaml").read_text(encoding="utf-8")
    (ROUTING_DATA / "rules.yaml").write_text(rules, encoding="utf-8")
    units = UNITS_FILE.read_text(encoding="utf-8").replace("@unit.netra.invalid", "@unit.netra.test")
    (ROUTING_DATA / "units.yaml").write_text(units, encoding="utf-8")
