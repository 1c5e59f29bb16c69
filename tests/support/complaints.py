"""Complaint documents and evidence bytes as a citizen would send them, and sending them to a running Netra."""
from __future__ import annotations

import io
import json
import struct
import time
import zlib
from datetime import date, timedelta

import requests
import yaml
from PIL import Image, ImageDraw

from services.reference.files import UNITS_FILE

# What complaint() says of its reporter, as it must never be seen in a mail, a log line or an event
REPORTER_SECRETS = ("Siti Rahmawati", "siti.pelapor@example.org", "812 7777 0001")


def png_bytes(seed: int = 0, size: int = 8) -> bytes:
    """A real, decodable PNG whose pixels depend on the seed, so each one has its own SHA-256."""
    raw = b"".join(b"\x00" + bytes((seed + x + y) % 256 for x in range(size * 3)) for y in range(size))

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    header = struct.pack(">IIBBBBB", size, size, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b"")


def complaint(region_code: str | None = "14.03", employer_level: str = "kabupaten_kota", **violation) -> dict:
    return {
        "reporter": {"name": "Siti Rahmawati", "email": "siti.pelapor@example.org", "phone": "+62 812 7777 0001"},
        "subject": {"name": "Budi Santoso", "nip": "198703122010011004", "position": "Kepala Seksi Pelayanan",
                    "agency": "Dinas Kependudukan dan Pencatatan Sipil", "employer_level": employer_level,
                    "region_code": region_code},
        "violation": {"category": "unggah_dukungan", "platform": "facebook",
                      "post_urls": ["https://www.facebook.com/budi.santoso/posts/123"],
                      "occurred_on": (date.today() - timedelta(days=3)).isoformat(), "location": "Bengkalis",
                      "description": "Mengunggah foto bersama pasangan calon bupati dengan simbol dua jari.",
                      **violation},
        "declaration": True,
    }


def files(*blobs: bytes, name: str = "bukti.png"):
    return [("evidence", (name, io.BytesIO(blob), "image/png")) for blob in blobs]


def bkd_email(region_code: str) -> str:
    units = yaml.safe_load(UNITS_FILE.read_text())["units"]
    return next(u["email"] for u in units if u["kind"] == "bkd" and u["region_code"] == region_code)


def submit(system, document, blobs=()):
    files = [("evidence", (f"bukti-{i}.png", blob, "image/png")) for i, blob in enumerate(blobs)]
    return requests.post(f"{system.api}/complaints", data={"complaint": json.dumps(document)},
                         files=files or None, timeout=30)


def wait_for_status(system, answer, status, timeout=60):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        timeline = requests.get(answer["status_url"], headers={"X-Receipt": answer["receipt"]}, timeout=5).json()
        if status in [entry["status"] for entry in timeline["timeline"]]:
            return timeline
        time.sleep(0.3)
    raise AssertionError(f"{answer['tracking_code']} never reached {status}: {timeline}")


def screenshot() -> bytes:
    """A screenshot-like PNG: a post with a candidate's slogan."""
    image = Image.new("RGB", (480, 300), "white")
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, 0, 480, 48), fill=(59, 89, 152))
    draw.text((16, 16), "Andi Saputra  -  2 November 2026", fill="white")
    draw.rectangle((16, 70, 464, 240), outline=(180, 180, 180))
    draw.text((32, 90), "Ayo dukung Paslon nomor 2 untuk Makassar!", fill="black")
    draw.ellipse((200, 130, 280, 210), fill=(220, 40, 40))
    draw.text((32, 260), "120 suka   14 komentar   9 bagikan", fill=(90, 90, 90))
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()
