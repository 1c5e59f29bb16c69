"""The copy a unit may open: the same picture or document, without what betrays the reporter or acts.

`sanitise(data, media_type)` returns the copy's bytes or raises `Refused` with a reason code. Images are
rewritten at the container level (chunks, segments, blocks): no pixel is decoded, which keeps a 512 KB
screenshot at a few milliseconds of CPU. Pillow then reopens the copy's header as a second opinion.
"""
from __future__ import annotations

import io

from PIL import Image

from .gif import sanitise_gif
from .jpeg import sanitise_jpeg
from .pdf import sanitise_pdf
from .png import sanitise_png
from .refusal import ACTIVE_CONTENT, DAMAGED, REASONS, UNKNOWN_TYPE, Refused
from .webp import sanitise_webp

__all__ = ["sanitise", "Refused", "REASONS"]

SANITISERS = {"image/png": sanitise_png, "image/jpeg": sanitise_jpeg, "image/gif": sanitise_gif,
              "image/webp": sanitise_webp, "application/pdf": sanitise_pdf}
PILLOW_FORMATS = {"image/png": "PNG", "image/jpeg": "JPEG", "image/gif": "GIF", "image/webp": "WEBP"}
# Markup or script inside an image is a polyglot (a browser told the wrong type would run it); by chance
# in compressed data it is about as likely as a 7-byte password guessed in one try. Lower-casing once and
# searching for plain substrings costs a tenth of a case-insensitive regular expression.
MARKUP = (b"<script", b"<html", b"<body", b"<iframe", b"<svg", b"<object", b"<embed", b"<meta", b"<?php",
          b"javascript:")


def sanitise(data: bytes, media_type: str) -> bytes:
    if media_type not in SANITISERS:
        raise Refused(UNKNOWN_TYPE, media_type)
    if media_type in PILLOW_FORMATS and _has_markup(data):
        raise Refused(ACTIVE_CONTENT, "markup or script inside an image")
    copy = SANITISERS[media_type](bytes(data))
    if media_type in PILLOW_FORMATS:
        _reopens_as(copy, PILLOW_FORMATS[media_type])
    return copy


def _has_markup(data: bytes) -> bool:
    lowered = bytes(data).lower()
    return any(marker in lowered for marker in MARKUP)


def _reopens_as(copy: bytes, pillow_format: str) -> None:
    try:
        with Image.open(io.BytesIO(copy)) as image:
            opened = image.format
    except Exception:  # Pillow's parsers raise many types; any of them means the copy is not a picture
        raise Refused(DAMAGED, "the copy does not reopen") from None
    if opened != pillow_format:
        raise Refused(DAMAGED, f"the copy reads as {opened}")
