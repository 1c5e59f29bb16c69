"""The same load for both systems: N complaints with one incompressible PNG each, reporter left out,
from C client threads (closed loop) or at a fixed offered rate (open loop); and the watch on the mailbox
that times each unit email's arrival."""
from __future__ import annotations

import json
import os
import re
import struct
import threading
import time
import zlib
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from email import policy
from email.parser import BytesHeaderParser
from pathlib import Path

import requests

from tests.support.complaints import complaint
from tests.support.servers import arrived_ns

WIDTH = 256  # pixels a row: 769 bytes with the filter byte
SUBJECT_CODE = re.compile(r"ASN (\S+)")


def incompressible_png(size: int) -> bytes:
    """A decodable RGB PNG of about `size` bytes whose pixels are random and stored without compression."""
    rows = max(1, size // (WIDTH * 3 + 1))
    raw = b"".join(b"\x00" + os.urandom(WIDTH * 3) for _ in range(rows))

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    header = struct.pack(">IIBBBBB", WIDTH, rows, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(raw, 0)) + chunk(b"IEND", b"")


@dataclass
class Sent:
    tracking_code: str | None
    started: float  # wall clock (time.time) when the complaint was due: the open loop's schedule
    answered: float
    status: int


def submit(url: str, png_size: int, session: requests.Session, due: float | None = None) -> Sent:
    document = complaint()
    document["reporter"] = None
    blob = incompressible_png(png_size)
    started = due or time.time()
    try:
        answer = session.post(url, data={"complaint": json.dumps(document)},
                              files=[("evidence", ("bukti.png", blob, "image/png"))], timeout=120)
    except requests.RequestException:
        return Sent(None, started, time.time(), 0)
    code = answer.json().get("tracking_code") if answer.status_code == 202 else None
    return Sent(code, started, time.time(), answer.status_code)


def closed_loop(url: str, n: int, threads: int, png_size: int) -> list[Sent]:
    """Each of `threads` clients sends its next complaint as soon as the previous one is answered."""
    local = threading.local()

    def one(_: int) -> Sent:
        local.session = getattr(local, "session", None) or requests.Session()
        return submit(url, png_size, local.session)
    with ThreadPoolExecutor(threads) as pool:
        return list(pool.map(one, range(n)))


def open_loop(url: str, n: int, rate: float, png_size: int, max_threads: int = 64) -> list[Sent]:
    """Complaints due at a fixed rate whatever the answers take; latency counts from when each was due."""
    start = time.time() + 0.1

    def one(i: int) -> Sent:
        due = start + i / rate
        time.sleep(max(0.0, due - time.time()))
        return submit(url, png_size, requests.Session(), due)
    with ThreadPoolExecutor(max_threads) as pool:
        return list(pool.map(one, range(n)))


@dataclass
class MailWatch:
    """Times the unit emails whose Message-ID starts with `message_id_prefix`, by tracking code, from the
    arrival stamp (time_ns) that the loopback mailbox puts in each file name."""
    folder: Path
    message_id_prefix: str
    since_ns: int = field(default_factory=time.time_ns)
    arrived: dict[str, list[float]] = field(default_factory=dict)
    seen: set[str] = field(default_factory=set)

    def poll(self) -> None:
        for entry in os.scandir(self.folder):
            name = entry.name
            if name in self.seen or not name.endswith(".eml") or arrived_ns(name) < self.since_ns:
                continue
            self.seen.add(name)
            with open(entry.path, "rb") as mail:
                headers = BytesHeaderParser(policy=policy.default).parse(mail)
            if not (headers["Message-ID"] or "").startswith(self.message_id_prefix):
                continue
            if found := SUBJECT_CODE.search(str(headers["Subject"] or "")):
                self.arrived.setdefault(found.group(1), []).append(arrived_ns(name) / 1e9)

    def wait_for(self, codes: set[str], timeout: float) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            self.poll()
            if codes <= self.arrived.keys():
                return
            time.sleep(0.05)
