"""Throwaway corners of the real servers: a RabbitMQ vhost, a PostgreSQL database, a mailbox reader."""
from __future__ import annotations

import email
import os
import smtplib
import subprocess
import time
import uuid
from contextlib import contextmanager
from email.message import EmailMessage, Message
from pathlib import Path
from typing import Iterator
from urllib.parse import quote, urlparse

import psycopg
import requests

from .system import free_port

AMQP_BASE = os.environ.get("NETRA_AMQP_URL", "amqp://guest:guest@127.0.0.1:5672/")
# The broker's own Prometheus metrics (deploy/infra.sh enables the plugin on its usual port).
BROKER_METRICS = f"http://{urlparse(AMQP_BASE).hostname}:15692"
PG_ADMIN_URL = os.environ.get("NETRA_TEST_PG_URL", "postgresql://netra:netra@127.0.0.1:5432/postgres")
# The roles deploy/infra.sh makes (deploy/lib.sh; each one's password is its name): throwaway() databases
# belong to the owner, which migrates; the services started on them sign in as the services' role.
DATABASE_OWNER, DATABASE_SERVICE_ROLE = "netra_owner", "netra_app"
MAILBOX_DIR = Path(os.environ.get("NETRA_MAILBOX_DIR")
                   or f"/var/tmp/netra/mail-{os.environ.get('NETRA_SMTP_PORT', '1025')}")
# Mail that arrived before this test process started is no test's of this run: the mailbox reader skips it.
STARTED_NS = time.time_ns()


def new_vhost() -> tuple[str, str]:
    """A fresh vhost for one test: its queues and messages see no other test's."""
    name = f"netra-test-{uuid.uuid4().hex[:10]}"
    subprocess.run(["rabbitmqctl", "-q", "add_vhost", name], check=True, capture_output=True)
    subprocess.run(["rabbitmqctl", "-q", "set_permissions", "-p", name, "guest", ".*", ".*", ".*"],
                   check=True, capture_output=True)
    return name, AMQP_BASE.rstrip("/") + "/" + quote(name, safe="")


def drop_vhost(name: str) -> None:
    subprocess.run(["rabbitmqctl", "-q", "delete_vhost", name], capture_output=True)


def new_database(owner: str | None = None) -> tuple[str, str]:
    name = f"netra_test_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(PG_ADMIN_URL, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"' + (f' OWNER "{owner}"' if owner else ""))
    base = PG_ADMIN_URL.rsplit("/", 1)[0].replace("postgresql://", "postgresql+psycopg://", 1)
    return name, f"{base}/{name}"


def drop_database(name: str) -> None:
    with psycopg.connect(PG_ADMIN_URL, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def new_role() -> str:
    """A login role of a test's own with no attributes (not a superuser, cannot create databases or roles)
    whose password is its name, as deploy/postgres-roles.sql makes the owner and the services' role."""
    name = f"netra_test_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(PG_ADMIN_URL, autocommit=True) as conn:
        conn.execute(f"CREATE ROLE \"{name}\" LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE PASSWORD '{name}'")
    return name


def drop_role(name: str) -> None:
    with psycopg.connect(PG_ADMIN_URL, autocommit=True) as conn:
        conn.execute(f'DROP ROLE IF EXISTS "{name}"')


def signed_in_as(url: str, role: str) -> str:
    """The same database URL, signed in as `role` (a role whose password is its name)."""
    parts = urlparse(url)
    return parts._replace(netloc=f"{role}:{role}@{parts.hostname}:{parts.port or 5432}").geturl()


@contextmanager
def throwaway(services) -> Iterator[tuple[str, str, dict[str, tuple[str, str]]]]:
    """A fresh vhost, and a fresh database per service name: (vhost, its AMQP URL, {service: (name, URL)}).
    Each database belongs to DATABASE_OWNER; the URLs sign in as the superuser, for tests to look around.
    Both are dropped when the block ends however it ends, a system that failed to start included: a vhost
    left behind keeps its queues, and their idle work stays on the broker's CPU for good."""
    vhost, amqp_url = new_vhost()
    databases: dict[str, tuple[str, str]] = {}
    try:
        for service in services:
            databases[service] = new_database(owner=DATABASE_OWNER)
        yield vhost, amqp_url, databases
    finally:
        drop_vhost(vhost)
        for name, _url in databases.values():
            drop_database(name)



def service_urls(databases: dict[str, tuple[str, str]]) -> dict[str, str]:
    """Each process's database URL, from throwaway()'s databases: a worker shares its web app's database, the
    reconciler reads intake's."""
    return {"intake": databases["intake"][1], "intake-worker": databases["intake"][1],
            "routing": databases["routing"][1], "notify": databases["notify"][1],
            "desk": databases["desk"][1], "desk-worker": databases["desk"][1],
            "reconciler": databases["intake"][1]}

class Mailbox:
    """Reads the .eml files the loopback SMTP server (deploy/mailbox.py) writes during this test process.

    The shared folder keeps every run's and every benchmark's mail, tens of thousands of files on a
    developer's machine. The server names each file by its arrival (`<time_ns>-<random>.eml`), so files
    older than this process are skipped by name, unread. The server renames each file into place once
    written and never touches it again, so each newer file is parsed once per folder and process (`_READ`),
    not on every poll."""

    _READ: dict[Path, dict[str, tuple[Message, str]]] = {}

    def __init__(self, folder: Path = MAILBOX_DIR, since_ns: int = STARTED_NS):
        self.folder = folder
        self.since_ns = since_ns

    def _read(self) -> list[tuple[Message, str]]:
        known = self._READ.setdefault(self.folder, {})
        names = sorted(entry.name for entry in os.scandir(self.folder)
                       if entry.name.endswith(".eml") and arrived_ns(entry.name) >= self.since_ns)
        for name in names:
            if name not in known:
                message = email.message_from_bytes((self.folder / name).read_bytes())
                known[name] = (message, message.as_string() + "\n" + body_text(message))
        return [known[name] for name in names]

    def messages(self) -> list[Message]:
        return [message for message, _ in self._read()]

    def matching(self, text: str, to: str | None = None) -> list[Message]:
        """The mails mentioning `text`; with `to`, only those the server received for that address."""
        return [message for message, searchable in self._read()
                if text in searchable and (to is None or to in (message["X-Netra-Rcpt-To"] or ""))]

    def wait_for(self, text: str, count: int = 1, timeout: float = 60, to: str | None = None) -> list[Message]:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            found = self.matching(text, to)
            if len(found) >= count:
                return found
            time.sleep(0.2)
        raise AssertionError(f"no {count} mail(s) mentioning {text!r}{f' to {to}' if to else ''} within {timeout}s")


def arrived_ns(name: str) -> int:
    """The arrival stamp in a mailbox file's name; 0 for a name without one."""
    stamp = name.split("-", 1)[0]
    return int(stamp) if stamp.isdigit() else 0


def body_text(message: Message) -> str:
    parts = message.walk() if message.is_multipart() else [message]
    texts = []
    for part in parts:
        if part.get_content_maintype() == "text":
            texts.append(part.get_payload(decode=True).decode(part.get_content_charset() or "utf-8"))
    return "\n".join(texts)


def _pids(pattern: str) -> list[int]:
    """Live processes whose command line matches: a killed process its parent has not reaped yet is not."""
    found = subprocess.run(["pgrep", "-f", pattern], capture_output=True, text=True).stdout.split()
    return [int(pid) for pid in found if _alive(int(pid))]


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return False
    return state not in ("Z", "X")


def kill_rabbitmq() -> None:
    """SIGKILL to the broker's Erlang VM: no clean shutdown, as in a crash."""
    for pid in _pids(r"beam.smp.*-s rabbit boot"):
        os.kill(pid, 9)
    deadline = time.monotonic() + 30
    while _pids(r"beam.smp.*-s rabbit boot") and time.monotonic() < deadline:
        time.sleep(0.2)


def stop_rabbitmq() -> None:
    """A clean shutdown; returns once the broker's VM is gone."""
    subprocess.run(["rabbitmqctl", "-q", "stop"], capture_output=True, timeout=120)
    deadline = time.monotonic() + 60
    while _pids(r"beam.smp.*-s rabbit boot") and time.monotonic() < deadline:
        time.sleep(0.2)


def start_rabbitmq(timeout: float = 120) -> None:
    if not _pids(r"beam.smp.*-s rabbit boot"):
        subprocess.run(["rabbitmq-server", "-detached"], capture_output=True, timeout=60)
    deadline = time.monotonic() + timeout
    # await_startup answers "unavailable" at once while the new node is not yet registered: ask again.
    while subprocess.run(["rabbitmqctl", "-q", "await_startup"], capture_output=True, timeout=timeout).returncode:
        if time.monotonic() > deadline:
            raise RuntimeError(f"RabbitMQ did not come back within {timeout}s")
        time.sleep(0.5)


def _pg_cluster(port: int = 5432) -> tuple[str, str]:
    """Debian's (version, name) of the PostgreSQL cluster on this port."""
    for line in subprocess.run(["pg_lsclusters", "-h"], capture_output=True, text=True, check=True).stdout.splitlines():
        version, name, cluster_port, *_ = line.split()
        if int(cluster_port) == port:
            return version, name
    raise RuntimeError(f"no PostgreSQL cluster on port {port}")


def crash_postgres() -> None:
    """Stops PostgreSQL with -m immediate: no checkpoint, every connection cut, recovery from WAL at start."""
    subprocess.run(["pg_ctlcluster", *_pg_cluster(), "stop", "-m", "immediate"], capture_output=True, timeout=60)


def start_postgres() -> None:
    subprocess.run(["pg_ctlcluster", *_pg_cluster(), "start"], capture_output=True, timeout=120)


class MinioProcess:
    """The running MinIO server, stopped and started again exactly as it was launched."""

    def __init__(self, port: int | None = None):
        port = port or urlparse(os.environ.get("NETRA_S3_ENDPOINT", "http://127.0.0.1:9000")).port or 9000
        pid = next(p for p in _pids("minio server") if f":{port}" in Path(f"/proc/{p}/cmdline").read_text())
        self.argv = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")[:-1]
        raw_env = Path(f"/proc/{pid}/environ").read_bytes().split(b"\0")
        self.env = dict(item.decode().split("=", 1) for item in raw_env if b"=" in item)
        self.cwd = os.readlink(f"/proc/{pid}/cwd")
        self.pid = pid
        self.process: subprocess.Popen | None = None  # once this object started it again
        self.log = Path(self.cwd) / "var" / "log" / "minio.log"

    def stop(self, sig: int = 15) -> None:
        os.kill(self.pid, sig)
        if self.process is not None:
            self.process.wait(30)  # reaped, or it would linger as a zombie
            return
        deadline = time.monotonic() + 30
        while Path(f"/proc/{self.pid}").exists() and time.monotonic() < deadline:
            time.sleep(0.1)

    def start(self, timeout: float = 60) -> None:
        process = subprocess.Popen(self.argv, env=self.env, cwd=self.cwd, start_new_session=True,
                                   stdout=open(self.log, "ab"), stderr=subprocess.STDOUT)
        self.process, self.pid = process, process.pid
        endpoint = "http://" + next(a.decode() for a in self.argv if b":" in a and a[:1].isdigit())
        wait_minio_live(endpoint, process, self.log, timeout)


def wait_minio_live(endpoint: str, process: subprocess.Popen, log: Path, timeout: float) -> None:
    """Returns once the MinIO server at endpoint answers live; raises if its process exits or time runs out."""
    deadline = time.monotonic() + timeout
    while True:
        if process.poll() is not None:
            raise RuntimeError(f"MinIO exited with {process.returncode}; see {log}")
        try:
            if requests.get(f"{endpoint}/minio/health/live", timeout=1).status_code == 200:
                return
        except requests.RequestException:
            pass
        if time.monotonic() > deadline:
            raise RuntimeError(f"MinIO at {endpoint} not live after {timeout}s; see {log}")
        time.sleep(0.2)


def minio_binary() -> str:
    """The MinIO that deploy/infra.sh built from source."""
    gopath = subprocess.run(["go", "env", "GOPATH"], capture_output=True, text=True, check=True,
                            env={**os.environ, "PATH": os.environ["PATH"] + ":/usr/local/go/bin"}).stdout.strip()
    return f"{gopath}/bin/minio"


@contextmanager
def own_minio(data_dir: Path, log: Path, user: str, password: str, timeout: float = 60, env: dict | None = None):
    """A MinIO server of the caller's own on data_dir, with these root keys (and `env`, MinIO's settings);
    yields its endpoint once it is live, and stops it afterwards (the directory is the caller's)."""
    port, console = free_port(), free_port()
    log.parent.mkdir(parents=True, exist_ok=True)
    with open(log, "ab") as out:
        process = subprocess.Popen([minio_binary(), "server", str(data_dir), "--address", f"127.0.0.1:{port}",
                                    "--console-address", f"127.0.0.1:{console}"],
                                   env={**os.environ, **(env or {}), "MINIO_ROOT_USER": user,
                                        "MINIO_ROOT_PASSWORD": password},
                                   stdout=out, stderr=subprocess.STDOUT, start_new_session=True)
    endpoint = f"http://127.0.0.1:{port}"
    try:
        wait_minio_live(endpoint, process, log, timeout)
        yield endpoint
    finally:
        process.terminate()
        try:
            process.wait(30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def sentinel(mailbox) -> None:
    """A mail sent after everything else: once it is in the mailbox, anything sent before it is too."""
    mark = f"sentinel-{uuid.uuid4()}"
    message = EmailMessage()
    message["Subject"], message["From"], message["To"] = mark, "test@netra.example", "test@netra.example"
    message.set_content(mark)
    with smtplib.SMTP("127.0.0.1", 1025, timeout=10) as smtp:
        smtp.send_message(message)
    mailbox.wait_for(mark)
