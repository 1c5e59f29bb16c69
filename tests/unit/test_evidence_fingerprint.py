"""A screenshot's perceptual hash survives resizing and re-encoding, and tells different pictures apart."""
import io

from PIL import Image, ImageDraw

from services.evidence.fingerprint import perceptual_hash
from services.routing.grouping import hamming


def screenshot(text_rows: int, shift: int = 0) -> Image.Image:
    """A post-like picture: a header bar, a photo block and lines of text."""
    image = Image.new("RGB", (720, 1280), "white")
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, 0, 720, 120), fill=(59, 89, 152))
    draw.ellipse((40 + shift, 180, 240 + shift, 380), fill=(200, 40, 40))
    for row in range(text_rows):
        draw.rectangle((40, 450 + row * 60, 680 - (row * 37) % 200, 480 + row * 60), fill=(30, 30, 30))
    return image


def encoded(image: Image.Image, fmt: str, **options) -> bytes:
    out = io.BytesIO()
    image.save(out, fmt, **options)
    return out.getvalue()


def test_a_resized_and_recompressed_copy_stays_within_a_few_bits():
    original = perceptual_hash(encoded(screenshot(8), "PNG"), "image/png")
    resized = screenshot(8).resize((360, 640))
    for data, media_type in ((encoded(resized, "PNG"), "image/png"),
                             (encoded(resized, "JPEG", quality=60), "image/jpeg"),
                             (encoded(screenshot(8), "WEBP", quality=50), "image/webp")):
        assert hamming(original, perceptual_hash(data, media_type)) <= 6


def test_another_screenshot_is_far_away():
    one = perceptual_hash(encoded(screenshot(8), "PNG"), "image/png")
    other = perceptual_hash(encoded(screenshot(3, shift=400).rotate(90, expand=True), "PNG"), "image/png")
    assert hamming(one, other) > 12


def test_documents_and_undecodable_pictures_have_no_hash():
    assert perceptual_hash(b"%PDF-1.7 ...", "application/pdf") is None
    assert perceptual_hash(b"\x89PNG\r\n\x1a\n" + b"\x00" * 40, "image/png") is None


def test_an_icon_sized_picture_has_no_hash_to_compare():
    assert perceptual_hash(encoded(screenshot(8).resize((40, 70)), "PNG"), "image/png") is None
