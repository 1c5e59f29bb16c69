"""Each file of the hostile corpus (tests/support/hostile.py) and what happens to it: the copy a unit gets
carries none of the planted data (scanned byte for byte and re-read as metadata), or it is refused by code.
"""
import io
import struct
import zlib

import pikepdf
import pytest
from PIL import Image

from services.common.media import sniff
from services.evidence import sanitise as sanitising
from services.evidence.sanitise import REASONS, Refused, sanitise
from services.reference.vocabulary import codes, label
from tests.support import hostile


def sanitised(data: bytes) -> bytes:
    media_type, _ = sniff(data)
    return sanitise(data, media_type)


def planted_in(data: bytes) -> list[str]:
    """Every planted value found in the bytes, as ASCII/UTF-8 or as UTF-16 (PDF and EXIF both allow it)."""
    return [value for value in hostile.PLANTED
            if any(value.encode(enc) in data for enc in ("utf-8", "utf-16-be", "utf-16-le"))]


def pixels(data: bytes) -> bytes:
    with Image.open(io.BytesIO(data)) as image:
        return image.convert("RGBA").tobytes()


def png_chunk_names(data: bytes) -> list[bytes]:
    names, at = [], 8
    while at < len(data):
        length, name = struct.unpack(">I4s", data[at:at + 8])
        names.append(name)
        at += 12 + length
    return names


def test_gps_jpeg_loses_gps_camera_artist_comment_icc_and_xmp_but_keeps_pixels_and_orientation():
    original = hostile.gps_jpeg()
    assert planted_in(original) == list(hostile.PLANTED)
    copy = sanitised(original)
    assert planted_in(copy) == []
    with Image.open(io.BytesIO(copy)) as image:
        assert dict(image.getexif()) == {0x0112: 6}  # orientation only: the photo is not shown on its side
        assert image.getexif().get_ifd(0x8825) == {}
        assert not {"comment", "icc_profile", "xmp", "photoshop"} & set(image.info)
    assert pixels(copy) == pixels(original)


def test_png_with_author_text_keeps_only_the_chunks_that_draw_it():
    original = hostile.author_png()
    assert hostile.EMAIL.encode() in original
    copy = sanitised(original)
    assert planted_in(copy) == []
    assert png_chunk_names(copy) == [b"IHDR", b"IDAT", b"IEND"]
    with Image.open(io.BytesIO(copy)) as image:
        assert image.text == {} and not {"exif", "icc_profile"} & set(image.info)
    assert pixels(copy) == pixels(original)


def test_webp_loses_exif_xmp_and_icc_and_its_flags_say_so():
    original = hostile.exif_webp()
    copy = sanitised(original)
    assert planted_in(copy) == [] and planted_in(original) != []
    with Image.open(io.BytesIO(copy)) as image:
        assert not {"exif", "xmp", "icc_profile"} & set(image.info)
    assert pixels(copy) == pixels(original)


def test_an_animated_webp_loses_chunks_hidden_inside_its_frames_and_keeps_both_frames():
    original = hostile.animated_webp_with_frame_metadata()
    with Image.open(io.BytesIO(original)) as image:
        assert image.n_frames == 2  # the planted chunk does not stop a viewer: it would be served as is
    copy = sanitised(original)
    assert planted_in(original) == [hostile.NAME, hostile.PHONE] and planted_in(copy) == []
    with Image.open(io.BytesIO(copy)) as image:
        assert image.n_frames == 2


def test_gif_loses_comment_and_application_extensions():
    original = hostile.commented_gif()
    copy = sanitised(original)
    assert planted_in(copy) == [] and planted_in(original) != []
    assert b"XMP DataXMP" not in copy
    with Image.open(io.BytesIO(copy)) as image:
        assert "comment" not in image.info and "extension" not in image.info
    assert pixels(copy) == pixels(original)


def test_pdf_loses_metadata_scripts_launch_attachments_and_xfa():
    original = hostile.js_pdf()
    copy = sanitised(original)
    assert planted_in(copy) == [] and planted_in(original) != []
    for trace in (b"JavaScript", b"/JS", b"OpenAction", b"/AA", b"Launch", b"EmbeddedFile", b"XFA",
                  b"AcroForm", b"netra-", b"/Metadata"):
        assert trace in original and trace not in copy, trace
    with pikepdf.open(io.BytesIO(copy)) as pdf:
        assert "/Info" not in pdf.trailer and len(pdf.pages) == 1
        [link] = pdf.pages[0].obj.Annots
        assert len(link.get("/A", {})) == 0  # the link stays drawn, it just leads nowhere


def test_a_pdf_named_png_is_archived_as_the_pdf_it_is_without_author():
    original = hostile.pdf_named_png()
    assert sniff(original) == ("application/pdf", "pdf")
    copy = sanitised(original)
    assert planted_in(copy) == [] and planted_in(original) == [hostile.NAME, hostile.EMAIL]


def test_an_archive_appended_after_a_jpeg_is_cut_off_at_the_end_marker():
    original = hostile.zip_after_jpeg()
    copy = sanitised(original)
    assert copy.endswith(b"\xff\xd9") and b"PK\x03\x04" not in copy and planted_in(copy) == []
    assert pixels(copy) == pixels(original)


def test_a_jpeg_inside_a_pdf_loses_its_exif():
    pdf = pikepdf.new()
    pdf.add_blank_page(page_size=(100, 100))
    jpeg = hostile.gps_jpeg()
    image = pdf.make_stream(jpeg, Type=pikepdf.Name.XObject, Subtype=pikepdf.Name.Image, Width=64, Height=48,
                            ColorSpace=pikepdf.Name.DeviceRGB, BitsPerComponent=8, Filter=pikepdf.Name.DCTDecode)
    pdf.pages[0].obj.Resources = pikepdf.Dictionary(XObject=pikepdf.Dictionary(Im0=image))
    out = io.BytesIO()
    pdf.save(out, compress_streams=False)
    copy = sanitised(out.getvalue())
    assert planted_in(out.getvalue()) != [] and planted_in(copy) == []


REFUSALS = {name: outcome[1] for name, (_, outcome) in hostile.CORPUS.items() if outcome[0] == hostile.REFUSED}


@pytest.mark.parametrize("name", sorted(REFUSALS))
def test_hostile_file_is_refused_with_its_reason(name):
    make, _ = hostile.CORPUS[name]
    with pytest.raises(Refused) as refused:
        sanitised(make())
    assert refused.value.reason == REFUSALS[name]


@pytest.mark.parametrize("name", sorted(set(hostile.CORPUS) - set(REFUSALS)))
def test_every_sanitised_corpus_file_still_opens_and_carries_nothing_planted(name):
    make, (_, media_type) = hostile.CORPUS[name]
    copy = sanitised(make())
    assert sniff(copy)[0] == media_type and planted_in(copy) == []
    assert sanitised(copy) == copy  # sanitising is a fixed point: the copy needs nothing more removed


def test_sanitising_is_deterministic_so_a_replay_writes_the_same_key():
    for make in (hostile.gps_jpeg, hostile.author_png, hostile.js_pdf, hostile.exif_webp, hostile.commented_gif):
        assert sanitised(make()) == sanitised(make())


def test_every_reason_code_has_words_for_the_reporter_in_both_languages():
    assert set(REASONS) <= set(codes("evidence_rejections"))
    for reason in REASONS:
        assert label("evidence_rejections", reason, "id") != reason
        assert label("evidence_rejections", reason, "en") != reason


MARKERS = ["<script", "<html>", "<html ", "<body>", "<body ", "<iframe", "<svg ", "<svg>", "<object", "<embed",
           "<meta ", "<?php", "javascript:"]


@pytest.mark.parametrize("marker", MARKERS)
def test_markup_anywhere_in_a_picture_is_refused_in_any_case(marker):
    for written in (marker, marker.upper(), marker.title()):
        image = io.BytesIO()
        Image.new("RGB", (80, 80), "white").save(image, "PNG")
        data = image.getvalue()
        # In a text chunk before IEND: the sanitiser would drop the chunk, but a polyglot is refused outright.
        body = b"Comment\x00" + f"x {written} y".encode()
        chunk = struct.pack(">I4s", len(body), b"tEXt") + body + struct.pack(">I", zlib.crc32(b"tEXt" + body))
        with pytest.raises(Refused) as refused:
            sanitise(data[:-12] + chunk + data[-12:], "image/png")
        assert refused.value.reason == "active_content", written


def test_tag_names_without_their_bracket_are_just_bytes():
    image = io.BytesIO()
    Image.new("RGB", (80, 80), "white").save(image, "PNG")
    data = image.getvalue()
    body = b"Comment\x00script html body svg meta <htmlx <svgx"
    chunk = struct.pack(">I4s", len(body), b"tEXt") + body + struct.pack(">I", zlib.crc32(b"tEXt" + body))
    assert sanitise(data[:-12] + chunk + data[-12:], "image/png").startswith(b"\x89PNG")


def png_chunk(name: bytes, body: bytes) -> bytes:
    return struct.pack(">I4s", len(body), name) + body + struct.pack(">I", zlib.crc32(name + body))


def xmp_png() -> bytes:
    """author_png (tEXt, zTXt, iTXt, eXIf, an ICC profile whose text names the reporter) and XMP in its own
    iTXt chunk, placed before the image data as cameras and editors write it."""
    data = hostile.author_png()
    xmp = png_chunk(b"iTXt", b"XML:com.adobe.xmp\x00\x00\x00\x00\x00" + hostile.XMP)
    ihdr_end = 8 + 25
    return data[:ihdr_end] + xmp + data[ihdr_end:]


METADATA_VALUES = [value.encode() for value in hostile.PLANTED] + [hostile.XMP, hostile.ICC_NOTE]


@pytest.mark.parametrize("make", [hostile.gps_jpeg, hostile.author_png, xmp_png, hostile.exif_webp])
def test_no_metadata_value_survives_in_a_jpeg_png_or_webp_copy(make):
    """By value: EXIF (GPS, camera, artist, comment), XMP, the ICC profile's text and PNG text chunks are
    in the original and in no form in the copy; nor is any signature the leftover-metadata scan looks for,
    which PNG copies are no longer scanned for."""
    original = make()
    assert hostile.NAME.encode() in original or zlib.compress(hostile.ICC_NOTE) in original
    copy = sanitised(original)
    for value in METADATA_VALUES:
        for form in (value, value.decode().encode("utf-16-be"), value.decode().encode("utf-16-le")):
            assert form not in copy, form
    assert not [signature for signature in sanitising.LEFTOVER_METADATA if signature in copy]
    with Image.open(io.BytesIO(copy)) as image:
        assert not {"xmp", "icc_profile", "comment", "XML:com.adobe.xmp"} & set(image.info)
        assert dict(image.getexif()) in ({}, {0x0112: 6})  # a JPEG keeps its orientation, and nothing else
    assert pixels(copy) == pixels(original)


def test_a_png_chunk_whose_length_swallows_the_next_metadata_chunk_fails_its_crc():
    """Why a PNG needs no scan for leftover metadata: an image-data chunk whose length was damaged so that
    it takes in the XMP chunk after it no longer matches its CRC, and the file is refused."""
    data = hostile.plain_png()
    iend = data.rindex(b"IEND") - 4
    idat = data.index(b"IDAT") - 4
    xmp = png_chunk(b"iTXt", b"XML:com.adobe.xmp\x00\x00\x00\x00\x00" + hostile.XMP)
    length = struct.unpack(">I", data[idat:idat + 4])[0]
    damaged = data[:idat] + struct.pack(">I", length + len(xmp)) + data[idat + 4:iend] + xmp + data[iend:]
    assert sanitised(data[:iend] + xmp + data[iend:]) == sanitised(data)  # undamaged, the chunk is dropped
    with pytest.raises(Refused) as refused:
        sanitised(damaged)
    assert refused.value.reason == "damaged"
