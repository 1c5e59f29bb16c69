"""Why a file is refused, as a code on the wire (words live in services/reference/data/vocabulary.yaml)."""
from __future__ import annotations

NOT_STAGED = "not_staged"  # complaints from before intake wrote originals itself
NOT_STORED = "not_stored"
NOT_THE_ORIGINAL = "not_the_original"
UNKNOWN_TYPE = "unknown_type"
TRUNCATED = "truncated"
DAMAGED = "damaged"
TOO_LARGE = "too_large"
DECOMPRESSION_BOMB = "decompression_bomb"
ACTIVE_CONTENT = "active_content"
ENCRYPTED = "encrypted"

REASONS = (NOT_STAGED, NOT_STORED, NOT_THE_ORIGINAL, UNKNOWN_TYPE, TRUNCATED, DAMAGED, TOO_LARGE, DECOMPRESSION_BOMB, ACTIVE_CONTENT,
           ENCRYPTED)

# Pixels a unit's viewer would have to decode: a 48-megapixel phone photo passes, 10,000 x 10,000 does not.
MAX_PIXELS = 50_000_000
MAX_SIDE = 16_384


class Refused(Exception):
    """The file cannot be handed to a unit; `reason` is one of REASONS."""

    def __init__(self, reason: str, detail: str = ""):
        super().__init__(f"{reason}: {detail}" if detail else reason)
        self.reason = reason


def check_dimensions(width: int, height: int) -> None:
    if width < 1 or height < 1:
        raise Refused(DAMAGED, "zero width or height")
    if width > MAX_SIDE or height > MAX_SIDE:
        raise Refused(TOO_LARGE, f"{width}x{height}")
    if width * height > MAX_PIXELS:
        raise Refused(DECOMPRESSION_BOMB, f"{width}x{height}")
