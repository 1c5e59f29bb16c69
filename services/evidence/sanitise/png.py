"""PNG: keeps only the chunks that draw the picture, checked, and drops every text, EXIF, ICC and time chunk.

Chunks are copied byte for byte (no pixel decoding); the image data is inflated once, with a cap, to prove
it is complete and no larger than the header says, which is what makes a pixel bomb or a cut file visible.
"""
from __future__ import annotations

import struct
import zlib

from .refusal import DAMAGED, DECOMPRESSION_BOMB, TRUNCATED, Refused, check_dimensions

SIGNATURE = b"\x89PNG\r\n\x1a\n"
# What a viewer needs to show the same picture; everything else (tEXt, zTXt, iTXt, eXIf, iCCP, tIME,
# sPLT, private chunks, APNG frames) is left out.
KEPT = {b"IHDR", b"PLTE", b"tRNS", b"gAMA", b"cHRM", b"sRGB", b"sBIT", b"pHYs", b"bKGD", b"IDAT", b"IEND"}
CHANNELS = {0: 1, 2: 3, 3: 1, 4: 2, 6: 4}
STEP = 1 << 20


def sanitise_png(data: bytes) -> bytes:
    view = memoryview(data)
    kept = [chunk for chunk in _chunks(view) if chunk[0] in KEPT]
    if not kept or kept[0][0] != b"IHDR":
        raise Refused(DAMAGED, "IHDR is not the first chunk")
    raw_size = _raw_size(bytes(kept[0][1]))
    _check_image_data([body for name, body, _ in kept if name == b"IDAT"], raw_size)
    # A kept chunk's bytes are copied as they are: its CRC was just checked against them.
    return SIGNATURE + b"".join(whole for _, _, whole in kept)


def _chunks(view: memoryview):
    """Each (name, body, whole chunk) up to IEND, CRC-checked, as views into the file (nothing is copied);
    whatever follows IEND is never read."""
    at = len(SIGNATURE)
    while True:
        if at + 8 > len(view):
            raise Refused(TRUNCATED, "PNG ends before IEND")
        length, name = struct.unpack_from(">I4s", view, at)
        end = at + 12 + length
        if end > len(view):
            raise Refused(TRUNCATED, f"chunk {name!r} is cut")
        body = view[at + 8:end - 4]
        if zlib.crc32(body, zlib.crc32(name)) != struct.unpack_from(">I", view, end - 4)[0]:
            raise Refused(DAMAGED, f"bad CRC in {name!r}")
        yield name, body, view[at:end]
        if name == b"IEND":
            return
        at = end


def _raw_size(ihdr: bytes) -> int:
    """Bytes the image data must inflate to, from the header, refusing oversized or unknown layouts."""
    if len(ihdr) != 13:
        raise Refused(DAMAGED, "IHDR size")
    width, height, depth, colour, _, _, interlace = struct.unpack(">IIBBBBB", ihdr)
    check_dimensions(width, height)
    if colour not in CHANNELS or depth not in (1, 2, 4, 8, 16):
        raise Refused(DAMAGED, "colour type or bit depth")
    bits = depth * CHANNELS[colour]
    if interlace == 0:
        return height * (1 + (width * bits + 7) // 8)
    return sum(rows * (1 + (cols * bits + 7) // 8) for cols, rows in _adam7_passes(width, height) if cols)


def _adam7_passes(width: int, height: int):
    for x0, y0, dx, dy in ((0, 0, 8, 8), (4, 0, 8, 8), (0, 4, 4, 8), (2, 0, 4, 4), (0, 2, 2, 4),
                           (1, 0, 2, 2), (0, 1, 1, 2)):
        cols, rows = (width - x0 + dx - 1) // dx, (height - y0 + dy - 1) // dy
        yield cols, (rows if cols else 0)


def _check_image_data(parts: list[memoryview], raw_size: int) -> None:
    """Inflates the IDAT bodies as one stream in 1 MiB steps, counting and discarding, so a bomb costs neither
    memory nor much time."""
    inflater, produced = zlib.decompressobj(), 0
    try:
        for part in parts:
            pending = part
            while pending and not inflater.eof and produced <= raw_size:
                produced += len(inflater.decompress(pending, STEP))
                pending = inflater.unconsumed_tail
    except zlib.error:
        raise Refused(DAMAGED, "image data does not inflate") from None
    if produced > raw_size:
        raise Refused(DECOMPRESSION_BOMB, "image data larger than its header says")
    if not inflater.eof or produced < raw_size:
        raise Refused(TRUNCATED, "image data is cut")
