"""A screenshot's perceptual hash, so routing can tell the same picture when it comes back resized,
re-encoded or cropped by a few pixels: imagehash's pHash (DCT of a 32×32 grey thumbnail, 64 bits as 16 hex
digits). Computed on the sanitised copy (the same pixels as the original). Documents have none.

Decoding pixels is the one costly step: JPEGs are decoded at a reduced scale (`draft`), every picture is
box-reduced to about 64 px on its short side before pHash's own resampling (a fifth of the CPU for a 512 KiB
screenshot, within two bits of the full-size hash). A picture under 64 px on a side (an icon, not a
screenshot: any two look alike) or one Pillow cannot decode (damaged, or larger than its decompression-bomb
limit) simply has no hash.
"""
from __future__ import annotations

import io
import warnings

import imagehash
import structlog
from PIL import Image

log = structlog.get_logger("netra.evidence")
THUMBNAIL = (64, 64)


def perceptual_hash(data: bytes, media_type: str) -> str | None:
    if not media_type.startswith("image/"):
        return None
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as image:
                if min(image.size) < THUMBNAIL[0]:
                    return None  # an icon, not a screenshot: too few pixels to tell pictures apart
                image.draft("L", THUMBNAIL)  # JPEG: decode at 1/2..1/8 scale; other formats ignore it
                grey = image.convert("L")
                grey = grey.reduce(max(1, min(grey.size) // THUMBNAIL[0]))
                return str(imagehash.phash(grey))
    except (OSError, ValueError, Image.DecompressionBombWarning, Image.DecompressionBombError) as exc:
        log.info("evidence.no_perceptual_hash", media_type=media_type, reason=type(exc).__name__)
        return None
