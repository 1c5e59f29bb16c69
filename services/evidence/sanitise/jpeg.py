"""JPEG: copies the segments that decode the picture and drops every APPn and COM segment.

That removes EXIF (GPS, Make/Model, Artist, the thumbnail), XMP, IPTC/Photoshop, ICC profiles, MPF
extra pictures and comments without decoding a pixel. The EXIF orientation alone is carried over in a
new EXIF segment that holds nothing else, so a phone photo is not shown on its side.
"""
from __future__ import annotations

import struct
import warnings

from .refusal import DAMAGED, TRUNCATED, Refused, check_dimensions

EOI, SOS = 0xD9, 0xDA
STANDALONE = set(range(0xD0, 0xD8)) | {0x01}  # RSTn and TEM carry no length
FRAMES = set(range(0xC0, 0xD0)) - {0xC4, 0xC8, 0xCC}
KEPT = FRAMES | {0xC4, 0xCC, 0xDB, 0xDC, 0xDD, SOS}  # frames, Huffman and arithmetic tables, DQT, DNL, DRI
ADOBE = 0xEE  # APP14 "Adobe": kept when it has its fixed 12-byte form, it says how to read CMYK colours
ORIENTATION_TAG = 0x0112


def sanitise_jpeg(data: bytes) -> bytes:
    out, at, seen_frame, orientation = [b"\xff\xd8"], 2, False, 1
    while True:
        marker, body, at = _segment(data, at)
        if marker == EOI:
            break
        if marker in FRAMES:
            seen_frame = True
            _check_frame(body)
        if marker == 0xE1 and body.startswith(b"Exif\x00\x00"):
            orientation = _orientation(body)
        if marker in KEPT or (marker == ADOBE and len(body) == 12 and body.startswith(b"Adobe")):
            out.append(struct.pack(">BBH", 0xFF, marker, len(body) + 2) + body)
        if marker == SOS:
            scan_end = _scan_end(data, at)
            out.append(data[at:scan_end])
            at = scan_end
    if not seen_frame:
        raise Refused(DAMAGED, "no frame header")
    if orientation != 1:
        out.insert(1, _orientation_segment(orientation))
    return b"".join(out) + b"\xff\xd9"


def _segment(data: bytes, at: int) -> tuple[int, bytes, int]:
    """(marker, body, next offset) of the segment at `at`; fill bytes before a marker are skipped."""
    while at < len(data) and data[at] == 0xFF and at + 1 < len(data) and data[at + 1] == 0xFF:
        at += 1
    if at + 2 > len(data):
        raise Refused(TRUNCATED, "JPEG ends before EOI")
    if data[at] != 0xFF:
        raise Refused(DAMAGED, f"no marker at {at}")
    marker = data[at + 1]
    if marker == EOI or marker in STANDALONE:
        return marker, b"", at + 2
    if at + 4 > len(data):
        raise Refused(TRUNCATED, "segment header is cut")
    length = struct.unpack(">H", data[at + 2:at + 4])[0]
    if length < 2 or at + 2 + length > len(data):
        raise Refused(TRUNCATED, f"segment {marker:#x} is cut")
    return marker, data[at + 4:at + 2 + length], at + 2 + length


def _scan_end(data: bytes, at: int) -> int:
    """Where the entropy-coded data after SOS ends: the first marker that is neither stuffing nor RSTn."""
    while True:
        at = data.find(b"\xff", at)
        if at < 0 or at + 1 >= len(data):
            raise Refused(TRUNCATED, "scan data is cut")
        following = data[at + 1]
        if following == 0x00 or 0xD0 <= following <= 0xD7 or following == 0xFF:
            at += 1 if following == 0xFF else 2
            continue
        return at


def _check_frame(body: bytes) -> None:
    if len(body) < 6:
        raise Refused(DAMAGED, "frame header")
    height, width = struct.unpack(">HH", body[1:5])
    check_dimensions(width, height or 1)  # a height of 0 means "given by DNL later"; the width still counts


def _orientation(exif_segment: bytes) -> int:
    """The orientation tag of an EXIF segment, read with Pillow's parser (no pixels involved); 1 if unsure."""
    from PIL import Image
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # Pillow warns about each broken tag; the answer is what counts
            exif = Image.Exif()
            exif.load(exif_segment)
            value = exif.get(ORIENTATION_TAG, 1)
    except Exception:  # noqa: BLE001 - a broken EXIF block only costs us the orientation
        return 1
    return value if isinstance(value, int) and 1 <= value <= 8 else 1


def _orientation_segment(orientation: int) -> bytes:
    """A little-endian TIFF header with one IFD entry (Orientation, SHORT) and no next IFD."""
    tiff = b"II*\x00" + struct.pack("<IHHHIHH", 8, 1, ORIENTATION_TAG, 3, 1, orientation, 0) + b"\x00" * 4
    body = b"Exif\x00\x00" + tiff
    return struct.pack(">BBH", 0xFF, 0xE1, len(body) + 2) + body
