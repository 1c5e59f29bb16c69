"""WebP: copies the RIFF chunks that draw the picture and drops EXIF, XMP and ICCP (and unknown chunks),
clearing their flags in VP8X; nothing after the RIFF container's declared end is kept.
"""
from __future__ import annotations

import struct

from .refusal import DAMAGED, TRUNCATED, Refused, check_dimensions

KEPT = {b"VP8 ", b"VP8L", b"VP8X", b"ALPH", b"ANIM", b"ANMF"}
FRAME_KEPT = {b"VP8 ", b"VP8L", b"ALPH"}  # an animation frame holds a 16-byte header, then chunks of its own
FRAME_HEADER = 16
ICC, EXIF, XMP = 0x20, 0x08, 0x04


def sanitise_webp(data: bytes) -> bytes:
    riff_size = struct.unpack("<I", data[4:8])[0]
    if riff_size + 8 > len(data):
        raise Refused(TRUNCATED, "RIFF container is cut")
    chunks = [(name, body) for name, body in _chunks(data[12:riff_size + 8]) if name in KEPT]
    if not any(name in (b"VP8 ", b"VP8L") for name, _ in chunks) and not _animated(chunks):
        raise Refused(DAMAGED, "no image chunk")
    body = b"WEBP" + b"".join(_chunk(name, _without_metadata_flags(name, body)) for name, body in chunks)
    return b"RIFF" + struct.pack("<I", len(body)) + body


def _chunks(data: bytes):
    at = 0
    while at < len(data):
        if at + 8 > len(data):
            raise Refused(TRUNCATED, "chunk header is cut")
        name, size = data[at:at + 4], struct.unpack("<I", data[at + 4:at + 8])[0]
        if at + 8 + size > len(data):
            raise Refused(TRUNCATED, f"chunk {name!r} is cut")
        body = data[at + 8:at + 8 + size]
        _check_size(name, body)
        yield name, body
        at += 8 + size + (size & 1)


def _check_size(name: bytes, body: bytes) -> None:
    if name == b"VP8X" and len(body) >= 10:
        width = 1 + int.from_bytes(body[4:7], "little")
        height = 1 + int.from_bytes(body[7:10], "little")
        check_dimensions(width, height)
    elif name == b"VP8 " and len(body) >= 10:
        width, height = struct.unpack("<HH", body[6:10])
        check_dimensions(width & 0x3FFF, height & 0x3FFF)
    elif name == b"VP8L" and len(body) >= 5:
        bits = int.from_bytes(body[1:5], "little")
        check_dimensions(1 + (bits & 0x3FFF), 1 + ((bits >> 14) & 0x3FFF))
    elif name in (b"VP8X", b"VP8 ", b"VP8L"):
        raise Refused(DAMAGED, f"{name!r} too short")


def _animated(chunks) -> bool:
    return any(name == b"ANMF" for name, _ in chunks)


def _without_metadata_flags(name: bytes, body: bytes) -> bytes:
    if name == b"ANMF":
        return _frame(body)
    if name != b"VP8X":
        return body
    return bytes([body[0] & ~(ICC | EXIF | XMP) & 0xFF]) + body[1:]


def _frame(body: bytes) -> bytes:
    if len(body) < FRAME_HEADER:
        raise Refused(DAMAGED, "animation frame header")
    kept = [(name, inner) for name, inner in _chunks(body[FRAME_HEADER:]) if name in FRAME_KEPT]
    return body[:FRAME_HEADER] + b"".join(_chunk(name, inner) for name, inner in kept)


def _chunk(name: bytes, body: bytes) -> bytes:
    return name + struct.pack("<I", len(body)) + body + (b"\x00" if len(body) & 1 else b"")
