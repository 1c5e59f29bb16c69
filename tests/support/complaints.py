"""Complaint documents and evidence bytes as a citizen would send them."""
from __future__ import annotations

import io
import struct
import zlib
from datetime import date, timedelta


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
