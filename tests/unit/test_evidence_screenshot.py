"""A 512 KB screenshot, the common case, is sanitised by rewriting its container: the pixels stay the same
and the planted name is gone. What it costs in CPU is measured by scripts/benchmark_sanitise.py, not here."""
import io

import pytest
from PIL import Image

from services.evidence.sanitise import sanitise
from tests.support import hostile


@pytest.mark.parametrize("media_type", ["image/png", "image/jpeg"])
def test_a_512_kb_screenshot_keeps_its_pixels_and_loses_the_planted_name(media_type):
    original = hostile.screenshot(1, media_type)
    assert 400 * 1024 < len(original) < 650 * 1024
    copy = sanitise(original, media_type)
    assert hostile.NAME.encode() not in copy
    assert Image.open(io.BytesIO(copy)).tobytes() == Image.open(io.BytesIO(original)).tobytes()
