"""Throwaway corners of the real servers: a RabbitMQ vhost, a PostgreSQL database, a mailbox reader."""
from __future__ import annotations

import email
import os
import subprocess
import time
import uuid
from email.message import Message
from pathlib import Path
from urllib.parse import quote

import psycopg

AMQP_BASE = os.environ.get("NETRA_AMQP_URL", "amqp://guest:guest@127.0.0.1:5672/")
PG_ADMIN_URL = os.environ.get("NETRA_TEST_PG_URL", "postgresql://netra:netra@127.0.0.1:5432/postgres")
MAILBOX_DIR = Path(os.environ.get("NETRA_MAILBOX_DIR", "var/mail"))


def new_vhost() -> tuple[str, str]:
    """A fresh vhost for one test: its queues and messages see no other test's."""
    name = f"netra-test-{uuid.uuid4().hex[:10]}"
    subprocess.run(["rabbitmqctl", "-q", "add_vhost", name], check=True, capture_output=True)
    subprocess.run(["rabbitmqctl", "-q", "set_permissions", "-p", name, "guest", ".*", ".*", ".*"],
                   check=True, capture_output=True)
    return name, AMQP_BASE.rstrip("/") + "/" + quote(name, safe="")


def drop_vhost(name: str) -> None:
    subprocess.run(["rabbitmqctl", "-q", "delete_vhost", name], capture_output=True)


def new_database() -> tuple[str, str]:
    name = f"netra_test_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(PG_ADMIN_URL, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    base = PG_ADMIN_URL.rsplit("/", 1)[0].replace("postgresql://", "postgresql+psycopg://", 1)
    return name, f"{base}/{name}"


def drop_database(name: str) -> None:
    with psycopg.connect(PG_ADMIN_URL, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


class Mailbox:
    """Reads the .eml files the loopback SMTP server (deploy/mailbox.py) writes."""

    def __init__(self, folder: Path = MAILBOX_DIR):
        self.folder = folder

    def messages(self) -> list[Message]:
        return [email.message_from_bytes(p.read_bytes()) for p in sorted(self.folder.glob("*.eml"))]

    def matching(self, text: str) -> list[Message]:
        return [m for m in self.messages() if text in m.as_string() or text in body_text(m)]

    def wait_for(self, text: str, count: int = 1, timeout: float = 60) -> list[Message]:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            found = self.matching(text)
            if len(found) >= count:
                return found
            time.sleep(0.2)
        raise AssertionError(f"no {count} mail(s) mentioning {text!r} within {timeout}s")


def body_text(message: Message) -> str:
    parts = message.walk() if message.is_multipart() else [message]
    texts = []
    for part in parts:
        if part.get_content_maintype() == "text":
            texts.append(part.get_payload(decode=True).decode(part.get_content_charset() or "utf-8"))
    return "\n".join(texts)
