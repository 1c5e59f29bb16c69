import pytest

from services.common.media import ALLOWED, sniff
from tests.support.complaints import png_bytes


def tiny_png() -> bytes:
    return png_bytes(size=1)


SAMPLES = {
    "png": (tiny_png(), "image/png"),
    "jpeg": (b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00" + b"\x00" * 32, "image/jpeg"),
    "webp": (b"RIFF\x24\x00\x00\x00WEBPVP8 \x18\x00\x00\x00" + b"\x00" * 24, "image/webp"),
    "pdf": (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n", "application/pdf"),
    "gif87": (b"GIF87a\x01\x00\x01\x00\x00\x00\x00;", "image/gif"),
    "gif89": (b"GIF89a\x01\x00\x01\x00\x80\x00\x00\xff\xff\xff\x00\x00\x00;", "image/gif"),
}


@pytest.mark.parametrize("name", sorted(SAMPLES))
def test_each_accepted_type_is_recognised_with_its_extension(name):
    data, media_type = SAMPLES[name]
    assert sniff(data) == (media_type, ALLOWED[media_type])


def test_extensions_are_the_ones_archived_keys_use():
    assert ALLOWED == {"image/png": "png", "image/jpeg": "jpg", "image/webp": "webp", "image/gif": "gif",
                       "application/pdf": "pdf"}


def test_a_text_file_named_png_is_not_an_image(tmp_path):
    disguised = tmp_path / "bukti.png"
    disguised.write_text("ini bukan gambar, hanya teks biasa\n")
    assert sniff(disguised.read_bytes()) is None


@pytest.mark.parametrize("data", [
    b"", b"\x89PN", b"\x89PNG\r\n\x1a", b"\xff\xd8", b"GIF8", b"GIF89", b"%PD", b"RIFF\x24\x00\x00\x00WEB",
    b"RIFF\x24\x00\x00\x00WAVEfmt ",  # a RIFF container that is audio, not WebP
    b"<html><body>%PDF-1.7</body></html>",  # a signature somewhere inside does not count
])
def test_truncated_or_foreign_headers_are_unknown(data):
    assert sniff(data) is None


def test_memoryview_of_the_bytes_is_accepted():
    assert sniff(memoryview(tiny_png())) == ("image/png", "png")
