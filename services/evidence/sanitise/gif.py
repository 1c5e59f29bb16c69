"""GIF: copies the header, colour tables, frames and their graphic controls; drops comment, plain-text and
application extensions (XMP, ICC and any application data ride in those) and whatever follows the trailer.
"""
from __future__ import annotations

import struct

from .refusal import DAMAGED, DECOMPRESSION_BOMB, MAX_PIXELS, TRUNCATED, Refused, check_dimensions

TRAILER, IMAGE, EXTENSION, GRAPHIC_CONTROL = 0x3B, 0x2C, 0x21, 0xF9
# Frames are each decoded by a viewer: their summed area is capped like one picture's, times this.
MAX_FRAME_AREA_FACTOR = 4


def sanitise_gif(data: bytes) -> bytes:
    width, height, flags = struct.unpack("<HHB", _take(data, 6, 5))
    check_dimensions(width, height)
    at = 13 + _table_size(flags)
    out, area = [_take(data, 0, at)], 0
    while True:
        introducer = _take(data, at, 1)[0]
        if introducer == TRAILER:
            return b"".join(out) + b";"
        if introducer == IMAGE:
            end, frame_area = _image_end(data, at)
            area += frame_area
            if area > MAX_PIXELS * MAX_FRAME_AREA_FACTOR:
                raise Refused(DECOMPRESSION_BOMB, "too many frames")
            out.append(data[at:end])
        elif introducer == EXTENSION:
            end = _sub_blocks_end(data, at + 2)
            if _take(data, at + 1, 1)[0] == GRAPHIC_CONTROL:
                out.append(data[at:end])
        else:
            raise Refused(DAMAGED, f"unknown block {introducer:#x} at {at}")
        at = end


def _image_end(data: bytes, at: int) -> tuple[int, int]:
    left, top, width, height, flags = struct.unpack("<HHHHB", _take(data, at + 1, 9))
    check_dimensions(width, height)
    data_start = at + 10 + _table_size(flags) + 1  # + the LZW minimum code size byte
    _take(data, data_start - 1, 1)
    return _sub_blocks_end(data, data_start), width * height


def _sub_blocks_end(data: bytes, at: int) -> int:
    while True:
        size = _take(data, at, 1)[0]
        at += 1 + size
        if size == 0:
            return at


def _table_size(flags: int) -> int:
    return 3 * (2 << (flags & 0x07)) if flags & 0x80 else 0


def _take(data: bytes, at: int, length: int) -> bytes:
    if at + length > len(data):
        raise Refused(TRUNCATED, "GIF ends before its trailer")
    return data[at:at + length]
