"""Decides what a file is from its first bytes (magic numbers), never from its name or Content-Type."""
from __future__ import annotations

# media type -> the extension its archived key gets
ALLOWED = {
    "image/png": "png",
    "image/jpeg": "jpg",
    "image/webp": "webp",
    "image/gif": "gif",
    "application/pdf": "pdf",
}

HEADER_BYTES = 12  # the longest signature below (RIFF....WEBP)

_PREFIXES = (
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"GIF87a", "image/gif"),
    (b"GIF89a", "image/gif"),
    (b"%PDF-", "application/pdf"),
)


def _is_webp(head: bytes) -> bool:
    return len(head) >= 12 and head[:4] == b"RIFF" and head[8:12] == b"WEBP"


def sniff(data: bytes) -> tuple[str, str] | None:
    """(media type, extension) of a file type we accept, or None for anything else."""
    head = bytes(data[:HEADER_BYTES])
    if _is_webp(head):
        return "image/webp", ALLOWED["image/webp"]
    for prefix, media_type in _PREFIXES:
        if head.startswith(prefix):
            return media_type, ALLOWED[media_type]
    return None
